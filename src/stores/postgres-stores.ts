/**
 * The PostgreSQL backend: every store of {@link Stores} on one pool, for several bot instances
 * sharing one database. Migrations are applied at start under an advisory lock, so instances
 * starting together are safe.
 */
import { PostgresDirectLineStore, postgresDirectLineMigrations } from '../channel/directline/postgres-directline-store.js';
import { PostgresAgentRepository } from '../desk/agents/postgres-agent-repository.js';
import { postgresDeskAuthMigrations } from '../desk/agents/postgres-desk-auth-migrations.js';
import { PostgresTicketAlertStore, postgresAlertMigrations } from '../desk/alerts/postgres-alert-store.js';
import { PostgresAuditLog, postgresAuditMigrations } from '../desk/audit/postgres-audit-log.js';
import { PostgresPendingOidcLoginStore } from '../desk/auth/postgres-pending-oidc-logins.js';
import { applyPgMigrations, openPostgres, type PgMigration, type PgPool, type PostgresOptions } from '../storage/postgres/index.js';
import { PostgresNotificationOutbox } from '../tickets/outbox/postgres-notification-outbox.js';
import { PostgresTicketRepository } from '../tickets/postgres-ticket-repository.js';
import { postgresTicketMigrations } from '../tickets/postgres-ticket-migrations.js';
import type { StoreOptions, Stores } from './stores.js';

/** The migrations of the stores of this set, in the order they are applied. */
export const POSTGRES_STORE_MIGRATIONS: readonly PgMigration[] = [
  ...postgresTicketMigrations,
  ...postgresDirectLineMigrations,
  ...postgresDeskAuthMigrations,
  ...postgresAuditMigrations,
  ...postgresAlertMigrations,
];

/** The stores on a pool already migrated with at least {@link POSTGRES_STORE_MIGRATIONS}. The pool stays the caller's. */
export function postgresStores(pool: PgPool, options: StoreOptions = {}): Stores {
  const now = options.now;
  return {
    backend: 'postgres',
    tickets: new PostgresTicketRepository(pool),
    outbox: new PostgresNotificationOutbox(pool),
    agents: new PostgresAgentRepository(pool, now ? { now } : {}),
    pendingOidcLogins: new PostgresPendingOidcLoginStore(pool),
    audit: new PostgresAuditLog(pool),
    directLine: new PostgresDirectLineStore(pool, now ? { now } : {}),
    alerts: (channel) => new PostgresTicketAlertStore(pool, channel),
    close: async () => undefined,
  };
}

export interface OpenPostgresStoresOptions extends StoreOptions, PostgresOptions {
  /** Migrations to apply instead of {@link POSTGRES_STORE_MIGRATIONS} (the app adds its others). */
  readonly migrations?: readonly PgMigration[];
  /** An idle connection failed (the server restarted); the pool replaces it. */
  readonly onPoolError?: (err: Error) => void;
}

/** Opens a pool on `url`, applies the migrations (waiting for another instance doing the same), builds the set. */
export async function openPostgresStores(url: string, options: OpenPostgresStoresOptions = {}): Promise<Stores & { readonly pool: PgPool }> {
  const pool = openPostgres(url, options, options.onPoolError);
  try {
    await applyPgMigrations(pool, options.migrations ?? POSTGRES_STORE_MIGRATIONS);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return { ...postgresStores(pool, options), pool, close: () => pool.end() };
}
