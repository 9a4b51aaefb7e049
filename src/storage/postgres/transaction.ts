/**
 * Transactions and error codes shared by the PostgreSQL stores. Every multi-statement change runs
 * through {@link inTransaction}, so a store never leaves a connection in an open transaction.
 */
import type { PgClient, PgPool } from './pool.js';

/**
 * Runs `work` in one READ COMMITTED transaction on a client of its own: COMMIT when it resolves,
 * ROLLBACK when it throws (the error propagates). Stores take row locks (`FOR UPDATE`) or advisory
 * locks inside `work` where two writers must not decide from the same state.
 */
export async function inTransaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      // The connection itself failed: do not give it back to the pool.
      broken = true;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL's SQLSTATE for a unique violation, optionally of one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** A foreign key violation (a row pointing at something that does not exist). */
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23503';
}

/**
 * Namespaces for two-key advisory locks (`pg_advisory_xact_lock(namespace, key)`), so that the
 * features' locks never collide: the second key is a hash within the namespace.
 */
export const ADVISORY_LOCK = {
  /** Schema migrations; the key is the hash of the schema name. */
  migrations: 17_001,
  /** One handoff (channel, conversation, reason) being turned into a ticket. */
  ticketHandoff: 17_002,
  /** One conversation's turn (session lock, held across instances for the turn); the key is the hash of the conversation key. */
  conversationTurn: 17_003,
} as const;
