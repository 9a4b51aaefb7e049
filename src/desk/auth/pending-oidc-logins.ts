/**
 * OpenID sign-ins between the redirect to the identity provider and its return. The browser
 * holds a random key (the `desk_oidc` cookie); the server keeps, under the key's SHA-256, the
 * PKCE verifier, state and nonce, so none of them travels through the browser or another site.
 * A row is used once (taken, then deleted) and lives ten minutes at most.
 */
import type { Language } from '../../i18n/i18n.js';
import type { SqliteDatabase } from '../../storage/database.js';

export interface PendingOidcLogin {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** The language the agent started in: the pages after the provider's return use it. */
  readonly language: Language;
  readonly expiresAt: string;
}

/** The store of sign-ins in progress. */
export interface PendingOidcLoginStore {
  save(keyHash: string, login: PendingOidcLogin): Promise<void>;
  /** Returns and deletes the row (single use); null when unknown. Expiry is the caller's check. */
  take(keyHash: string): Promise<PendingOidcLogin | null>;
  /** Deletes rows that expired before `now`. */
  deleteExpired(now: string): Promise<number>;
}

interface Row {
  state: string;
  nonce: string;
  code_verifier: string;
  language: Language;
  expires_at: string;
}

/** SQLite implementation (table `desk_oidc_logins`, see deskAuthMigrations). */
export class SqlitePendingOidcLoginStore implements PendingOidcLoginStore {
  readonly #db: SqliteDatabase;
  readonly #stmt;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#stmt = {
      insert: db.prepare(
        `INSERT INTO desk_oidc_logins (key_hash, state, nonce, code_verifier, language, expires_at)
         VALUES (@keyHash, @state, @nonce, @codeVerifier, @language, @expiresAt)`,
      ),
      get: db.prepare<[string], Row>('SELECT * FROM desk_oidc_logins WHERE key_hash = ?'),
      delete: db.prepare<[string]>('DELETE FROM desk_oidc_logins WHERE key_hash = ?'),
      deleteExpired: db.prepare<[string]>('DELETE FROM desk_oidc_logins WHERE expires_at <= ?'),
    };
  }

  async save(keyHash: string, login: PendingOidcLogin): Promise<void> {
    this.#stmt.insert.run({ keyHash, ...login });
  }

  async take(keyHash: string): Promise<PendingOidcLogin | null> {
    const row = this.#db.transaction(() => {
      const found = this.#stmt.get.get(keyHash);
      if (found) this.#stmt.delete.run(keyHash);
      return found;
    }).immediate();
    return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, language: row.language, expiresAt: row.expires_at } : null;
  }

  async deleteExpired(now: string): Promise<number> {
    return this.#stmt.deleteExpired.run(now).changes;
  }
}
