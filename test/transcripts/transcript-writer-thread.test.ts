/**
 * The transcript's writes on a thread of their own, into a file of their own (issue 16): every
 * activity appended is read back in order, reads see what was appended just before, a refused
 * batch is refused alone, close writes the queue, a stopped thread is replaced, and transcripts an
 * earlier version kept in the main file are moved once, without duplicates.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALL_MIGRATIONS } from '../../src/app-foundation.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import {
  moveLegacyTranscripts,
  openTranscriptDatabase,
  readWholeConversation,
  SqliteTranscriptStore,
  transcriptsFileOf,
  TranscriptWriterThread,
} from '../../src/transcripts/index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-transcript-writer-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'bot.sqlite');
}

/** The application's database, its transcripts' database and a store writing through the thread. */
function open(file = tempFile(), onStopped?: (err: Error) => void) {
  const main = openDatabase(file, ALL_MIGRATIONS);
  const transcriptsDb = openTranscriptDatabase(file, main);
  const writer = new TranscriptWriterThread(transcriptsFileOf(file), onStopped);
  writer.start();
  const store = new SqliteTranscriptStore(transcriptsDb, { writer });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    writer.close();
    transcriptsDb.close();
    main.close();
  };
  cleanups.push(close);
  return { file, main, transcriptsDb, writer, store, close };
}

const activity = (conversation: string, text: string, at = Date.now()) => ({
  type: 'message',
  channelId: 'emulator',
  conversation: { id: conversation },
  from: { id: 'u', role: 'user' },
  text,
  timestamp: new Date(at),
});

const texts = (items: readonly Record<string, unknown>[]) => items.map((a) => a['text']);
const rowsIn = (db: SqliteDatabase) => (db.prepare('SELECT COUNT(*) FROM transcript_activities').pluck().get() as number);

