import { applyPgMigrations, type PgMigration } from './migrations.js';
import { openPostgres, type PgPool } from './pool.js';

/**
 * A small pool on `url` with `migrations` applied, for the command-line tools (`npm run desk`,
 * `npm run transcripts`): they may run before the app ever started on this database, and then
 * create its tables exactly as the app would. A failure ends the pool before it is thrown.
 */
export async function openMigratedPostgres(
  url: string,
  migrations: readonly PgMigration[],
  applicationName: string,
): Promise<{ readonly pool: PgPool; close(): Promise<void> }> {
  const pool = openPostgres(url, { max: 2, applicationName });
  try {
    await applyPgMigrations(pool, migrations);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return { pool, close: () => pool.end() };
}
