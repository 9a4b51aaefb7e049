/**
 * Versioned schema migrations for PostgreSQL. Ids are their own (`pg-tickets-001`…), separate from
 * SQLite's: the two schemas differ in types and triggers, and each database records only its own.
 *
 * Several instances may start at once: all migrations run in ONE transaction that first takes
 * `pg_advisory_xact_lock` for the schema, so the second instance waits, then finds everything
 * applied and does nothing. A failing migration rolls back every one of that start.
 */
import { ADVISORY_LOCK, inTransaction } from './transaction.js';
import type { PgClient, PgPool } from './pool.js';

/** One schema change for PostgreSQL. */
export interface PgMigration {
  /** Stable, unique id such as `pg-tickets-001`; never renamed once shipped. */
  readonly id: string;
  /** SQL run as given (several statements allowed); constants only, never user input. */
  readonly sql: string;
}

/** Applies the migrations not yet recorded in `schema_migrations`; returns the ids applied now. */
export async function applyPgMigrations(pool: PgPool, migrations: readonly PgMigration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  return inTransaction(pool, async (client) => {
    // The lock comes first: CREATE TABLE IF NOT EXISTS itself is not safe against a concurrent twin.
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [ADVISORY_LOCK.migrations]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id TEXT PRIMARY KEY,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
    )`);
    const done = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
    return applied;
  });
}

/** Ids recorded as applied, in the order they were applied. */
export async function appliedPgMigrations(client: PgPool | PgClient): Promise<string[]> {
  const rows = await client.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY applied_at, id');
  return rows.rows.map((r) => r.id);
}
