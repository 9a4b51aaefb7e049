/**
 * OpenID sign-ins in progress, in PostgreSQL (table `desk_oidc_logins`, see
 * postgresDeskAuthMigrations). The browser may come back to another instance than the one that
 * sent it to the identity provider: the row is shared, and taken once (DELETE … RETURNING).
 */
import type { PgPool } from '../../storage/postgres/index.js';
import type { PendingOidcLogin, PendingOidcLoginStore } from './pending-oidc-logins.js';

export class PostgresPendingOidcLoginStore implements PendingOidcLoginStore {
  readonly #pool: PgPool;

  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  async save(keyHash: string, login: PendingOidcLogin): Promise<void> {
    await this.#pool.query(
      `INSERT INTO desk_oidc_logins (key_hash, state, nonce, code_verifier, language, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [keyHash, login.state, login.nonce, login.codeVerifier, login.language, login.expiresAt],
    );
  }

  async take(keyHash: string): Promise<PendingOidcLogin | null> {
    // One statement: of two returns with the same key, only one gets the row.
    const { rows } = await this.#pool.query<{ state: string; nonce: string; code_verifier: string; language: PendingOidcLogin['language']; expires_at: string }>(
      'DELETE FROM desk_oidc_logins WHERE key_hash = $1 RETURNING state, nonce, code_verifier, language, expires_at',
      [keyHash],
    );
    const row = rows[0];
    return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, language: row.language, expiresAt: row.expires_at } : null;
  }

  async deleteExpired(now: string): Promise<number> {
    return (await this.#pool.query('DELETE FROM desk_oidc_logins WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}
