/**
 * The support desk's sign-in over HTTP: the sign-in page, OpenID sign-in and its callback,
 * token sign-in, sign-out and `GET /api/desk/me`. Refusals are pages in the agent's language (the
 * API route answers JSON like every API). After signing in, the agent lands on the page they
 * asked for (`next`), else the queue.
 */
import { h, type ComponentChildren } from 'preact';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Language, Localizer } from '../i18n/i18n.js';
import { logFields, type Logger } from '../logger.js';
import { requestLogContext } from './request-log-context.js';
import { clearSessionCookie, OIDC_LOGIN_COOKIE, readCookie, secureCookies, serializeCookie, sessionCookie, SESSION_COOKIE } from '../desk/auth/cookies.js';
import type { DeskAuth } from '../desk/auth/desk-auth.js';
import { matchOidcAgent } from '../desk/auth/oidc-agent-match.js';
import { OidcSignInError, OidcUnavailableError } from '../desk/auth/oidc-sign-in.js';
import { field, formBody, languageCookie, languageOf, redirect, safeNext, sendPage } from '../desk/console/console-http.js';
import { pickTimeZone } from '../desk/console/format.js';
import { renderDocument } from '../desk/console/render.js';
import { ForwardPage, LoginPage, MessagePage } from '../desk/console/sign-in-pages.js';
import { sendError } from './http-error.js';
import type { RateLimits } from './rate-limit.js';

/** Where the page to return to waits during an OpenID sign-in (the provider's round trip). */
const NEXT_COOKIE = 'desk_next';

export interface DeskAuthRouteDeps {
  readonly deskAuth: DeskAuth;
  readonly config: Pick<Config, 'publicBaseUrl' | 'defaultLocale' | 'desk'>;
  readonly localizer: Localizer;
  readonly logger: Logger;
  /** Sign-in attempts per client address (token form, OpenID start; a return without a started sign-in fails at once). */
  readonly rateLimits: Pick<RateLimits, 'deskSignIn' | 'addressOf'>;
}

