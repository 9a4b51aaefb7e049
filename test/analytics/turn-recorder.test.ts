/**
 * The recorder: queued off the turn's path, written in one transaction every interval, at the
 * batch size, and on close; a failing store is retried and then given up; welcome turns start
 * nothing. And what it costs a turn (a micro-benchmark, figure printed).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnalyticsStore } from '../../src/analytics/analytics-store.js';
import type { RecordedTurn } from '../../src/analytics/conversation-session.js';
import { analyticsMigrations, SqliteAnalyticsStore } from '../../src/analytics/sqlite-analytics-store.js';
import { conversationKeyHash, MAX_ATTEMPTS, TurnRecorder } from '../../src/analytics/turn-recorder.js';
import type { FinishedTurn } from '../../src/conversation/turn-observer.js';
import { openDatabase } from '../../src/storage/database.js';

const finished = (n: number, overrides: Partial<FinishedTurn> = {}): FinishedTurn => ({
  conversationKey: `local-webchat/conversations/conv-${n % 7}`,
  channelId: 'local-webchat',
  language: 'ja',
  at: new Date(Date.UTC(2026, 10, 20, 9, 0, n)),
  inputKind: 'message',
  fact: { flow: 'troubleshooting', step: `s${n}` },
  ...overrides,
});

/** A store that keeps the batches it was given, and fails while `failing` is set. */
class SpyStore implements AnalyticsStore {
  batches: RecordedTurn[][] = [];
  failing = false;
  async record(turns: readonly RecordedTurn[]): Promise<void> {
    if (this.failing) throw new Error('database is locked');
    this.batches.push([...turns]);
  }
  sessionsStarted = async () => [];
  notUnderstood = async () => [];
  purgeNotUnderstood = async () => 0;
}

const logger = () => ({ warn: vi.fn() });

afterEach(() => vi.useRealTimers());

describe('TurnRecorder', () => {
  it('queues turns and writes them in one batch after the interval, in order, with the key hashed', async () => {
    vi.useFakeTimers();
    const store = new SpyStore();
    const recorder = new TurnRecorder({ store, logger: logger(), flushIntervalMs: 1000 });
    for (let i = 0; i < 5; i += 1) recorder.turnFinished(finished(i));
    expect(store.batches).toEqual([]);
    expect(recorder.pending).toBe(5);
    await vi.advanceTimersByTimeAsync(999);
    expect(store.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]!.map((t) => t.fact?.step)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(store.batches[0]![0]).toEqual({
      keyHash: conversationKeyHash('local-webchat/conversations/conv-0'),
      channel: 'local-webchat',
      language: 'ja',
      at: '2026-11-20T09:00:00.000Z',
      fact: { flow: 'troubleshooting', step: 's0' },
      ticketId: undefined,
    });
    expect(JSON.stringify(store.batches)).not.toContain('conv-0');
    expect(recorder.pending).toBe(0);
  });

  it('writes at once when the batch is full, and everything on close', async () => {
    const store = new SpyStore();
    const recorder = new TurnRecorder({ store, logger: logger(), flushIntervalMs: 60_000, maxBatch: 3 });
    for (let i = 0; i < 4; i += 1) recorder.turnFinished(finished(i));
    await Promise.resolve();
    expect(store.batches.map((b) => b.length)).toEqual([3]);
    await recorder.close();
    expect(store.batches.map((b) => b.length)).toEqual([3, 1]);
    recorder.turnFinished(finished(9));
    expect(recorder.pending).toBe(0);
  });

  it('on SQLite, close() has written the queue when it returns (the app closes the file right after)', () => {
    const db = openDatabase(':memory:', analyticsMigrations);
    const recorder = new TurnRecorder({ store: new SqliteAnalyticsStore(db), logger: logger(), flushIntervalMs: 60_000 });
    recorder.turnFinished(finished(1));
    void recorder.close();
    expect(db.prepare('SELECT count(*) AS n FROM conversation_sessions').get()).toEqual({ n: 1 });
    db.close();
  });

  it('starts nothing for a welcome (the chat opened, nobody wrote yet)', async () => {
    const store = new SpyStore();
    const recorder = new TurnRecorder({ store, logger: logger() });
    recorder.turnFinished(finished(1, { inputKind: 'welcome' }));
    await recorder.flush();
    expect(store.batches).toEqual([]);
  });

  it('keeps a failed batch for the next round, then gives it up with a warning; never throws', async () => {
    const store = new SpyStore();
    const log = logger();
    const recorder = new TurnRecorder({ store, logger: log, flushIntervalMs: 60_000 });
    store.failing = true;
    recorder.turnFinished(finished(1));
    await recorder.flush();
    expect(recorder.pending).toBe(1);
    recorder.turnFinished(finished(2));
    store.failing = false;
    await recorder.flush();
    expect(store.batches.map((b) => b.map((t) => t.fact?.step))).toEqual([['s1', 's2']]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(log.warn.mock.calls)).not.toContain('conv-');

    store.failing = true;
    recorder.turnFinished(finished(3));
    for (let i = 0; i < MAX_ATTEMPTS; i += 1) await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(log.warn).toHaveBeenLastCalledWith(expect.objectContaining({ dropped: true, turns: 1 }), 'could not record turns for the reports; dropped');
    await recorder.close();
  });

  it('writes one batch at a time: turns queued during a write go in the next one', async () => {
    let release!: () => void;
    const store = new SpyStore();
    const slow: AnalyticsStore = {
      ...store,
      record: async (turns) => {
        await new Promise<void>((resolve) => (release = resolve));
        store.batches.push([...turns]);
      },
    };
    const recorder = new TurnRecorder({ store: slow, logger: logger(), flushIntervalMs: 60_000 });
    recorder.turnFinished(finished(1));
    const first = recorder.flush();
    recorder.turnFinished(finished(2));
    recorder.turnFinished(finished(3));
    const second = recorder.flush();
    const third = recorder.flush();
    expect(second).toBe(third);
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    release();
    await second;
    expect(store.batches.map((b) => b.map((t) => t.fact?.step))).toEqual([['s1'], ['s2', 's3']]);
  });

  it('costs a turn a few microseconds (micro-benchmark: turnFinished, and the write per turn on SQLite)', async () => {
    const db = openDatabase(':memory:', analyticsMigrations);
    const recorder = new TurnRecorder({ store: new SqliteAnalyticsStore(db), logger: logger(), flushIntervalMs: 60_000, maxBatch: 1_000_000 });
    // A busy second's worth (the queue's bound is 10,000), 500 conversations.
    const turns = Array.from({ length: 5_000 }, (_, i) => finished(i, { conversationKey: `local-webchat/conversations/c-${i % 500}` }));
    for (const t of turns.slice(0, 2000)) recorder.turnFinished(t); // warm-up
    await recorder.flush();
    const started = performance.now();
    for (const t of turns) recorder.turnFinished(t);
    const onTurnUs = ((performance.now() - started) * 1000) / turns.length;
    const writeStarted = performance.now();
    await recorder.flush();
    const writeUs = ((performance.now() - writeStarted) * 1000) / turns.length;
    console.info(`TurnRecorder: ${onTurnUs.toFixed(2)} µs per turn on the turn's path; ${writeUs.toFixed(1)} µs per turn written later (SQLite, batch of ${turns.length})`);
    // Generous bounds for a loaded CI machine: the point is "microseconds, not milliseconds".
    expect(onTurnUs).toBeLessThan(50);
    expect(writeUs).toBeLessThan(1000);
    db.close();
  });
});
