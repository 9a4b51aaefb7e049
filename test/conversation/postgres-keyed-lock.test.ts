/**
 * The per-conversation lock across instances: two pools stand for two bot instances. Work for one
 * key never overlaps (not even across instances), different keys run side by side, the wait is
 * bounded, and a holder whose connection dies (pg_terminate_backend) lets the next one in. With the
 * PostgreSQL state store: turns alternating between the instances are all saved, none refused.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KeyedLockTimeoutError, type KeyedLock } from '../../src/conversation/keyed-lock.js';
import { PostgresKeyedLock } from '../../src/conversation/postgres-keyed-lock.js';
import { ETagConflictError, type ConversationStateStore } from '../../src/storage/conversation-state.js';
import { PostgresConversationStateStore, postgresStateMigrations } from '../../src/storage/postgres-conversation-state.js';
import { openPostgres, type PgPool } from '../../src/storage/postgres/index.js';
import { poolIn, skipPostgres, TEST_DATABASE_URL, usePostgresSchema } from '../helpers/postgres.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Advisory locks are database-wide: every test's keys are its own. */
const newKey = () => `msteams:conv-${randomBytes(6).toString('hex')}`;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe.skipIf(skipPostgres())('PostgresKeyedLock', () => {
  const db = usePostgresSchema(postgresStateMigrations);
  const app = `tfa-lock-test-${randomBytes(4).toString('hex')}`;
  let poolA: PgPool;
  let poolB: PgPool;
  let admin: PgPool;
  beforeAll(() => {
    poolA = openPostgres(TEST_DATABASE_URL, { applicationName: `${app}-a`, max: 8 });
    poolB = openPostgres(TEST_DATABASE_URL, { applicationName: `${app}-b`, max: 8 });
    admin = openPostgres(TEST_DATABASE_URL, { applicationName: `${app}-admin`, max: 2 });
  });
  afterAll(async () => {
    await Promise.all([poolA.end(), poolB.end(), admin.end()]);
  });

  it('is a KeyedLock', () => {
    const lock: KeyedLock = new PostgresKeyedLock(poolA);
    expect(lock).toBeDefined();
  });

  it('work for one key on two instances never overlaps, and no update is lost', async () => {
    const instances = [new PostgresKeyedLock(poolA), new PostgresKeyedLock(poolB)];
    const key = newKey();
    let shared = 0;
    let inside = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        instances[i % 2]!.run(key, async () => {
          inside++;
          peak = Math.max(peak, inside);
          const read = shared;
          await sleep(2);
          shared = read + 1;
          inside--;
        }),
      ),
    );
    expect(shared).toBe(16);
    expect(peak).toBe(1);
  });

  it('different keys run at the same time', async () => {
    const instances = [new PostgresKeyedLock(poolA), new PostgresKeyedLock(poolB)];
    let inside = 0;
    let peak = 0;
    // Each piece of work waits until all four are inside: only possible if they run in parallel.
    const all = deferred();
    await Promise.all(
      [newKey(), newKey(), newKey(), newKey()].map((key, i) =>
        instances[i % 2]!.run(key, async () => {
          inside++;
          peak = Math.max(peak, inside);
          if (inside === 4) all.resolve();
          await Promise.race([all.promise, sleep(3_000)]);
          inside--;
        }),
      ),
    );
    expect(peak).toBe(4);
  });

  it('bounds the wait: a clear error after the deadline, the work never runs, and the lock works on', async () => {
    const key = newKey();
    const holderLock = new PostgresKeyedLock(poolA);
    const waiterLock = new PostgresKeyedLock(poolB, { maxWaitMs: 300 });
    const entered = deferred();
    const release = deferred();
    const holder = holderLock.run(key, async () => {
      entered.resolve();
      await release.promise;
      return 'held';
    });
    await entered.promise;
    let ran = false;
    const started = Date.now();
    const waiting = waiterLock.run(key, async () => {
      ran = true;
    });
    // A second waiter on the same instance times out in the local queue, before the database.
    const queuedBehind = waiterLock.run(key, async () => {
      ran = true;
    });
    const [first, second] = await Promise.allSettled([waiting, queuedBehind]);
    expect(first).toMatchObject({ status: 'rejected', reason: expect.any(KeyedLockTimeoutError) });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/still taken after \d+ ms/) }) });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(2_000);
    expect(ran).toBe(false);
    release.resolve();
    await expect(holder).resolves.toBe('held');
    await expect(waiterLock.run(key, async () => 'next')).resolves.toBe('next');
  });

  it('a holder whose connection is terminated releases the lock; its instance keeps running', async () => {
    const key = newKey();
    const crashing = new PostgresKeyedLock(poolA);
    const other = new PostgresKeyedLock(poolB, { maxWaitMs: 5_000 });
    const entered = deferred();
    const release = deferred();
    const holder = crashing.run(key, async () => {
      entered.resolve();
      await release.promise;
      return 'finished without its lock';
    });
    await entered.promise;
    let otherRan = false;
    const waiting = other.run(key, async () => {
      otherRan = true;
    });
    // The other instance is queued in the database (its advisory lock not granted), not running.
    await vi.waitFor(async () => {
      const { rows } = await admin.query(
        `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = $1`,
        [`${app}-b`],
      );
      expect(rows).toHaveLength(1);
    });
    expect(otherRan).toBe(false);
    // The session holding the advisory lock of this key, ended as a crash would end it.
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
      [`${app}-a`],
    );
    expect(rows).toHaveLength(1);
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await waiting;
    expect(otherRan).toBe(true);
    release.resolve();
    await expect(holder).resolves.toBe('finished without its lock');
    // The dead connection was not given back: instance A takes the lock again on a fresh one.
    await expect(crashing.run(key, async () => 'again')).resolves.toBe('again');
  });

  it('turns of one conversation sent alternately to two instances: every one saved, none refused (without the lock, some are)', async () => {
    const statePools = [db.pool, poolIn(db.schema, 4)];
    try {
      const states = statePools.map((p) => new PostgresConversationStateStore(p));
      const locks = [new PostgresKeyedLock(poolA), new PostgresKeyedLock(poolB)];
      /** One turn: read the state, think, save with the eTag read (as ConversationStore does). */
      const turn = async (state: ConversationStateStore, key: string, n: number) => {
        const item = (await state.read([key]))[key];
        await sleep(3);
        const turns = [...((item?.data['turns'] as number[] | undefined) ?? []), n];
        if (item) await state.write({ [key]: { data: { turns }, eTag: item.eTag } });
        else if (!(await state.create(key, { turns }))) throw new ETagConflictError(key);
      };
      const locked = newKey();
      await Promise.all(Array.from({ length: 12 }, (_, i) => locks[i % 2]!.run(locked, () => turn(states[i % 2]!, locked, i))));
      const saved = (await states[0]!.read([locked]))[locked]!.data['turns'] as number[];
      expect([...saved].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));

      const unlocked = newKey();
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => turn(states[i % 2]!, unlocked, i)));
      expect(results.some((r) => r.status === 'rejected' && r.reason instanceof ETagConflictError)).toBe(true);
    } finally {
      await statePools[1]!.end();
    }
  });
});
