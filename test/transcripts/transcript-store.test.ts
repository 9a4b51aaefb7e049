import { MemoryTranscriptStore, type Activity } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { openDatabase } from '../../src/storage/database.js';
import {
  ActivitySanitizer,
  purgeExpiredTranscripts,
  RedactingTranscriptStore,
  SqliteTranscriptStore,
  transcriptMigrations,
} from '../../src/transcripts/index.js';
import { describeTranscriptStoreContract } from './transcript-store.contract.js';

describeTranscriptStoreContract('botbuilder MemoryTranscriptStore (reference)', async () => ({ store: new MemoryTranscriptStore() }));

describeTranscriptStoreContract('SqliteTranscriptStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-transcripts-'));
  const db = openDatabase(join(dir, 'bot.sqlite'), transcriptMigrations);
  return {
    store: new SqliteTranscriptStore(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeTranscriptStoreContract('RedactingTranscriptStore over SqliteTranscriptStore', async () => {
  const db = openDatabase(':memory:', transcriptMigrations);
  return { store: new RedactingTranscriptStore(new SqliteTranscriptStore(db), new ActivitySanitizer()), close: () => db.close() };
});

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);
const at = (ms: number, conversation: string, text = 'hello'): Activity =>
  ({ type: 'message', channelId: 'test', conversation: { id: conversation }, from: { id: 'u', role: 'user' }, text, timestamp: new Date(ms) }) as Activity;

describe('SqliteTranscriptStore specifics', () => {
  it('a read sees activities logged just before it, without awaiting the log', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    void store.logActivity(at(NOW, 'c1', 'one'));
    void store.logActivity(at(NOW + 1, 'c1', 'two'));
    expect((await store.getTranscriptActivities('test', 'c1')).items.map((a) => a.text)).toEqual(['one', 'two']);
    expect(store.summaries()).toMatchObject([{ conversationId: 'c1', activityCount: 2 }]);
  });

  it('keeps arrival order when a client clock runs behind the bot', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    await store.logActivity(at(NOW, 'c1', 'question'));
    await store.logActivity(at(NOW - 5000, 'c1', 'answer'));
    expect((await store.getTranscriptActivities('test', 'c1')).items.map((a) => a.text)).toEqual(['question', 'answer']);
  });

  it('retention deletes old activities, keeps the recent part of a running conversation, and drops emptied ones', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    await store.logActivity(at(NOW - 100 * DAY, 'running', 'old'));
    await store.logActivity(at(NOW - 1 * DAY, 'running', 'recent'));
    await store.logActivity(at(NOW - 100 * DAY, 'finished', 'old'));
    await store.logActivity(at(NOW - 95 * DAY, 'finished', 'old too'));
    const result = purgeExpiredTranscripts(store, 90, undefined, new Date(NOW));
    expect(result).toMatchObject({ activities: 3, transcripts: 1 });
    expect(result.cutoff.getTime()).toBe(NOW - 90 * DAY);
    expect((await store.getTranscriptActivities('test', 'running')).items.map((a) => a.text)).toEqual(['recent']);
    expect((await store.getTranscriptActivities('test', 'finished')).items).toEqual([]);
    expect(store.summaries()).toEqual([
      {
        channelId: 'test',
        conversationId: 'running',
        firstActivityAt: new Date(NOW - DAY),
        lastActivityAt: new Date(NOW - DAY),
        activityCount: 1,
      },
    ]);
    expect(store.deleteOlderThan(new Date(NOW - 90 * DAY))).toEqual({ activities: 0, transcripts: 0 });
  });

  it('keeps transcripts across a close and reopen of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-transcripts-'));
    const file = join(dir, 'bot.sqlite');
    const db1 = openDatabase(file, transcriptMigrations);
    await new SqliteTranscriptStore(db1).logActivity(at(NOW, 'c1', 'persisted'));
    db1.close();
    const db2 = openDatabase(file, transcriptMigrations);
    expect((await new SqliteTranscriptStore(db2).getTranscriptActivities('test', 'c1')).items[0]!.text).toBe('persisted');
    db2.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a full batch at once, and the rest when the event loop turns, where another connection sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-transcripts-'));
    const file = join(dir, 'bot.sqlite');
    const writer = openDatabase(file, transcriptMigrations);
    const reader = openDatabase(file, transcriptMigrations);
    const count = () => (reader.prepare('SELECT COUNT(*) AS n FROM transcript_activities').get() as { n: number }).n;
    const store = new SqliteTranscriptStore(writer, { maxBatch: 3 });
    const logged = [0, 1, 2, 3].map((n) => store.logActivity(at(NOW + n, 'c1', `m${n}`)));
    expect(count()).toBe(3);
    await Promise.all(logged);
    expect(count()).toBe(4);
    writer.close();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a batch that cannot be written fails its own loggers only; later activities are recorded', async () => {
    const db = openDatabase(':memory:', transcriptMigrations);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON transcript_activities WHEN NEW.body LIKE '%refused%'
             BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    const store = new SqliteTranscriptStore(db);
    const bad = store.logActivity(at(NOW, 'c1', 'refused'));
    const alongside = store.logActivity(at(NOW, 'c1', 'same batch'));
    await expect(bad).rejects.toThrow('refused by test');
    await expect(alongside).rejects.toThrow('refused by test');
    await store.logActivity(at(NOW + 1, 'c1', 'later'));
    expect((await store.getTranscriptActivities('test', 'c1')).items.map((a) => a.text)).toEqual(['later']);
  });

  it('refuses a malformed continuation token and an activity without conversation', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    const codeOf = (err: unknown) => (isAppError(err) ? err.code : String(err));
    await expect(store.getTranscriptActivities('test', 'c1', 'DROP TABLE').catch(codeOf)).resolves.toBe('invalid_input');
    await expect(store.listTranscripts('test', '1;2').catch(codeOf)).resolves.toBe('invalid_input');
    await expect(store.logActivity({ type: 'message', channelId: 'test' } as Activity).catch(codeOf)).resolves.toBe('invalid_input');
  });

  it('lists several channels for one conversation id', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    await store.logActivity(at(NOW, 'same'));
    await store.logActivity({ ...at(NOW, 'same'), channelId: 'webchat' } as Activity);
    expect(store.channelsOf('same')).toEqual(['test', 'webchat']);
  });
});
