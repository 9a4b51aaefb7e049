/**
 * The desk's cookies. `desk_session` is SameSite=Strict: a cross-site request (a link in an
 * e-mail, a form on another site) never carries it, which is the first line against CSRF.
 * `desk_oidc` (an OpenID sign-in in progress) is Lax, because the identity provider's redirect
 * back is a cross-site navigation and a Strict cookie would not come with it.
 */

export const SESSION_COOKIE = 'desk_session';
export const OIDC_LOGIN_COOKIE = 'desk_oidc';

export interface CookieOptions {
  readonly sameSite: 'Strict' | 'Lax';
  readonly path: string;
  /** Only sent over https; set when PUBLIC_BASE_URL is https. */
  readonly secure: boolean;
  /** Seconds; 0 deletes the cookie; absent: until the browser closes. */
  readonly maxAgeSeconds?: number;
}

/** A `Set-Cookie` value; always HttpOnly (no script on any page needs these cookies). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${options.path}`, 'HttpOnly', `SameSite=${options.sameSite}`];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
    if (options.maxAgeSeconds <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  return parts.join('; ');
}

/** The session cookie for a new session, living as long as the session can. */
export function sessionCookie(sessionId: string, secure: boolean, maxAgeSeconds: number): string {
  return serializeCookie(SESSION_COOKIE, sessionId, { sameSite: 'Strict', path: '/', secure, maxAgeSeconds });
}

/** Deletes the session cookie (sign-out, or a cookie that no longer names a session). */
export function clearSessionCookie(secure: boolean): string {
  return serializeCookie(SESSION_COOKIE, '', { sameSite: 'Strict', path: '/', secure, maxAgeSeconds: 0 });
}

/** The value of one cookie in a `Cookie` request header, or null. The first one wins if repeated. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Whether cookies must carry `Secure`: the desk is reached over https. */
export function secureCookies(publicBaseUrl: string): boolean {
  return publicBaseUrl.startsWith('https:');
}
