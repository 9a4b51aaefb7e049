import { beforeEach } from 'vitest';
import { deskAuthMigrations } from '../../../src/desk/agents/desk-auth-migrations.js';
import { SqlitePendingOidcLoginStore } from '../../../src/desk/auth/pending-oidc-logins.js';
import { openDatabase, type SqliteDatabase } from '../../../src/storage/database.js';
import { pendingOidcLoginContract } from './pending-oidc-logins.contract.js';

let db: SqliteDatabase;
beforeEach(() => {
  db = openDatabase(':memory:', deskAuthMigrations);
});

pendingOidcLoginContract('SQLite', () => new SqlitePendingOidcLoginStore(db));
