/**
 * Schema of the desk's agents and sign-in in PostgreSQL: desk-auth-migrations.ts (SQLite) reached
 * in one step, with PostgreSQL's own ids. A change is a new migration, never an edit of this one.
 */
import type { PgMigration } from '../../storage/postgres/index.js';

export const postgresDeskAuthMigrations: readonly PgMigration[] = [
  {
    id: 'pg-desk-auth-001',
    sql: `
      CREATE TABLE desk_agents (
        id TEXT COLLATE "C" PRIMARY KEY,
        display_name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        active BOOLEAN NOT NULL,
        oidc_subject TEXT UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Secrets are never stored: a token is found by the SHA-256 of what the caller presents.
      CREATE TABLE desk_api_tokens (
        id TEXT COLLATE "C" PRIMARY KEY,
        agent_id TEXT NOT NULL REFERENCES desk_agents (id),
        label TEXT NOT NULL,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at TEXT COLLATE "C" NOT NULL,
        expires_at TEXT,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX desk_api_tokens_by_agent ON desk_api_tokens (agent_id, created_at);

      CREATE TABLE desk_sessions (
        id_hash TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL REFERENCES desk_agents (id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT COLLATE "C" NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL,
        token_id TEXT REFERENCES desk_api_tokens (id)
      );
      CREATE INDEX desk_sessions_by_agent ON desk_sessions (agent_id);
      CREATE INDEX desk_sessions_by_token ON desk_sessions (token_id) WHERE token_id IS NOT NULL;

      -- An OpenID sign-in between the redirect to the identity provider and its return.
      CREATE TABLE desk_oidc_logins (
        key_hash TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        nonce TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
        expires_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
];
