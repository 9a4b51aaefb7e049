// Longer than 250 lines because it is one command: its checks (source schema, empty target), the table-by-table copy with its type conversions, triggers and sequences, and the CLI around them.
/**
 * Copies an existing SQLite installation (DATABASE_FILE) into PostgreSQL (DATABASE_URL):
 *
 *   npm run db:copy-to-postgres
 *
 * Applies the PostgreSQL migrations first, then copies, in ONE transaction, every table of the
 * stores that have a PostgreSQL twin: tickets (history, activity keys, search terms, customer
 * notifications), agents with their API tokens, sessions and pending OpenID sign-ins, the desk
 * audit log, the Teams ticket alerts' memory, the web chat's conversations, activities and token
 * state, transcripts, conversation state (customers in the middle of a flow keep their place), and
 * the reports' conversation sessions and not-understood messages.
 * Ids, timestamps and order (SQLite's rowid order) are kept as they are; the identity sequences
 * continue after the highest id copied.
 *
 * The target must be empty: a database holding any row in these tables is refused and left as
 * it is (run the copy once, into a fresh database). A failure rolls everything back. The SQLite
 * file is opened read-only, in one read transaction, so the copy is a consistent snapshot; stop the
 * bot first so that nothing written after the snapshot is left behind.
 *
 * The append-only triggers (ticket history, audit) refuse updates and deletes only, so the copy's
 * inserts pass them. The status-count trigger is disabled for the copy (one counter row updated
 * once per ticket is very slow over a large queue) and the counts are computed once afterwards.
 *
 * Exit codes: 0 copied, 1 refused (target not empty, source not at the current schema) or
 * failed, 2 bad usage or configuration.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyticsMigrations, postgresAnalyticsMigrations } from '../src/analytics/index.js';
import { applyPgMigrations, inTransaction, openPostgres, type PgClient, type PgMigration, type PgPool } from '../src/storage/postgres/index.js';
import type { Migration, SqliteDatabase } from '../src/storage/database.js';
import { postgresStateMigrations } from '../src/storage/postgres-conversation-state.js';
import { botStateMigrations } from '../src/storage/sqlite-conversation-state.js';
import { POSTGRES_STORE_MIGRATIONS, SQLITE_STORE_MIGRATIONS } from '../src/stores/index.js';
import { holdsLegacyTranscripts, postgresTranscriptMigrations, transcriptMigrations, transcriptsFileOf } from '../src/transcripts/index.js';

/** What the SQLite file must have applied: the stores' schema, conversation state's, the transcripts' and the reports'. */
export const COPY_SOURCE_MIGRATIONS: readonly Migration[] = [...botStateMigrations, ...SQLITE_STORE_MIGRATIONS, ...transcriptMigrations, ...analyticsMigrations];
/** What the copy applies to PostgreSQL before copying. */
export const COPY_TARGET_MIGRATIONS: readonly PgMigration[] = [
  ...postgresStateMigrations,
  ...POSTGRES_STORE_MIGRATIONS,
  ...postgresTranscriptMigrations,
  ...postgresAnalyticsMigrations,
];

/** The tables copied, parents before children (foreign keys). */
export const COPIED_TABLES: readonly string[] = [
  'bot_state',
  'tickets',
  'ticket_activity_keys',
  'ticket_history',
  'ticket_search_terms',
  'ticket_notifications',
  'desk_agents',
  'desk_api_tokens',
  'desk_sessions',
  'desk_oidc_logins',
  'desk_audit',
  'desk_alert_feeds',
  'desk_ticket_alerts',
  'directline_conversations',
  'directline_activities',
  'directline_token_state',
  'transcript_conversations',
  'transcript_activities',
  'conversation_sessions',
  'not_understood_messages',
];

/**
 * SQLite columns PostgreSQL never had, left empty by a later SQLite migration (SQLite cannot drop a
 * column with a CHECK without rebuilding the table). The copy checks they are empty and skips them.
 */
const RETIRED_SOURCE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  // Emptied when approved_change replaced it (ticket-migrations.ts).
  tickets: ['approval_action'],
};

/** A copy that must not go ahead; nothing was written. */
export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

export interface CopyResult {
  /** Rows copied per table, in {@link COPIED_TABLES} order. */
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  /** PostgreSQL migrations applied by this run. */
  readonly migrationsApplied: readonly string[];
}