describe('TranscriptWriterThread', () => {
  it('writes every activity into the transcripts\' own file, each conversation in arrival order', async () => {
    const { file, main, store } = open();
    const t0 = Date.UTC(2026, 11, 1);
    await Promise.all(Array.from({ length: 60 }, (_, i) => store.log.append(activity(`c${i % 3}`, `m${i}`, t0 + i))));
    expect(transcriptsFileOf(file)).toBe(join(file, '..', 'bot.transcripts.sqlite'));
    expect(existsSync(transcriptsFileOf(file))).toBe(true);
    for (let c = 0; c < 3; c++) {
      const read = await readWholeConversation(store.log, 'emulator', `c${c}`);
      expect(texts(read)).toEqual(Array.from({ length: 20 }, (_, k) => `m${c + 3 * k}`));
    }
    expect(store.summaries().map((s) => [s.conversationId, s.activityCount])).toEqual([['c0', 20], ['c1', 20], ['c2', 20]]);
    expect(rowsIn(main)).toBe(0);
  });

  it('a read right after appending sees the activities still on their way (it has the thread write them first)', () => {
    const { store } = open();
    for (let i = 0; i < 5; i++) void store.log.append(activity('c', `m${i}`));
    expect(texts(store.log.readNow('emulator', 'c').items)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    store.flush();
    expect(store.summaries()).toHaveLength(1);
  });

  it('a batch the database refuses is refused alone; the next ones are written', async () => {
    const { store, transcriptsDb } = open();
    transcriptsDb.exec(`CREATE TRIGGER refuse BEFORE INSERT ON transcript_activities WHEN NEW.body LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    await store.log.append(activity('c', 'first'));
    await expect(store.log.append(activity('c', 'poison'))).rejects.toThrow(/disk trouble/);
    await store.log.append(activity('c', 'after'));
    expect(texts(await readWholeConversation(store.log, 'emulator', 'c'))).toEqual(['first', 'after']);
  });

  it('close writes what is queued and ends the thread; activities after it are refused', async () => {
    const file = tempFile();
    const first = open(file);
    const written = Array.from({ length: 10 }, (_, i) => first.store.log.append(activity('c', `m${i}`)));
    first.close();
    await Promise.all(written);
    await expect(first.store.log.append(activity('c', 'late'))).rejects.toThrow(/closed/);
    const again = open(file);
    expect(texts(await readWholeConversation(again.store.log, 'emulator', 'c'))).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it('start() fails at once when the worker cannot open its file (start-up stops, not the first turns)', () => {
    const dir = join(tempFile(), '..', 'a-folder');
    mkdirSync(dir);
    expect(() => new TranscriptWriterThread(dir).start()).toThrow(/could not open/);
  });

  it('a thread that stops is reported and replaced: the next activities are written', async () => {
    const stopped: Error[] = [];
    const { store, writer } = open(undefined, (err) => stopped.push(err));
    await store.log.append(activity('c', 'before'));
    await (writer as unknown as { worker: Worker }).worker.terminate();
    await vi.waitFor(() => expect(stopped).toHaveLength(1));
    // Not restarted in a loop: the activities wait about a second, then a new thread writes them.
    const started = performance.now();
    await Promise.all([store.log.append(activity('c', 'waited')), store.log.append(activity('c', 'after'))]);
    expect(performance.now() - started).toBeGreaterThan(800);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'c'))).toEqual(['before', 'waited', 'after']);
  });
});

describe('transcripts an earlier version kept in the main file', () => {
  /** A main file as an earlier version left it: its transcript tables hold two conversations. */
  function legacyFile(): string {
    const file = tempFile();
    const main = openDatabase(file, ALL_MIGRATIONS);
    const legacy = new SqliteTranscriptStore(main);
    for (let i = 0; i < 6; i++) void legacy.log.append(activity(`old${i % 2}`, `o${i}`, Date.UTC(2026, 10, 1) + i));
    legacy.flush();
    main.close();
    return file;
  }

  it('are moved into the transcripts\' file when it is opened, read there in order, and gone from the main file', async () => {
    const { main, store } = open(legacyFile());
    expect(rowsIn(main)).toBe(0);
    expect(main.prepare('SELECT COUNT(*) FROM transcript_conversations').pluck().get()).toBe(0);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'old0'))).toEqual(['o0', 'o2', 'o4']);
    await store.log.append(activity('old1', 'new'));
    expect(texts(await readWholeConversation(store.log, 'emulator', 'old1'))).toEqual(['o1', 'o3', 'o5', 'new']);
    expect(store.summaries().map((s) => [s.conversationId, s.activityCount])).toEqual([['old0', 3], ['old1', 4]]);
  });

  it('a move cut short after its copy (the main file\'s rows not yet deleted) is finished without a row twice', () => {
    const file = legacyFile();
    const main = openDatabase(file, ALL_MIGRATIONS);
    const saved = main.prepare('SELECT * FROM transcript_activities ORDER BY seq').all() as Record<string, unknown>[];
    const savedConversations = main.prepare('SELECT * FROM transcript_conversations').all() as Record<string, unknown>[];
    const transcriptsDb = openTranscriptDatabase(file, main);
    expect(rowsIn(transcriptsDb)).toBe(6);
    // As if the main file's delete had not been committed: its rows, with their arrival numbers, back.
    for (const c of savedConversations) main.prepare('INSERT INTO transcript_conversations VALUES (@id, @channel_id, @conversation_id, @first_ms, @last_ms, @activity_count)').run(c);
    for (const a of saved) main.prepare('INSERT INTO transcript_activities VALUES (@seq, @conversation, @timestamp_ms, @body)').run(a);
    expect(moveLegacyTranscripts(main, transcriptsDb, file)).toBe(0);
    expect(rowsIn(main)).toBe(0);
    expect(rowsIn(transcriptsDb)).toBe(6);
    transcriptsDb.close();
    main.close();
  });

  it('a main file recreated after a move (its arrival numbers start again) has its transcripts moved, not deleted', async () => {
    const file = legacyFile();
    open(file).close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    const main = openDatabase(file, ALL_MIGRATIONS);
    const older = new SqliteTranscriptStore(main);
    void older.log.append(activity('fresh', 'f0'));
    older.flush();
    main.close();
    const { store, main: reopened } = open(file);
    expect(rowsIn(reopened)).toBe(0);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'fresh'))).toEqual(['f0']);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'old0'))).toEqual(['o0', 'o2', 'o4']);
  });

  it('rows an older process writes into the main file after the move reach the right conversations at the next start', async () => {
    const file = legacyFile();
    const first = open(file);
    await first.store.log.append(activity('new', 'n0'));
    first.close();
    // An older version on the same file: its conversation rows start again at id 1.
    const main = openDatabase(file, ALL_MIGRATIONS);
    const older = new SqliteTranscriptStore(main);
    void older.log.append(activity('new', 'n1 (older process)'));
    void older.log.append(activity('old1', 'o6 (older process)'));
    older.flush();
    main.close();
    const { store, main: reopened } = open(file);
    expect(rowsIn(reopened)).toBe(0);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'new'))).toEqual(['n0', 'n1 (older process)']);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'old1'))).toEqual(['o1', 'o3', 'o5', 'o6 (older process)']);
    expect(texts(await readWholeConversation(store.log, 'emulator', 'old0'))).toEqual(['o0', 'o2', 'o4']);
    expect(store.summaries().map((s) => [s.conversationId, s.activityCount])).toEqual([['old0', 3], ['old1', 4], ['new', 2]]);
  });
});
