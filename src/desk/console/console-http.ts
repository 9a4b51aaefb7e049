/**
 * HTTP details every desk page shares: sending a page with the desk's security headers, redirects,
 * the agent's language (chosen with `?lang=`, remembered in a cookie, else the browser's), the
 * browser's time zone, and which `next` pages a sign-in may return to.
 */
import type { ServerResponse } from 'node:http';
import { isLanguage, languageFromHeader, type Language } from '../../i18n/language.js';
import { readCookie, serializeCookie } from '../auth/cookies.js';
import { CONSOLE_CSP, SIGN_IN_CSP, type RenderedPage } from './render.js';

export const LANG_COOKIE = 'desk_lang';
export const TZ_COOKIE = 'desk_tz';

/** What the helpers read from a request (restify's Request fits). */
export interface PageRequest {
  readonly query?: unknown;
  readonly body?: unknown;
  header(name: string): string | undefined;
}

type Headers = Record<string, string | string[]>;

/** Sends a page; never cached (pages name the signed-in agent and show personal data). */
export function sendPage(res: ServerResponse, page: RenderedPage, lang: Language, headers: Headers = {}): void {
  res.writeHead(page.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': page.script ? CONSOLE_CSP : SIGN_IN_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The OpenID callback's URL holds the authorization code: it must not leak as a Referer to
    // another site. Not `no-referrer`: with it, Chromium sends `Origin: null` on the pages' own
    // form posts, and the forms' origin check refuses them.
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    'Content-Language': lang,
    Vary: 'Accept-Language, Cookie',
    ...headers,
  });
  res.end(page.html);
}

export function redirect(res: ServerResponse, status: 302 | 303, location: string, headers: Headers = {}): void {
  res.writeHead(status, { Location: location, 'Cache-Control': 'no-store', ...headers });
  res.end();
}

/** The query string's (or form's) value when it is a single string. */
export function field(source: unknown, name: string): string | undefined {
  const value = source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The parsed form (or JSON) body, or an empty object. */
export function formBody(req: PageRequest): Record<string, unknown> {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** `?lang=` (or a form's `lang`), then the remembered choice, then the browser's languages. */
export function languageOf(req: PageRequest, fallback: Language, chosen?: unknown): Language {
  const asked = chosen ?? field(req.query, 'lang');
  if (isLanguage(asked)) return asked;
  const remembered = readCookie(req.header('cookie'), LANG_COOKIE);
  if (isLanguage(remembered)) return remembered;
  return languageFromHeader(req.header('accept-language'), fallback);
}

/** The Set-Cookie that remembers the language chosen with `?lang=` (a year; only the desk reads it), or null. */
export function languageCookie(req: PageRequest, lang: Language, secure: boolean): string | null {
  if (field(req.query, 'lang') !== lang || readCookie(req.header('cookie'), LANG_COOKIE) === lang) return null;
  return serializeCookie(LANG_COOKIE, lang, { sameSite: 'Lax', path: '/desk', secure, maxAgeSeconds: 365 * 86_400 });
}

/** The time zone desk.js reported for this browser, if any. */
export function browserTimeZone(req: PageRequest): string | null {
  const value = readCookie(req.header('cookie'), TZ_COOKIE);
  if (!value) return null;
  try {
    return decodeURIComponent(value).slice(0, 64);
  } catch {
    return null;
  }
}

const NOT_A_RETURN = /^\/desk\/(login|logout|auth|events|assets)(\/|\?|$)/;

/** A desk page to return to after signing in, or null: only this site's /desk pages, never an open redirect. */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  if (!/^\/desk(\/[A-Za-z0-9_\-/]*)?(\?[A-Za-z0-9_\-.~%&=+,:]*)?$/.test(value)) return null;
  if (value.includes('//') || NOT_A_RETURN.test(value)) return null;
  return value;
}

/** `/desk/login`, with `next` when the agent wanted another page than the queue. */
export function loginLocation(wanted: string | undefined): string {
  const next = safeNext(wanted);
  return next && next !== '/desk' ? `/desk/login?next=${encodeURIComponent(next)}` : '/desk/login';
}
