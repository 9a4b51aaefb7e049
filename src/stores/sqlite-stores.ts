/**
 * The SQLite backend: every store of {@link Stores} on one database file (the embedded default,
 * one process or a few sharing the file on one machine).
 */
import { directLineMigrations, SqliteDirectLineStore } from '../channel/directline/sqlite-directline-store.js';
import { deskAuthMigrations } from '../desk/agents/desk-auth-migrations.js';
import { alertMigrations, SqliteTicketAlertStore } from '../desk/alerts/sqlite-alert-store.js';
import { SqliteAgentRepository } from '../desk/agents/sqlite-agent-repository.js';
import { auditMigrations, SqliteAuditLog } from '../desk/audit/sqlite-audit-log.js';
import { SqlitePendingOidcLoginStore } from '../desk/auth/pending-oidc-logins.js';
import { openDatabase, type Migration, type SqliteDatabase } from '../storage/database.js';
import { SqliteNotificationOutbox } from '../tickets/outbox/sqlite-notification-outbox.js';
import { SqliteTicketRepository } from '../tickets/sqlite-ticket-repository.js';
import { ticketMigrations } from '../tickets/sqlite-ticket-repository.js';
import type { StoreOptions, Stores } from './stores.js';

/** The migrations the stores of this set need; the app adds its others (bot state, transcripts…). */
export const SQLITE_STORE_MIGRATIONS: readonly Migration[] = [
  ...ticketMigrations,
  ...directLineMigrations,
  ...deskAuthMigrations,
  ...auditMigrations,
  ...alertMigrations,
];

/** The stores on a database already opened (and migrated with at least {@link SQLITE_STORE_MIGRATIONS}). */
export function sqliteStores(db: SqliteDatabase, options: StoreOptions = {}): Stores {
  const now = options.now;
  return {
    backend: 'sqlite',
    tickets: new SqliteTicketRepository(db),
    outbox: new SqliteNotificationOutbox(db),
    agents: new SqliteAgentRepository(db, now ? { now } : {}),
    pendingOidcLogins: new SqlitePendingOidcLoginStore(db),
    audit: new SqliteAuditLog(db),
    directLine: new SqliteDirectLineStore(db, now ? { now } : {}),
    alerts: (channel) => new SqliteTicketAlertStore(db, channel),
    close: async () => {
      if (db.open) db.close();
    },
  };
}

/** Opens (creating if needed) the file, applies the stores' migrations, and builds the set. */
export function openSqliteStores(file: string, options: StoreOptions & { readonly migrations?: readonly Migration[] } = {}): Stores & { readonly db: SqliteDatabase } {
  const db = openDatabase(file, options.migrations ?? SQLITE_STORE_MIGRATIONS);
  return { ...sqliteStores(db, options), db };
}
