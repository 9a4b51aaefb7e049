/**
 * Opening PostgreSQL: one `pg` Pool per process, shared by every store of the backend. Stores take
 * a {@link PgPool} (or a client inside a transaction) and never read the configuration themselves.
 */
import pg from 'pg';

/** The pool every PostgreSQL-backed store takes. */
export type PgPool = pg.Pool;
/** A pool or one checked-out client: what a single statement runs on. */
export type PgQueryable = pg.Pool | pg.PoolClient;
export type PgClient = pg.PoolClient;

export interface PostgresOptions {
  /** Connections per process; each instance of the bot has its own pool. */
  readonly max?: number;
  /**
   * A schema to work in (set as `search_path` on every connection). Tests give each file its own;
   * production leaves it unset and uses the database's default (`public`).
   */
  readonly schema?: string;
  /** Shown in `pg_stat_activity`, so an operator can tell the instances' connections apart. */
  readonly applicationName?: string;
  /**
   * Server settings for every connection of the pool, e.g. `{ synchronous_commit: 'off' }` for
   * tests, where each commit would otherwise wait about 12 ms for the disk here.
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** Schema names are pasted into `SET search_path`: only plain identifiers are accepted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Settings travel in the connection's `options`: names and values from a plain alphabet only. */
const SETTING = /^[a-z_][a-z0-9_.]*$/;
const SETTING_VALUE = /^[A-Za-z0-9_.-]+$/;

/** `-c name=value …` for the connection's startup packet. */
function startupOptions(options: PostgresOptions): string | undefined {
  const settings: Record<string, string> = { ...options.settings };
  if (options.schema !== undefined) {
    if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name ${JSON.stringify(options.schema)}`);
    settings['search_path'] = options.schema;
  }
  const parts = Object.entries(settings).map(([name, value]) => {
    if (!SETTING.test(name) || !SETTING_VALUE.test(value)) throw new Error(`invalid setting ${name}`);
    return `-c ${name}=${value}`;
  });
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * A pool on `url` (`postgres://user:password@host:5432/database`). Nothing connects until the
 * first query; an error on an idle connection (the server restarted) is logged by the caller's
 * `onError` instead of crashing the process, and the pool replaces the connection.
 */
export function openPostgres(url: string, options: PostgresOptions = {}, onError?: (err: Error) => void): PgPool {
  const startup = startupOptions(options);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'tfa-support-bot',
    // Fail a request quickly rather than queue it for ever when every connection is busy or the
    // server cannot be reached.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(startup !== undefined ? { options: startup } : {}),
  });
  pool.on('error', (err) => onError?.(err));
  return pool;
}
