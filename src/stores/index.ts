/**
 * Which backend the stores live in, chosen from the configuration: DATABASE_URL (postgres://…)
 * selects PostgreSQL, otherwise SQLite under DATABASE_FILE.
 * src/app.ts builds the app on these (with conversation state, transcripts and the turn lock of the
 * same backend).
 */
import type { Config } from '../config-shape.js';
import { openPostgresStores, type OpenPostgresStoresOptions } from './postgres-stores.js';
import { openSqliteStores } from './sqlite-stores.js';
import type { StoreOptions, Stores } from './stores.js';

export type { StoreBackend, StoreOptions, Stores } from './stores.js';
export { openPostgresStores, postgresStores, POSTGRES_STORE_MIGRATIONS } from './postgres-stores.js';
export { openSqliteStores, sqliteStores, SQLITE_STORE_MIGRATIONS } from './sqlite-stores.js';

/** The backend the configuration selects. */
export function storeBackendOf(config: Pick<Config, 'databaseUrl'>): Stores['backend'] {
  return config.databaseUrl === undefined ? 'sqlite' : 'postgres';
}

/** Opens the stores of the configured backend, migrated and ready. */
export async function openStores(
  config: Pick<Config, 'databaseUrl' | 'databaseFile'>,
  options: StoreOptions & Pick<OpenPostgresStoresOptions, 'schema' | 'max' | 'settings' | 'onPoolError'> = {},
): Promise<Stores> {
  if (config.databaseUrl !== undefined) return openPostgresStores(config.databaseUrl, options);
  return openSqliteStores(config.databaseFile, options);
}
