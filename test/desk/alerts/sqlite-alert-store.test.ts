import { beforeEach } from 'vitest';
import { alertMigrations, SqliteTicketAlertStore } from '../../../src/desk/alerts/sqlite-alert-store.js';
import { openDatabase, type SqliteDatabase } from '../../../src/storage/database.js';
import { alertStoreContract } from './alert-store.contract.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:', alertMigrations);
});

alertStoreContract('SQLite', (channel) => new SqliteTicketAlertStore(db, channel));
