/**
 * Who is making a desk request. Every `/api/desk/*` route (and the console pages) calls
 * `authenticate` first and, for state-changing requests, `checkCsrf`. Credentials are a bearer
 * API token (scripts, the command line) or the console's session cookie (the browser).
 */
import { AppError } from '../../errors.js';
import type { Agent } from '../agents/agent.js';
import type { ApiTokens } from './api-tokens.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { DeskSessions } from './desk-sessions.js';
import { safeEqual } from './secrets.js';

/** The agent behind a request and how they proved it. */
export interface AuthenticatedAgent {
  readonly agent: Agent;
  readonly via: 'token' | 'session';
  /** The session's CSRF token (to put in forms and `X-CSRF-Token`); null for bearer requests. */
  readonly csrfToken: string | null;
}

/** What authentication reads from a request (restify's Request fits; tests pass a plain object). */
export interface DeskRequest {
  readonly method?: string;
  header(name: string): string | undefined;
}

export interface DeskAuthenticator {
  /** The request's agent; throws AppError('unauthorized') for a missing, bad or expired credential or a disabled agent. */
  authenticate(req: DeskRequest): Promise<AuthenticatedAgent>;
  /**
   * Like authenticate, but null instead of throwing (pages that redirect to sign-in). `touch: false`
   * checks a session without counting as activity.
   */
  tryAuthenticate(req: DeskRequest, options?: { readonly touch?: boolean }): Promise<AuthenticatedAgent | null>;
  /**
   * Refuses a cross-site state change: for session requests with POST/PUT/PATCH/DELETE, the
   * `X-CSRF-Token` header (or `formToken`, a form's hidden field) must equal the session's token,
   * and an `Origin` header, when sent, must be this desk's origin. Bearer requests pass (a
   * browser never adds an Authorization header on its own). Throws AppError('forbidden', …, {reason:'csrf'}).
   */
  checkCsrf(req: DeskRequest, auth: AuthenticatedAgent, formToken?: string): void;
}

export interface DeskAuthenticatorDeps {
  readonly tokens: ApiTokens;
  readonly sessions: DeskSessions;
  /** config.publicBaseUrl: the only Origin allowed to change state with a session. */
  readonly publicBaseUrl: string;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Creates the authenticator the desk's routes share. */
export function createDeskAuthenticator({ tokens, sessions, publicBaseUrl }: DeskAuthenticatorDeps): DeskAuthenticator {
  const origin = new URL(publicBaseUrl).origin;

  async function tryAuthenticate(req: DeskRequest, options: { readonly touch?: boolean } = {}): Promise<AuthenticatedAgent | null> {
    const authorization = req.header('authorization');
    // An Authorization header decides alone: a bad token never falls back to a cookie the browser added.
    if (authorization !== undefined && authorization !== '') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const verified = match ? await tokens.verify(match[1]!) : null;
      return verified ? { agent: verified.agent, via: 'token', csrfToken: null } : null;
    }
    const sessionId = readCookie(req.header('cookie'), SESSION_COOKIE);
    if (!sessionId) return null;
    const session = await sessions.resolve(sessionId, options);
    return session ? { agent: session.agent, via: 'session', csrfToken: session.csrfToken } : null;
  }

  return {
    tryAuthenticate,
    async authenticate(req) {
      const auth = await tryAuthenticate(req);
      // One message for every failure: which part was wrong is no business of a caller without credentials.
      if (!auth) throw new AppError('unauthorized', 'Sign in to the support desk (session expired or credential not valid)');
      return auth;
    },
    checkCsrf(req, auth, formToken) {
      if (auth.via !== 'session' || !STATE_CHANGING.has((req.method ?? 'GET').toUpperCase())) return;
      const sent = req.header('x-csrf-token') || formToken || '';
      const sentOrigin = req.header('origin');
      const originOk = sentOrigin === undefined || sentOrigin === origin;
      if (auth.csrfToken === null || !originOk || !safeEqual(sent, auth.csrfToken)) {
        throw new AppError('forbidden', 'CSRF check failed', { reason: 'csrf' });
      }
    },
  };
}
