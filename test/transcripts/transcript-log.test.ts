/**
 * The TranscriptLog port on SQLite and PostgreSQL (the same contract), botbuilder's TranscriptStore
 * contract over the PostgreSQL log, and two instances recording one conversation at once.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { botStateMigrations } from '../../src/storage/sqlite-conversation-state.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import {
  listAllConversations,
  PostgresTranscriptLog,
  postgresTranscriptMigrations,
  readWholeConversation,
  SqliteTranscriptLog,
  TranscriptLogStore,
  transcriptMigrations,
} from '../../src/transcripts/index.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { pendingActivity } from '../../src/transcripts/transcript-log.js';
import { describeTranscriptLogContract } from './transcript-log.contract.js';
import { describeTranscriptStoreContract } from './transcript-store.contract.js';

describeTranscriptLogContract('SQLite', async () => {
  const db = openDatabase(':memory:', transcriptMigrations);
  return {
    log: new SqliteTranscriptLog(db),
    close: () => {
      db.close();
    },
  };
});

describe.skipIf(skipPostgres())('PostgresTranscriptLog', () => {
  const db = usePostgresSchema(postgresTranscriptMigrations);

  describeTranscriptLogContract('PostgreSQL', async () => ({ log: new PostgresTranscriptLog(db.pool) }));
  describeTranscriptStoreContract('TranscriptLogStore over PostgresTranscriptLog', async () => ({ store: new TranscriptLogStore(new PostgresTranscriptLog(db.pool)) }));

  it('two instances recording one conversation at once keep every activity and the right figures', async () => {
    const other = poolIn(db.schema);
    try {
      const logs = [new PostgresTranscriptLog(db.pool, { maxBatch: 3 }), new PostgresTranscriptLog(other, { maxBatch: 3 })];
      const t0 = Date.UTC(2025, 0, 1);
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          logs[i % 2]!.append({ type: 'message', channelId: 'test', conversation: { id: i % 4 === 0 ? 'c2' : 'c1' }, text: `m${i}`, timestamp: new Date(t0 + i) }),
        ),
      );
      const c1 = await readWholeConversation(logs[1]!, 'test', 'c1');
      expect(c1).toHaveLength(30);
      // One instance's activities keep their order.
      const fromFirst = c1.map((a) => Number(String(a['text']).slice(1))).filter((i) => i % 2 === 0);
      expect(fromFirst).toEqual([...fromFirst].sort((a, b) => a - b));
      expect(await listAllConversations(logs[0]!)).toMatchObject([
        { conversationId: 'c1', activityCount: 30, firstActivityAt: new Date(t0 + 1), lastActivityAt: new Date(t0 + 39) },
        { conversationId: 'c2', activityCount: 10, firstActivityAt: new Date(t0), lastActivityAt: new Date(t0 + 36) },
      ].sort((a, b) => a.firstActivityAt.getTime() - b.firstActivityAt.getTime()));
    } finally {
      await other.end();
    }
  });
});

describe('SqliteTranscriptLog in the connection group commit (issue 16)', () => {
  const activity = (conversation: string, text: string) => ({ type: 'message', channelId: 'emulator', conversation: { id: conversation }, text });

  it('writes a turn’s activities in the same transaction as the state writes beside them', async () => {
    const db = openDatabase(':memory:', [...transcriptMigrations, ...botStateMigrations]);
    const log = new SqliteTranscriptLog(db);
    const state = new SqliteStorage(db);
    const inTransaction: boolean[] = [];
    db.function('seen_in_transaction', () => {
      inTransaction.push(db.inTransaction);
      return 1;
    });
    db.exec(`CREATE TRIGGER seen_activity AFTER INSERT ON transcript_activities BEGIN SELECT seen_in_transaction(); END;
             CREATE TRIGGER seen_state AFTER UPDATE ON bot_state BEGIN SELECT seen_in_transaction(); END;
             CREATE TRIGGER seen_state_new AFTER INSERT ON bot_state BEGIN SELECT seen_in_transaction(); END;`);
    await Promise.all([state.writeItem('c1', { step: 'menu' }), log.append(activity('c1', 'hello')), log.append(activity('c1', 'menu'))]);
    expect(inTransaction).toEqual([true, true, true]);
    expect((await readWholeConversation(log, 'emulator', 'c1')).map((a) => a['text'])).toEqual(['hello', 'menu']);
  });

  for (const raise of ['ABORT', 'ROLLBACK'] as const) {
    it(`a batch that cannot be written (RAISE(${raise})) is refused alone: the state writes of its group are kept`, async () => {
      const db = openDatabase(':memory:', [...transcriptMigrations, ...botStateMigrations]);
      const log = new SqliteTranscriptLog(db);
      const state = new SqliteStorage(db);
      db.exec(`CREATE TRIGGER refuse AFTER INSERT ON transcript_activities WHEN NEW.body LIKE '%poison%' BEGIN SELECT RAISE(${raise}, 'disk trouble'); END`);
      const [saved, logged, other] = await Promise.allSettled([state.writeItem('c1', { step: 'menu' }), log.append(activity('c1', 'poison')), state.writeItem('c2', { step: 'sms' })]);
      expect([saved.status, logged.status, other.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((logged as PromiseRejectedResult).reason)).toMatch(/disk trouble/);
      expect(await state.readItem('c1')).toMatchObject({ step: 'menu' });
      expect(await state.readItem('c2')).toMatchObject({ step: 'sms' });
      expect(await readWholeConversation(log, 'emulator', 'c1')).toEqual([]);
      // The next batch is written as usual.
      await Promise.all([log.append(activity('c1', 'fine')), state.writeItem('c1', { step: 'sms' })]);
      expect((await readWholeConversation(log, 'emulator', 'c1')).map((a) => a['text'])).toEqual(['fine']);
    });
  }

  it('a state write that fails its group does not cost the transcript its batch', async () => {
    const db = openDatabase(':memory:', [...transcriptMigrations, ...botStateMigrations]);
    const log = new SqliteTranscriptLog(db);
    const state = new SqliteStorage(db);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON bot_state WHEN NEW.key = 'poison' BEGIN SELECT RAISE(ROLLBACK, 'disk trouble'); END`);
    const results = await Promise.allSettled([state.writeItem('poison', { step: 'menu' }), log.append(activity('c1', 'hello')), state.writeItem('c2', { step: 'sms' })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect((await readWholeConversation(log, 'emulator', 'c1')).map((a) => a['text'])).toEqual(['hello']);
    expect(await state.readItem('c2')).toMatchObject({ step: 'sms' });
  });
});

describe('SqliteTranscriptLog: conversations\' rows remembered between batches (issue 16)', () => {
  const activity = (conversation: string, text: string, timestamp?: string) => ({ type: 'message', channelId: 'emulator', conversation: { id: conversation }, text, ...(timestamp ? { timestamp } : {}) });
  const summary = (log: SqliteTranscriptLog, conversation: string) => log.summaries().find((s) => s.conversationId === conversation);

  it('keeps each conversation\'s figures right batch after batch, and an earlier activity moves its start back', async () => {
    const db = openDatabase(':memory:', transcriptMigrations);
    const log = new SqliteTranscriptLog(db);
    await log.append(activity('a', 'one', '2026-12-01T10:00:00Z'));
    await log.append(activity('a', 'two', '2026-12-01T10:05:00Z'));
    await Promise.all([log.append(activity('a', 'three', '2026-12-01T10:06:00Z')), log.append(activity('b', 'hi', '2026-12-01T10:06:00Z'))]);
    expect(summary(log, 'a')).toMatchObject({ activityCount: 3, firstActivityAt: new Date('2026-12-01T10:00:00Z'), lastActivityAt: new Date('2026-12-01T10:06:00Z') });
    await log.append(activity('a', 'skewed clock', '2026-12-01T09:00:00Z'));
    expect(summary(log, 'a')).toMatchObject({ activityCount: 4, firstActivityAt: new Date('2026-12-01T09:00:00Z') });
    expect(summary(log, 'b')).toMatchObject({ activityCount: 1 });
  });

  it('a conversation deleted by another process is written anew, never into the conversation that took its row id', async () => {
    const db = openDatabase(':memory:', transcriptMigrations);
    const bot = new SqliteTranscriptLog(db);
    const cli = new SqliteTranscriptLog(db);
    await bot.append(activity('old', 'first'));
    cli.deleteNow('emulator', 'old');
    // The newest row's id is free again: the next conversation gets it.
    await bot.append(activity('new', 'hello'));
    await bot.append(activity('old', 'back again'));
    expect((await readWholeConversation(bot, 'emulator', 'new')).map((a) => a['text'])).toEqual(['hello']);
    expect((await readWholeConversation(bot, 'emulator', 'old')).map((a) => a['text'])).toEqual(['back again']);
    expect(summary(bot, 'new')).toMatchObject({ activityCount: 1 });
    expect(summary(bot, 'old')).toMatchObject({ activityCount: 1 });
  });

  it('a group rolled back leaves nothing remembered of it: a new conversation\'s id is only kept once committed', async () => {
    const db = openDatabase(':memory:', [...transcriptMigrations, ...botStateMigrations]);
    const log = new SqliteTranscriptLog(db);
    const state = new SqliteStorage(db);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON bot_state WHEN NEW.key = 'poison' BEGIN SELECT RAISE(ROLLBACK, 'disk trouble'); END`);
    await Promise.allSettled([log.append(activity('x', 'rolled back, then written alone')), state.writeItem('poison', { step: 'menu' })]);
    await log.append(activity('y', 'another conversation'));
    await log.append(activity('x', 'later'));
    expect((await readWholeConversation(log, 'emulator', 'x')).map((a) => a['text'])).toEqual(['rolled back, then written alone', 'later']);
    expect((await readWholeConversation(log, 'emulator', 'y')).map((a) => a['text'])).toEqual(['another conversation']);
    expect(summary(log, 'x')).toMatchObject({ activityCount: 2 });
  });

  it('a conversation written inside a caller\'s transaction that is rolled back (a QA replay) leaves no row id that misleads a later one', async () => {
    const db = openDatabase(':memory:', transcriptMigrations);
    const log = new SqliteTranscriptLog(db);
    db.exec('BEGIN');
    await log.append(activity('replayed', 'one'));
    await log.append(activity('replayed', 'two'));
    expect(summary(log, 'replayed')).toMatchObject({ activityCount: 2 });
    db.exec('ROLLBACK');
    // The freed row id goes to the next conversation.
    await log.append(activity('live', 'hello'));
    await log.append(activity('replayed', 'again'));
    expect((await readWholeConversation(log, 'emulator', 'live')).map((a) => a['text'])).toEqual(['hello']);
    expect((await readWholeConversation(log, 'emulator', 'replayed')).map((a) => a['text'])).toEqual(['again']);
    expect(summary(log, 'live')).toMatchObject({ activityCount: 1 });
  });

  it('after a retention purge, the conversations that remain are counted from what is left', async () => {
    const db = openDatabase(':memory:', transcriptMigrations);
    const log = new SqliteTranscriptLog(db);
    await log.append(activity('a', 'old', '2020-01-01T00:00:00Z'));
    await log.append(activity('a', 'recent', '2026-12-01T10:00:00Z'));
    log.deleteOlderThan(new Date('2025-01-01T00:00:00Z'));
    await log.append(activity('a', 'more', '2026-12-01T10:01:00Z'));
    expect(summary(log, 'a')).toMatchObject({ activityCount: 2, firstActivityAt: new Date('2026-12-01T10:00:00Z') });
  });
});

describe('pendingActivity: the stored JSON of an activity, its time written as an ISO string (issue 16)', () => {
  const at = new Date('2026-12-01T08:00:00.123Z');
  const activity = (timestamp: unknown) => ({ type: 'message', channelId: 'emulator', conversation: { id: 'c' }, timestamp, text: 'hi' });
  const asBefore = (a: ReturnType<typeof activity>, ms: number) => JSON.stringify({ ...a, timestamp: new Date(ms) });

  it('writes the same JSON as a copy stamped with new Date(ms), for a Date, an ISO string or another time format', () => {
    for (const timestamp of [at, '2026-12-01T08:00:00.123Z', '2026-12-01T17:00:00.123+09:00', at.getTime()]) {
      const row = pendingActivity(activity(timestamp));
      expect(row.ms).toBe(at.getTime());
      expect(row.body).toBe(asBefore(activity(timestamp), at.getTime()));
    }
    // The ends of the Date range (six-digit years) too.
    for (const ms of [8.64e15, -8.64e15]) expect(pendingActivity(activity(new Date(ms))).body).toBe(asBefore(activity(new Date(ms)), ms));
  });

  it('a Date that would write itself otherwise (a subclass, its own toJSON) is written as the time it holds; an invalid one is stamped now', () => {
    class LocalDate extends Date {
      override toJSON(): string {
        return 'local';
      }
    }
    const own = Object.assign(new Date(at), { toJSON: () => 'own' });
    for (const timestamp of [new LocalDate(at), own]) {
      expect(pendingActivity(activity(timestamp)).body).toBe(asBefore(activity(timestamp), at.getTime()));
      expect(pendingActivity(activity(timestamp)).body).toContain('"timestamp":"2026-12-01T08:00:00.123Z"');
    }
    const before = Date.now();
    const invalid = pendingActivity(activity(new Date(Number.NaN)));
    expect(invalid.ms).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(invalid.body).timestamp).toBe(new Date(invalid.ms).toISOString());
  });
});
