/**
 * The desk's sign-in, assembled from configuration and the database: what the composition root
 * creates once and hands to the routes (src/server/desk-auth-routes.ts) and the desk API.
 */
import type { Config } from '../../config.js';
import type { SqliteDatabase } from '../../storage/database.js';
import type { AgentRepository } from '../agents/agent-repository.js';
import { SqliteAgentRepository } from '../agents/sqlite-agent-repository.js';
import { createApiTokens, type ApiTokens } from './api-tokens.js';
import { createDeskAuthenticator, type DeskAuthenticator } from './authenticator.js';
import { createDeskSessions, type DeskSessions } from './desk-sessions.js';
import { createOidcSignIn, type OidcSignIn } from './oidc-sign-in.js';
import { SqlitePendingOidcLoginStore } from './pending-oidc-logins.js';
import type { PendingOidcLoginStore } from './pending-oidc-logins.js';

export interface DeskAuth {
  readonly agents: AgentRepository;
  readonly tokens: ApiTokens;
  readonly sessions: DeskSessions;
  /** `authenticate(req)` and `checkCsrf(req, auth)` for every desk route. */
  readonly authenticator: DeskAuthenticator;
  /** Null when no identity provider is configured (OIDC_* keys unset). */
  readonly oidc: OidcSignIn | null;
}

export interface DeskAuthDeps {
  /** Opened with deskAuthMigrations (ALL_MIGRATIONS includes them); or give `stores`. */
  readonly db?: SqliteDatabase;
  /** The agents and pending sign-ins of the configured backend (src/stores), instead of `db`. */
  readonly stores?: { readonly agents: AgentRepository; readonly pendingOidcLogins: PendingOidcLoginStore };
  readonly config: Pick<Config, 'publicBaseUrl' | 'desk'>;
  /** The clock; tests inject one. */
  readonly now?: () => Date;
}

/** Builds the agent store, tokens, sessions, authenticator and (when configured) OpenID sign-in. */
export function createDeskAuth({ db, stores, config, now = () => new Date() }: DeskAuthDeps): DeskAuth {
  const source = stores ?? (db ? { agents: new SqliteAgentRepository(db, { now }), pendingOidcLogins: new SqlitePendingOidcLoginStore(db) } : undefined);
  if (!source) throw new Error('createDeskAuth needs a database or stores');
  const agents = source.agents;
  const tokens = createApiTokens({ agents, now });
  const sessions = createDeskSessions({ agents, now, idleMinutes: config.desk.sessionIdleMinutes, maxHours: config.desk.sessionMaxHours });
  const authenticator = createDeskAuthenticator({ tokens, sessions, publicBaseUrl: config.publicBaseUrl });
  const oidc = config.desk.oidc ? createOidcSignIn({ config: config.desk.oidc, pending: source.pendingOidcLogins, now }) : null;
  return { agents, tokens, sessions, authenticator, oidc };
}
