/**
 * The per-conversation lock across bot instances: a PostgreSQL session advisory lock
 * (`pg_advisory_lock(namespace, hashtext(key))`) taken on a connection of its own and held for the
 * turn, released in `finally`. Should the connection die (the instance crashed, or the server ended
 * the session), the server drops the lock with the session, so a dead holder never blocks a
 * conversation; the connection is then destroyed, never given back to the pool.
 *
 * Within one instance, turns of one key first queue in memory ({@link InProcessKeyedLock}), so only
 * one of them per instance holds a connection while waiting for the others. The wait is bounded as
 * a whole (queue, connection and lock): past `maxWaitMs` the turn is refused with
 * {@link KeyedLockTimeoutError} and its work never runs. PostgreSQL grants a waited-for lock to its
 * waiters in arrival order, so turns arriving at two instances are answered in order.
 *
 * Give it a pool of its own (one connection per conversation with a turn running or waiting): on the
 * stores' pool, waiting turns could take every connection the running turn needs.
 */
import { ADVISORY_LOCK, type PgPool } from '../storage/postgres/index.js';
import { InProcessKeyedLock, KeyedLockTimeoutError, type KeyedLock } from './keyed-lock.js';

export interface PostgresKeyedLockOptions {
  /** The longest a turn waits for its conversation (default 10 s). */
  readonly maxWaitMs?: number;
}

/** PostgreSQL's SQLSTATE for `lock_timeout` expiring. */
const LOCK_NOT_AVAILABLE = '55P03';

export class PostgresKeyedLock implements KeyedLock {
  private readonly local = new InProcessKeyedLock();
  private readonly maxWaitMs: number;

  constructor(
    private readonly pool: PgPool,
    options: PostgresKeyedLockOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    let started = false;
    let abandoned = false;
    const queued = this.local.run(key, async () => {
      if (abandoned) throw new KeyedLockTimeoutError(key, Date.now() - startedAt);
      started = true;
      return this.runLocked(key, work, startedAt);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Once the turn left the local queue, the database's lock_timeout bounds the rest.
        if (started) return;
        abandoned = true;
        reject(new KeyedLockTimeoutError(key, Date.now() - startedAt));
      }, this.maxWaitMs);
    });
    queued.catch(() => undefined);
    try {
      return await Promise.race([queued, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async runLocked<T>(key: string, work: () => Promise<T>, startedAt: number): Promise<T> {
    const client = await this.pool.connect();
    let lost = false;
    // A checked-out client has no error listener of the pool's: without this one a session ended
    // by the server while the turn runs would be an unhandled 'error' event.
    const onError = () => {
      lost = true;
    };
    client.on('error', onError);
    let broken = false;
    try {
      const remaining = Math.max(1, this.maxWaitMs - (Date.now() - startedAt));
      try {
        // lock_timeout for this wait only (SET LOCAL); the session lock outlives the COMMIT.
        await client.query('BEGIN');
        await client.query("SELECT set_config('lock_timeout', $1, true)", [`${remaining}ms`]);
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [ADVISORY_LOCK.conversationTurn, key]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new KeyedLockTimeoutError(key, Date.now() - startedAt);
        throw err;
      }
      try {
        return await work();
      } finally {
        try {
          const { rows } = await client.query<{ released: boolean }>('SELECT pg_advisory_unlock($1, hashtext($2)) AS released', [
            ADVISORY_LOCK.conversationTurn,
            key,
          ]);
          // Not held any more (cannot happen on a live session): end the session to be sure.
          if (rows[0]?.released !== true) broken = true;
        } catch {
          // The connection failed: closing it releases the lock on the server.
          broken = true;
        }
      }
    } finally {
      const destroy = broken || lost;
      client.removeListener('error', onError);
      // A dying connection may still report errors after it is handed back to be destroyed.
      if (destroy) client.on('error', () => undefined);
      client.release(destroy);
    }
  }
}