interface TargetColumn {
  name: string;
  type: string;
  identity: boolean;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Refuses a SQLite file that lacks a migration of the copied stores (an older version of the bot). */
function checkSource(db: SqliteDatabase): void {
  const applied = appliedMigrations(db);
  const missing = COPY_SOURCE_MIGRATIONS.map((m) => m.id).filter((id) => !applied.has(id));
  if (missing.length > 0) {
    throw new CopyRefused(
      `the SQLite file is not at this version's schema (missing migrations: ${missing.join(', ')}): start this version of the bot on it once, stop it, then copy`,
    );
  }
}

/** The ids of the migrations `db` records as applied (none when it has no record at all). */
function appliedMigrations(db: SqliteDatabase): Set<string> {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return new Set(hasTable ? (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id) : []);
}

async function targetColumns(client: PgClient, table: string): Promise<TargetColumn[]> {
  const { rows } = await client.query<{ column_name: string; data_type: string; is_identity: string }>(
    `SELECT column_name, data_type, is_identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({ name: r.column_name, type: r.data_type, identity: r.is_identity === 'YES' }));
}

function sourceOrder(db: SqliteDatabase, table: string): string {
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string } | undefined)?.sql ?? '';
  if (!/WITHOUT\s+ROWID/i.test(sql)) return 'rowid';
  const pk = (db.prepare(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as { name: string }[]).map((r) => quote(r.name));
  return pk.join(', ');
}

function convert(value: unknown, column: TargetColumn): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'boolean') return value === 1 || value === true || value === '1';
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Copies one table in batches of multi-row INSERTs, in the source's order; returns the row count. */
async function copyTable(db: SqliteDatabase, client: PgClient, table: string): Promise<number> {
  const target = await targetColumns(client, table);
  if (target.length === 0) throw new CopyRefused(`PostgreSQL has no table ${table} after the migrations`);
  const source = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name));
  if (source.size === 0) throw new CopyRefused(`the SQLite file has no table ${table}`);
  for (const name of RETIRED_SOURCE_COLUMNS[table] ?? []) {
    if (!source.delete(name)) continue;
    const used = db.prepare(`SELECT COUNT(*) AS n FROM ${quote(table)} WHERE ${quote(name)} IS NOT NULL`).get() as { n: number };
    if (used.n > 0) throw new CopyRefused(`${table}.${name} should be empty in this version's schema but holds ${used.n} values; nothing was copied`);
  }
  const extra = [...source].filter((name) => !target.some((c) => c.name === name));
  if (extra.length > 0) throw new CopyRefused(`${table}: SQLite columns without a PostgreSQL column (${extra.join(', ')}); nothing was copied`);
  const columns = target.filter((c) => source.has(c.name));
  const overriding = columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  const perStatement = Math.max(1, Math.min(1000, Math.floor(60_000 / columns.length)));
  const head = `INSERT INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')})${overriding} VALUES `;
  let rows = 0;
  let batch: unknown[][] = [];
  const insert = async () => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await client.query(head + tuples.join(', '), params);
    rows += batch.length;
    batch = [];
  };
  const select = db.prepare(`SELECT ${columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table)} ORDER BY ${sourceOrder(db, table)}`).safeIntegers(false);
  for (const row of select.iterate() as IterableIterator<Record<string, unknown>>) {
    batch.push(columns.map((c) => convert(row[c.name], c)));
    if (batch.length >= perStatement) await insert();
  }
  await insert();
  // The next id handed out follows the highest one copied.
  for (const c of columns.filter((col) => col.identity)) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(${quote(c.name)}) FROM ${quote(table)}), 0) + 1, false)`,
      [table, c.name],
    );
  }
  return rows;
}

/**
 * Copies the SQLite database `db` into PostgreSQL on `pool` (migrated here first). Refuses, writing
 * nothing, when the source lacks a migration or any target table already holds a row.
 */
export async function copySqliteToPostgres(db: SqliteDatabase, pool: PgPool, transcripts: SqliteDatabase = db): Promise<CopyResult> {
  checkSource(db);
  if (transcripts !== db) checkTranscripts(db, transcripts);
  const migrationsApplied = await applyPgMigrations(pool, COPY_TARGET_MIGRATIONS);
  const sources = transcripts === db ? [db] : [db, transcripts];
  // One read snapshot of each file for the whole copy.
  for (const source of sources) source.exec('BEGIN');
  try {
    const tables = await inTransaction(pool, async (client) => {
      // No instance writes while the copy runs, and a second copy waits, then finds the data.
      await client.query(`LOCK TABLE ${COPIED_TABLES.map(quote).join(', ')} IN EXCLUSIVE MODE`);
      const filled: string[] = [];
      for (const table of COPIED_TABLES) {
        const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(table)}) AS any`);
        if (rows[0]!.any) filled.push(table);
      }
      if (filled.length > 0) {
        throw new CopyRefused(
          `the PostgreSQL database already holds data (${filled.join(', ')}): the copy only goes into an empty database, and nothing was written. ` +
            'Copy into a new database (or drop these tables there) and run it again.',
        );
      }
      await client.query('ALTER TABLE tickets DISABLE TRIGGER ticket_status_count_insert');
      const counts: { table: string; rows: number }[] = [];
      for (const table of COPIED_TABLES) counts.push({ table, rows: await copyTable(TRANSCRIPT_TABLES.has(table) ? transcripts : db, client, table) });
      await client.query('ALTER TABLE tickets ENABLE TRIGGER ticket_status_count_insert');
      await client.query('UPDATE ticket_status_counts c SET n = (SELECT COUNT(*) FROM tickets t WHERE t.status = c.status)');
      const { rows: unknown } = await client.query<{ status: string }>(
        'SELECT DISTINCT status FROM tickets WHERE status NOT IN (SELECT status FROM ticket_status_counts)',
      );
      if (unknown.length > 0) throw new CopyRefused(`tickets with a status PostgreSQL does not count: ${unknown.map((r) => r.status).join(', ')}`);
      return counts;
    });
    return { tables, migrationsApplied };
  } finally {
    for (const source of sources) source.exec('COMMIT');
  }
}

