/**
 * The port for support agents and their credentials (personal API tokens, console sessions).
 * Only hashes of secrets cross it: hashing and the rules (expiry, idle time) live in src/desk/auth.
 */
import type { Agent, AgentRole, NewAgent } from './agent.js';

/** A personal API token as lists show it: never the secret, never its hash. */
export interface ApiTokenInfo {
  /** `tok_` + random characters; unrelated to the secret, safe to show and to pass to revoke. */
  readonly id: string;
  readonly agentId: string;
  readonly label: string;
  /** The first characters of the secret (`tfa_AbCd`), so a person can tell their tokens apart. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A token as stored: its info and the SHA-256 of the secret (hex). */
export interface StoredApiToken extends ApiTokenInfo {
  readonly hash: string;
}

/** A console session as stored; its id exists only in the agent's cookie, the store keeps its hash. */
export interface StoredSession {
  readonly idHash: string;
  readonly agentId: string;
  /** Not a credential on its own: it is compared with what a form or script sends back. */
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** Absolute end, whatever the activity. */
  readonly expiresAt: string;
  /** The API token a token sign-in used (the session ends with it); null for OpenID sign-in. */
  readonly tokenId: string | null;
}

/**
 * Agents and their credentials. Every method is async so that a server database can implement it;
 * refused operations throw AppError (`not_found`, `conflict`, `invalid_input`).
 */
export interface AgentRepository {
  /** Adds an active agent without a subject; `conflict` when the e-mail is taken. */
  create(input: NewAgent): Promise<Agent>;
  /** `not_found` when there is no such agent. */
  get(id: string): Promise<Agent>;
  findByEmail(email: string): Promise<Agent | null>;
  findBySubject(subject: string): Promise<Agent | null>;
  /** Binds the identity provider's `sub`; `conflict` when the agent or the subject is already bound elsewhere. */
  bindSubject(agentId: string, subject: string): Promise<Agent>;
  /** Every agent, by display name. */
  list(): Promise<Agent[]>;
  setRole(agentId: string, role: AgentRole): Promise<Agent>;
  /** Disabling also deletes the agent's console sessions, in the same transaction. */
  setActive(agentId: string, active: boolean): Promise<Agent>;

  /** Stores a token (its hash); `not_found` when the agent does not exist. */
  insertToken(token: StoredApiToken): Promise<ApiTokenInfo>;
  findTokenByHash(hash: string): Promise<StoredApiToken | null>;
  /** The agent's tokens, newest first, revoked ones included. */
  listTokens(agentId: string): Promise<ApiTokenInfo[]>;
  /**
   * Marks the token revoked (once: a second revoke keeps the first time) and deletes the console
   * sessions started with it, in one transaction; `not_found` otherwise.
   */
  revokeToken(tokenId: string, at: string): Promise<ApiTokenInfo>;
  /** The token by its id, or null. */
  findToken(tokenId: string): Promise<ApiTokenInfo | null>;
  touchToken(tokenId: string, at: string): Promise<void>;

  insertSession(session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | null>;
  touchSession(idHash: string, at: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Deletes sessions past their absolute end or idle since before `idleBefore`; returns how many. */
  deleteStaleSessions(now: string, idleBefore: string): Promise<number>;
}
