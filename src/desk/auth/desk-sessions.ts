/**
 * Console sessions: what a browser holds after signing in. The session id lives only in the
 * agent's cookie (the store keeps its SHA-256); each session carries its own CSRF token, ends
 * after an idle time and, whatever the activity, after an absolute lifetime.
 */
import type { Agent } from '../agents/agent.js';
import type { AgentRepository } from '../agents/agent-repository.js';
import { randomSecret, sha256Hex } from './secrets.js';

/** Writing lastSeenAt on every request would turn each read into a write; once a minute keeps idle time accurate enough. */
const TOUCH_INTERVAL_MS = 60_000;

/** A session just started: the id goes into the cookie and is then forgotten by the server. */
export interface StartedSession {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** A live session's agent and CSRF token. */
export interface ResolvedSession {
  readonly agent: Agent;
  readonly csrfToken: string;
}

/** The API token a token sign-in presented: the session ends when it is revoked or expires. */
export interface SessionToken {
  readonly id: string;
  readonly expiresAt: string | null;
}

export interface DeskSessions {
  /** With `token` (token sign-in), the session ends with that token and never outlives its expiry. */
  start(agentId: string, options?: { readonly token?: SessionToken }): Promise<StartedSession>;
  /**
   * The session's active agent, or null for an unknown, expired, idle or disabled one, or one whose
   * sign-in token was revoked or expired (which is then
   * deleted). `touch: false` checks without counting as activity (the live queue's heartbeat must
   * not keep an unattended console signed in).
   */
  resolve(sessionId: string, options?: { readonly touch?: boolean }): Promise<ResolvedSession | null>;
  /** Sign-out: the session stops working at once. Unknown ids are ignored. */
  end(sessionId: string): Promise<void>;
}

export interface DeskSessionsDeps {
  readonly agents: AgentRepository;
  readonly idleMinutes: number;
  readonly maxHours: number;
  readonly now?: () => Date;
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Creates the session service over an agent repository. */
export function createDeskSessions({ agents, idleMinutes, maxHours, now = () => new Date() }: DeskSessionsDeps): DeskSessions {
  const idleMs = idleMinutes * 60_000;
  return {
    async start(agentId, options = {}) {
      const at = now();
      // Signing in is rare: a good moment to sweep sessions nobody will come back to.
      await agents.deleteStaleSessions(at.toISOString(), new Date(at.getTime() - idleMs).toISOString());
      const sessionId = randomSecret(32);
      const csrfToken = randomSecret(32);
      const token = options.token ?? null;
      let expiresAt = new Date(at.getTime() + maxHours * 3_600_000);
      if (token?.expiresAt && Date.parse(token.expiresAt) < expiresAt.getTime()) expiresAt = new Date(token.expiresAt);
      await agents.insertSession({
        idHash: sha256Hex(sessionId),
        agentId,
        csrfToken,
        createdAt: at.toISOString(),
        lastSeenAt: at.toISOString(),
        expiresAt: expiresAt.toISOString(),
        tokenId: token?.id ?? null,
      });
      return { sessionId, csrfToken, expiresAt };
    },

    async resolve(sessionId, options = {}) {
      if (!SESSION_ID_PATTERN.test(sessionId)) return null;
      const idHash = sha256Hex(sessionId);
      const session = await agents.findSession(idHash);
      if (!session) return null;
      const at = now().getTime();
      const lastSeen = Date.parse(session.lastSeenAt);
      if (Date.parse(session.expiresAt) <= at || at - lastSeen >= idleMs) {
        await agents.deleteSession(idHash);
        return null;
      }
      if (session.tokenId !== null) {
        const token = await agents.findToken(session.tokenId);
        if (!token || token.revokedAt !== null || (token.expiresAt !== null && Date.parse(token.expiresAt) <= at)) {
          await agents.deleteSession(idHash);
          return null;
        }
      }
      const agent = await agents.get(session.agentId);
      if (!agent.active) {
        await agents.deleteSession(idHash);
        return null;
      }
      if (options.touch !== false && at - lastSeen >= TOUCH_INTERVAL_MS) await agents.touchSession(idHash, new Date(at).toISOString());
      return { agent, csrfToken: session.csrfToken };
    },

    async end(sessionId) {
      if (SESSION_ID_PATTERN.test(sessionId)) await agents.deleteSession(sha256Hex(sessionId));
    },
  };
}
