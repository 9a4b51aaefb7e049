/**
 * The support desk's sign-in over HTTP: the sign-in page, OpenID sign-in and its callback,
 * token sign-in, sign-out, the placeholder `/desk` page and `GET /api/desk/me`.
 * Refusals are pages in the agent's language (the API route answers JSON like every API).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { isLanguage, type Language, type Localizer } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import { clearSessionCookie, OIDC_LOGIN_COOKIE, readCookie, secureCookies, serializeCookie, sessionCookie, SESSION_COOKIE } from '../desk/auth/cookies.js';
import type { DeskAuth } from '../desk/auth/desk-auth.js';
import { matchOidcAgent } from '../desk/auth/oidc-agent-match.js';
import { OidcSignInError, OidcUnavailableError } from '../desk/auth/oidc-sign-in.js';
import { DESK_STYLESHEET_PATH, deskPlaceholderPage, forwardPage, loginPage, messagePage, sendPage } from './desk-auth-pages.js';
import { sendError } from './http-error.js';
import { languageFromHeader, PUBLIC_DIR } from './webchat-page-route.js';

export interface DeskAuthRouteDeps {
  readonly deskAuth: DeskAuth;
  readonly config: Pick<Config, 'publicBaseUrl' | 'defaultLocale' | 'desk'>;
  readonly localizer: Localizer;
  readonly logger: Logger;
}

/** Registers the sign-in routes on the server (see the file comment for the list). */
export function registerDeskAuthRoutes(server: Server, { deskAuth, config, localizer, logger }: DeskAuthRouteDeps): void {
  const { authenticator, sessions, tokens, oidc, agents } = deskAuth;
  const secure = secureCookies(config.publicBaseUrl);
  const origin = new URL(config.publicBaseUrl).origin;
  const sessionMaxAge = config.desk.sessionMaxHours * 3600;
  const stylesheet = readFileSync(join(PUBLIC_DIR, 'desk-auth.css'));
  const t = (lang: Language) => localizer.forLanguage(lang);
  const languageOf = (req: Request, chosen?: unknown): Language =>
    isLanguage(chosen) ? chosen : isLanguage(req.query?.lang) ? req.query.lang : languageFromHeader(req.header('accept-language'), config.defaultLocale);
  const showMessage = (res: Response, status: number, lang: Language, key: string, headers?: Record<string, string | string[]>) =>
    sendPage(res, status, lang, messagePage(t(lang), lang, t(lang)(`desk:errors.${key}`)), headers);
  const redirect = (res: Response, status: 302 | 303, location: string, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { Location: location, 'Cache-Control': 'no-store', ...headers });
    res.end();
  };
  const sessionOnly = async (req: Request) => {
    const auth = await authenticator.tryAuthenticate(req);
    return auth?.via === 'session' ? auth : null;
  };

  server.get(DESK_STYLESHEET_PATH, async (_req: Request, res: Response) => {
    res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    res.end(stylesheet);
  });

  server.get('/desk/login', async (req: Request, res: Response) => {
    if (await sessionOnly(req)) return redirect(res, 302, '/desk');
    const lang = languageOf(req);
    sendPage(res, 200, lang, loginPage(t(lang), lang, { oidc: oidc !== null, tokenForm: config.desk.tokenSignIn }), { Vary: 'Accept-Language' });
  });

  server.get('/desk/login/oidc', async (req: Request, res: Response) => {
    const lang = languageOf(req);
    if (!oidc) return showMessage(res, 404, lang, 'notEnabled');
    try {
      const { authorizationUrl, loginKey } = await oidc.begin(lang);
      // Lax and scoped to the callback: it must come back on the provider's cross-site redirect, and nowhere else.
      const cookie = serializeCookie(OIDC_LOGIN_COOKIE, loginKey, { sameSite: 'Lax', path: '/desk/auth/callback', secure, maxAgeSeconds: 600 });
      redirect(res, 302, authorizationUrl.href, { 'Set-Cookie': cookie });
    } catch (err) {
      if (!(err instanceof OidcUnavailableError)) throw err;
      logger.warn({ err: { name: err.name, message: err.message } }, 'desk sign-in: identity provider unavailable');
      showMessage(res, 503, lang, 'unavailable');
    }
  });

  server.get('/desk/auth/callback', async (req: Request, res: Response) => {
    const clearLogin = serializeCookie(OIDC_LOGIN_COOKIE, '', { sameSite: 'Lax', path: '/desk/auth/callback', secure, maxAgeSeconds: 0 });
    let lang = languageOf(req);
    if (!oidc) return showMessage(res, 404, lang, 'notEnabled');
    let identity;
    try {
      identity = await oidc.complete(readCookie(req.header('cookie'), OIDC_LOGIN_COOKIE), new URL(req.url ?? '', 'http://localhost').search);
    } catch (err) {
      if (err instanceof OidcUnavailableError) {
        logger.warn({ err: { name: err.name, message: err.message } }, 'desk sign-in: identity provider unavailable');
        return showMessage(res, 503, lang, 'unavailable', { 'Set-Cookie': clearLogin });
      }
      if (!(err instanceof OidcSignInError)) throw err;
      logger.info({ reason: err.reason, err: { message: err.message } }, 'desk sign-in: OpenID callback refused');
      return showMessage(res, err.reason === 'denied' ? 403 : 400, lang, err.reason, { 'Set-Cookie': clearLogin });
    }
    lang = identity.language;
    const match = await matchOidcAgent(agents, identity);
    if (!match.ok) {
      // Ids and reasons only: the e-mail the provider sent is personal data.
      logger.info({ reason: match.reason, agentId: match.agentId }, 'desk sign-in: refused, not an active agent');
      return showMessage(res, 403, lang, 'notAnAgent', { 'Set-Cookie': clearLogin });
    }
    const session = await sessions.start(match.agent.id);
    logger.info({ agentId: match.agent.id, via: 'oidc' }, 'desk sign-in');
    sendPage(res, 200, lang, forwardPage(t(lang), lang), { 'Set-Cookie': [clearLogin, sessionCookie(session.sessionId, secure, sessionMaxAge)] });
  });

  server.post('/desk/login/token', async (req: Request, res: Response) => {
    const form = formBody(req);
    const lang = languageOf(req, form.lang);
    if (!config.desk.tokenSignIn) return showMessage(res, 404, lang, 'notEnabled');
    // A sign-in form posted from another site would sign the browser in as someone else's agent.
    if (!sameOrigin(req, origin)) return showMessage(res, 403, lang, 'csrf');
    const verified = await tokens.verify(typeof form.token === 'string' ? form.token.trim() : '');
    if (!verified) {
      logger.info({ via: 'token' }, 'desk sign-in: token refused');
      const page = loginPage(t(lang), lang, { oidc: oidc !== null, tokenForm: true, error: t(lang)('desk:signIn.tokenInvalid') });
      return sendPage(res, 401, lang, page);
    }
    const session = await sessions.start(verified.agent.id);
    logger.info({ agentId: verified.agent.id, tokenId: verified.token.id, via: 'token' }, 'desk sign-in');
    redirect(res, 303, '/desk', { 'Set-Cookie': sessionCookie(session.sessionId, secure, sessionMaxAge) });
  });

  server.post('/desk/logout', async (req: Request, res: Response) => {
    const form = formBody(req);
    const lang = languageOf(req, form.lang);
    const auth = await sessionOnly(req);
    if (auth) {
      try {
        authenticator.checkCsrf(req, auth, typeof form.csrf === 'string' ? form.csrf : undefined);
      } catch (err) {
        if (err instanceof AppError && err.code === 'forbidden') return showMessage(res, 403, lang, 'csrf');
        throw err;
      }
      await sessions.end(readCookie(req.header('cookie'), SESSION_COOKIE) ?? '');
      logger.info({ agentId: auth.agent.id }, 'desk sign-out');
    }
    // Without a live session there is nothing to end: clear whatever cookie is left.
    redirect(res, 303, '/desk/login', { 'Set-Cookie': clearSessionCookie(secure) });
  });

  server.get('/desk', async (req: Request, res: Response) => {
    const auth = await sessionOnly(req);
    if (!auth) {
      const stale = readCookie(req.header('cookie'), SESSION_COOKIE) !== null;
      return redirect(res, 302, '/desk/login', stale ? { 'Set-Cookie': clearSessionCookie(secure) } : {});
    }
    const lang = languageOf(req);
    sendPage(res, 200, lang, deskPlaceholderPage(t(lang), lang, auth.agent, auth.csrfToken ?? ''), { Vary: 'Accept-Language' });
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

/** The parsed form (or JSON) body, or an empty object. */
function formBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** No Origin (an older browser, a script) is accepted; a different one is not. */
function sameOrigin(req: Request, origin: string): boolean {
  const sent = req.header('origin');
  return sent === undefined || sent === origin;
}
