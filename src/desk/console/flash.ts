/**
 * The message after an action (Post/Redirect/Get): the form's answer is a redirect that sets a
 * short-lived cookie; the page it leads to shows the message once and deletes the cookie. Only
 * locale keys and short values travel, never a customer's text; the page translates them.
 */
import { readCookie, serializeCookie } from '../auth/cookies.js';

export const FLASH_COOKIE = 'desk_flash';

export interface FlashNote {
  readonly kind: 'ok' | 'error';
  /** A key under `desk:flash.` (success) or `desk:problem.` (error). */
  readonly key: string;
  readonly vars?: Readonly<Record<string, string>>;
}

/** The Set-Cookie value that carries a note to the next page. */
export function flashCookie(note: FlashNote, secure: boolean): string {
  const value = Buffer.from(JSON.stringify(note), 'utf8').toString('base64url');
  return serializeCookie(FLASH_COOKIE, value, { sameSite: 'Strict', path: '/desk', secure, maxAgeSeconds: 60 });
}

/** Deletes the note once shown. */
export function clearFlashCookie(secure: boolean): string {
  return serializeCookie(FLASH_COOKIE, '', { sameSite: 'Strict', path: '/desk', secure, maxAgeSeconds: 0 });
}

/** The note in the request's cookie, or null for none or anything malformed. */
export function readFlash(cookieHeader: string | undefined): FlashNote | null {
  const raw = readCookie(cookieHeader, FLASH_COOKIE);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<FlashNote>;
    if ((parsed.kind !== 'ok' && parsed.kind !== 'error') || typeof parsed.key !== 'string' || !/^[A-Za-z_.]{1,60}$/.test(parsed.key)) return null;
    const vars: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.vars ?? {})) if (typeof v === 'string' && v.length <= 200) vars[k] = v;
    return { kind: parsed.kind, key: parsed.key, vars };
  } catch {
    return null;
  }
}

/** The note in the agent's language (`desk:flash.*` or `desk:problem.*`; fields by their labels). */
export function flashText(note: FlashNote, t: (key: string, vars?: Record<string, unknown>) => string): string {
  if (note.kind === 'ok') return t(`desk:flash.${note.key}`, note.vars);
  if (note.key === 'invalid_input') {
    const fields = (note.vars?.['fields'] ?? '').split(',').filter(Boolean).map((f) => t(`desk:field.${f}`));
    return fields.length > 0 ? t('desk:problem.invalid_input_fields', { fields: fields.join(', ') }) : t('desk:problem.invalid_input');
  }
  return t(`desk:problem.${note.key}`, note.vars);
}
