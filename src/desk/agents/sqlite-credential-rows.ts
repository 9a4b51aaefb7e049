/**
 * The token and session statements of {@link SqliteAgentRepository} and their row mappings, kept
 * apart so the repository file reads as the agent rules.
 */
import type { SqliteDatabase } from '../../storage/database.js';
import type { ApiTokenInfo, StoredApiToken, StoredSession } from './agent-repository.js';

export interface TokenRow {
  id: string;
  agent_id: string;
  label: string;
  prefix: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionRow {
  id_hash: string;
  agent_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  token_id: string | null;
}

/** Prepared once per repository. */
export function prepareCredentialStatements(db: SqliteDatabase) {
  return {
    insertToken: db.prepare<[StoredApiToken]>(
      `INSERT INTO desk_api_tokens (id, agent_id, label, prefix, hash, created_at, expires_at, last_used_at, revoked_at)
       VALUES (@id, @agentId, @label, @prefix, @hash, @createdAt, @expiresAt, @lastUsedAt, @revokedAt)`,
    ),
    tokenById: db.prepare<[string], TokenRow>('SELECT * FROM desk_api_tokens WHERE id = ?'),
    tokenByHash: db.prepare<[string], TokenRow>('SELECT * FROM desk_api_tokens WHERE hash = ?'),
    tokensOf: db.prepare<[string], TokenRow>('SELECT * FROM desk_api_tokens WHERE agent_id = ? ORDER BY created_at DESC, id'),
    // COALESCE: revoking twice keeps the first time, which is when the token stopped working.
    revokeToken: db.prepare<[string, string]>('UPDATE desk_api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?'),
    touchToken: db.prepare<[string, string]>('UPDATE desk_api_tokens SET last_used_at = ? WHERE id = ?'),
    insertSession: db.prepare<[StoredSession]>(
      `INSERT INTO desk_sessions (id_hash, agent_id, csrf_token, created_at, last_seen_at, expires_at, token_id)
       VALUES (@idHash, @agentId, @csrfToken, @createdAt, @lastSeenAt, @expiresAt, @tokenId)`,
    ),
    sessionByHash: db.prepare<[string], SessionRow>('SELECT * FROM desk_sessions WHERE id_hash = ?'),
    touchSession: db.prepare<[string, string]>('UPDATE desk_sessions SET last_seen_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare<[string]>('DELETE FROM desk_sessions WHERE id_hash = ?'),
    deleteSessionsOfToken: db.prepare<[string]>('DELETE FROM desk_sessions WHERE token_id = ?'),
    deleteStaleSessions: db.prepare<[string, string]>('DELETE FROM desk_sessions WHERE expires_at <= ? OR last_seen_at < ?'),
  };
}

export function toTokenInfo(row: TokenRow): ApiTokenInfo {
  return {
    id: row.id,
    agentId: row.agent_id,
    label: row.label,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function toStoredToken(row: TokenRow): StoredApiToken {
  return { ...toTokenInfo(row), hash: row.hash };
}

export function toSession(row: SessionRow): StoredSession {
  return {
    idHash: row.id_hash,
    agentId: row.agent_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    tokenId: row.token_id,
  };
}