/** The tables read from the transcripts' own file (src/transcripts/transcript-database.ts). */
const TRANSCRIPT_TABLES: ReadonlySet<string> = new Set(['transcript_conversations', 'transcript_activities']);

/**
 * The transcripts' file must be at this version's schema, and the main file must no longer hold
 * transcripts of its own (an earlier version's, which this version moves when it starts).
 */
function checkTranscripts(db: SqliteDatabase, transcripts: SqliteDatabase): void {
  const applied = appliedMigrations(transcripts);
  if (transcriptMigrations.some((m) => !applied.has(m.id)) || holdsLegacyTranscripts(db)) {
    throw new CopyRefused('the transcripts are not yet in their own file (written by this version of the bot): start this version of the bot on it once, stop it, then copy');
  }
}

/** `postgres://user:***@host/db`: the URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface CopyCliContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The command: DATABASE_FILE → DATABASE_URL; returns the exit code. */
export async function runCopyToPostgres(argv: readonly string[], context: CopyCliContext): Promise<number> {
  if (argv.length > 0) {
    context.err('usage: npm run db:copy-to-postgres   (reads DATABASE_FILE and DATABASE_URL; takes no arguments)\n');
    return 2;
  }
  const url = context.env['DATABASE_URL']?.trim();
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    context.err('DATABASE_URL must be set to the PostgreSQL database to copy into (postgres://user:password@host:5432/db)\n');
    return 2;
  }
  const file = resolve(context.cwd, context.env['DATABASE_FILE']?.trim() || './data/bot.sqlite');
  if (!existsSync(file)) {
    context.err(`no SQLite database at ${file} (set DATABASE_FILE)\n`);
    return 2;
  }
  const transcriptsFile = transcriptsFileOf(file);
  if (!existsSync(transcriptsFile)) {
    context.err(`no transcripts' database at ${transcriptsFile}: start this version of the bot on ${file} once, stop it, then copy\n`);
    return 1;
  }
  context.err(`copying ${file} (and its transcripts, ${transcriptsFile}) into ${redactUrl(url)}\n`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const transcripts = new Database(transcriptsFile, { readonly: true, fileMustExist: true });
  const pool = openPostgres(url, { max: 2, applicationName: 'tfa-support-bot-copy' });
  try {
    const started = Date.now();
    const result = await copySqliteToPostgres(db, pool, transcripts);
    if (result.migrationsApplied.length > 0) context.out(`migrations applied: ${result.migrationsApplied.join(', ')}\n`);
    const width = Math.max(...result.tables.map((t) => t.table.length));
    for (const t of result.tables) context.out(`${t.table.padEnd(width)}  ${String(t.rows).padStart(9)}\n`);
    context.out(`copied in ${((Date.now() - started) / 1000).toFixed(1)} s; the SQLite file is unchanged\n`);
    return 0;
  } catch (err) {
    context.err(err instanceof CopyRefused ? `refused: ${err.message}\n` : `copy failed, nothing was written: ${(err as Error).message}\n`);
    return 1;
  } finally {
    transcripts.close();
    db.close();
    await pool.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.exitCode = await runCopyToPostgres(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
}