/** Registers the sign-in routes on the server (see the file comment for the list). */
export function registerDeskAuthRoutes(server: Server, { deskAuth, config, localizer, logger, rateLimits }: DeskAuthRouteDeps): void {
  const { authenticator, sessions, tokens, oidc, agents } = deskAuth;
  const secure = secureCookies(config.publicBaseUrl);
  const origin = new URL(config.publicBaseUrl).origin;
  const sessionMaxAge = config.desk.sessionMaxHours * 3600;
  const t = (lang: Language) => localizer.forLanguage(lang);
  const langOf = (req: Request, chosen?: unknown): Language => languageOf(req, config.defaultLocale, chosen);
  /** A sign-in page (no session yet, so no CSRF token and no agent). */
  const show = (res: Response, status: number, lang: Language, url: string, content: ComponentChildren, headers: Record<string, string | string[]> = {}) => {
    const page = { lang, t: t(lang), agent: null, csrfToken: '', url, now: new Date(), timeZone: pickTimeZone(null) };
    sendPage(res, { status, html: renderDocument(page, content), script: false }, lang, headers);
  };
  const showMessage = (res: Response, status: number, lang: Language, key: string, headers?: Record<string, string | string[]>) =>
    show(res, status, lang, '/desk/login', h(MessagePage, { message: t(lang)(`desk:errors.${key}`) }), headers);
  const nextCookie = (value: string | null) =>
    serializeCookie(NEXT_COOKIE, value ? encodeURIComponent(value) : '', { sameSite: 'Lax', path: '/desk/auth/callback', secure, maxAgeSeconds: value ? 600 : 0 });
  /**
   * Spends one sign-in attempt of the caller's address; false after answering 429 (a page, with
   * Retry-After) when they are used up. Guessing tokens then costs minutes, not milliseconds.
   */
  const attemptAllowed = (req: Request, res: Response, lang: Language): boolean => {
    const decision = rateLimits.deskSignIn.take(rateLimits.addressOf(req));
    if (decision.allowed) return true;
    logger.warn({ ...logFields(requestLogContext(req)), route: req.path() }, 'desk sign-in: too many attempts from one address');
    showMessage(res, 429, lang, 'tooManyAttempts', { 'Retry-After': String(decision.retryAfterSeconds) });
    return false;
  };
  const sessionOnly = async (req: Request) => {
    const auth = await authenticator.tryAuthenticate(req);
    return auth?.via === 'session' ? auth : null;
  };

  server.get('/desk/login', async (req: Request, res: Response) => {
    const next = safeNext(field(req.query, 'next'));
    if (await sessionOnly(req)) return redirect(res, 302, next ?? '/desk');
    const lang = langOf(req);
    const remember = languageCookie(req, lang, secure);
    show(res, 200, lang, req.url ?? '/desk/login', h(LoginPage, { oidc: oidc !== null, tokenForm: config.desk.tokenSignIn, next }), remember ? { 'Set-Cookie': remember } : {});
  });

  server.get('/desk/login/oidc', async (req: Request, res: Response) => {
    const lang = langOf(req);
    if (!oidc) return showMessage(res, 404, lang, 'notEnabled');
    if (!attemptAllowed(req, res, lang)) return;
    try {
      const { authorizationUrl, loginKey } = await oidc.begin(lang);
      // Lax and scoped to the callback: it must come back on the provider's cross-site redirect, and nowhere else.
      const cookie = serializeCookie(OIDC_LOGIN_COOKIE, loginKey, { sameSite: 'Lax', path: '/desk/auth/callback', secure, maxAgeSeconds: 600 });
      const next = safeNext(field(req.query, 'next'));
      redirect(res, 302, authorizationUrl.href, { 'Set-Cookie': next ? [cookie, nextCookie(next)] : cookie });
    } catch (err) {
      if (!(err instanceof OidcUnavailableError)) throw err;
      logger.warn({ ...logFields(requestLogContext(req)), err: { name: err.name, message: err.message } }, 'desk sign-in: identity provider unavailable');
      showMessage(res, 503, lang, 'unavailable');
    }
  });

  server.get('/desk/auth/callback', async (req: Request, res: Response) => {
    const clearLogin = serializeCookie(OIDC_LOGIN_COOKIE, '', { sameSite: 'Lax', path: '/desk/auth/callback', secure, maxAgeSeconds: 0 });
    let lang = langOf(req);
    if (!oidc) return showMessage(res, 404, lang, 'notEnabled');
    let identity;
    try {
      identity = await oidc.complete(readCookie(req.header('cookie'), OIDC_LOGIN_COOKIE), new URL(req.url ?? '', 'http://localhost').search);
    } catch (err) {
      if (err instanceof OidcUnavailableError) {
        logger.warn({ ...logFields(requestLogContext(req)), err: { name: err.name, message: err.message } }, 'desk sign-in: identity provider unavailable');
        return showMessage(res, 503, lang, 'unavailable', { 'Set-Cookie': clearLogin });
      }
      if (!(err instanceof OidcSignInError)) throw err;
      logger.info({ ...logFields(requestLogContext(req)), reason: err.reason, err: { message: err.message } }, 'desk sign-in: OpenID callback refused');
      return showMessage(res, err.reason === 'denied' ? 403 : 400, lang, err.reason, { 'Set-Cookie': clearLogin });
    }
    lang = identity.language;
    const match = await matchOidcAgent(agents, identity);
    if (!match.ok) {
      // Ids and reasons only: the e-mail the provider sent is personal data.
      logger.info({ ...logFields(requestLogContext(req)), reason: match.reason, agentId: match.agentId }, 'desk sign-in: refused, not an active agent');
      return showMessage(res, 403, lang, 'notAnAgent', { 'Set-Cookie': clearLogin });
    }
    const session = await sessions.start(match.agent.id);
    logger.info({ ...logFields(requestLogContext(req)), agentId: match.agent.id, via: 'oidc' }, 'desk sign-in');
    const next = safeNext(decodeCookie(readCookie(req.header('cookie'), NEXT_COOKIE))) ?? '/desk';
    const cookies = [clearLogin, sessionCookie(session.sessionId, secure, sessionMaxAge), ...(next !== '/desk' ? [nextCookie(null)] : [])];
    show(res, 200, lang, '/desk', h(ForwardPage, { next }), { 'Set-Cookie': cookies });
  });

  server.post('/desk/login/token', async (req: Request, res: Response) => {
    const form = formBody(req);
    const lang = langOf(req, form.lang);
    const next = safeNext(form.next);
    if (!config.desk.tokenSignIn) return showMessage(res, 404, lang, 'notEnabled');
    // A sign-in form posted from another site would sign the browser in as someone else's agent.
    if (!sameOrigin(req, origin)) return showMessage(res, 403, lang, 'csrf');
    if (!attemptAllowed(req, res, lang)) return;
    const verified = await tokens.verify(typeof form.token === 'string' ? form.token.trim() : '');
    if (!verified) {
      logger.info({ ...logFields(requestLogContext(req)), via: 'token' }, 'desk sign-in: token refused');
      const page = h(LoginPage, { oidc: oidc !== null, tokenForm: true, next, error: t(lang)('desk:signIn.tokenInvalid') });
      return show(res, 401, lang, `/desk/login${next ? `?next=${encodeURIComponent(next)}` : ''}`, page);
    }
    // The session ends with the token: revoking it signs the console out, and it never outlives the token's expiry.
    const session = await sessions.start(verified.agent.id, { token: verified.token });
    logger.info({ ...logFields(requestLogContext(req)), agentId: verified.agent.id, tokenId: verified.token.id, via: 'token' }, 'desk sign-in');
    redirect(res, 303, next ?? '/desk', { 'Set-Cookie': sessionCookie(session.sessionId, secure, sessionMaxAge) });
  });

  server.post('/desk/logout', async (req: Request, res: Response) => {
    const form = formBody(req);
    const lang = langOf(req, form.lang);
    const auth = await sessionOnly(req);
    if (auth) {
      try {
        authenticator.checkCsrf(req, auth, field(form, 'csrf'));
      } catch (err) {
        if (err instanceof AppError && err.code === 'forbidden') return showMessage(res, 403, lang, 'csrf');
        throw err;
      }
      await sessions.end(readCookie(req.header('cookie'), SESSION_COOKIE) ?? '');
      logger.info({ ...logFields(requestLogContext(req)), agentId: auth.agent.id }, 'desk sign-out');
    }
    // Without a live session there is nothing to end: clear whatever cookie is left.
    redirect(res, 303, '/desk/login', { 'Set-Cookie': clearSessionCookie(secure) });
  });

  server.get('/api/desk/me', async (req: Request, res: Response) => {
    try {
      const { agent, via, csrfToken } = await authenticator.authenticate(req);
      res.header('Cache-Control', 'no-store');
      res.send(200, { agent: { id: agent.id, displayName: agent.displayName, email: agent.email, role: agent.role }, via, csrfToken });
    } catch (err) {
      sendError(res, err, logger);
    }
  });
}

/** A cookie value written with encodeURIComponent, or null. */
function decodeCookie(value: string | null): string | null {
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** No Origin (an older browser, a script) is accepted; a different one is not. */
function sameOrigin(req: Request, origin: string): boolean {
  const sent = req.header('origin');
  return sent === undefined || sent === origin;
}
