/**
 * PostgreSQL for the contract suites: each test file works in a schema of its own (random name,
 * `search_path`), created and migrated once before its tests and dropped after, so files running in
 * parallel never see each other's rows. Tables are emptied before every test.
 *
 * Where PostgreSQL cannot be reached: in CI (`CI=true`, or `TEST_DATABASE_URL` set, as .ci/run
 * does) the suites run and fail; on a developer's machine they are skipped with one visible warning.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { applyPgMigrations, openPostgres, type PgMigration, type PgPool } from '../../src/storage/postgres/index.js';

/** The server this machine runs (user postgres, trust authentication, database test). */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** PostgreSQL must be there: a missing server fails the suites instead of skipping them. */
export const POSTGRES_REQUIRED = process.env['CI'] === 'true' || process.env['TEST_DATABASE_URL'] !== undefined;

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const available = await reachable();
let warned = false;

/** True when the PostgreSQL suites should be skipped: no server, and not in CI. Warns once per worker. */
export function skipPostgres(): boolean {
  const skip = !available && !POSTGRES_REQUIRED;
  if (skip && !warned) {
    warned = true;
    console.warn(`\n⚠ PostgreSQL suites SKIPPED: no server at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL, or CI=true to make this a failure)\n`);
  }
  return skip;
}

/** A fresh schema name; lower case letters and digits only (it is pasted into DDL). */
export function newSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** Creates the schema on its own short-lived connection (the pools come after). */
export async function createSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A pool working in `schema`, as one bot instance would. */
export function poolIn(schema: string, max = 10): PgPool {
  // No wait for the disk at each commit (about 12 ms here): a test's rows need not survive a crash.
  return openPostgres(TEST_DATABASE_URL, { schema, max, applicationName: 'tfa-support-bot-test', settings: { synchronous_commit: 'off' } });
}

export interface TestSchema {
  /** The pool of this file's schema (valid inside tests and hooks). */
  readonly pool: PgPool;
  readonly schema: string;
  /** Empties every table again (the hooks do it before each test). */
  reset(): Promise<void>;
}

/**
 * Registers the hooks of one file's schema: create and migrate before all, empty before each, drop
 * after all. Call inside the `describe` that {@link skipPostgres} guards.
 */
export function usePostgresSchema(migrations: readonly PgMigration[]): TestSchema {
  const schema = newSchemaName();
  let pool: PgPool | undefined;
  let tables: string[] = [];
  let hasCounts = false;
  const state: TestSchema = {
    get pool() {
      if (!pool) throw new Error('the PostgreSQL schema is not ready (used outside a test?)');
      return pool;
    },
    schema,
    reset: async () => {
      const client = await state.pool.connect();
      try {
        await client.query('BEGIN');
        // Replica mode skips triggers (the append-only ones, and the foreign keys' checks, so the
        // order of the deletes does not matter): tests only, never the app. DELETE, not TRUNCATE:
        // on these few rows it takes under a millisecond where TRUNCATE takes about ten.
        await client.query("SET LOCAL session_replication_role = 'replica'");
        for (const table of tables) await client.query(`DELETE FROM ${table}`);
        if (hasCounts) await client.query('UPDATE ticket_status_counts SET n = 0');
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
  };
  beforeAll(async () => {
    await createSchema(schema);
    pool = poolIn(schema);
    await applyPgMigrations(pool, migrations);
    const { rows } = await pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`,
      [schema],
    );
    // The counts table keeps one row per status (the trigger updates, never inserts): zero it instead.
    hasCounts = rows.some((r) => r.tablename === 'ticket_status_counts');
    tables = rows.map((r) => r.tablename).filter((t) => t !== 'ticket_status_counts');
  });
  beforeEach(() => state.reset());
  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });
  return state;
}
