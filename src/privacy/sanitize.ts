/**
 * The one entry point for text that will be stored or logged: secrets redacted, then personal data
 * masked. Ticket identity claims are the only place e-mail and phone digits are kept as typed.
 */
import { maskPersonalData, type PersonalDataKind } from './mask.js';
import { isProtocolShaped } from './protocol-fields.js';
import { redactSecrets, type SecretKind } from './redact.js';

export interface SanitizeResult {
  readonly text: string;
  /** Secret kinds replaced by markers (the chat warns the customer when non-empty). */
  readonly found: SecretKind[];
  /** Personal-data kinds masked. */
  readonly masked: PersonalDataKind[];
}

/** Redacts secrets, then masks e-mail addresses and phone numbers. Kinds only, never values. */
export function sanitizeForStorage(text: string): SanitizeResult {
  const redacted = redactSecrets(text);
  const masked = maskPersonalData(redacted.text);
  return { text: masked.text, found: redacted.found, masked: masked.masked };
}

export interface RedactDeepOptions {
  /**
   * Object keys whose string values are protocol identifiers, not customer text, and are left as is
   * (redacting "dl_123456" in `from.id` would break the transcript's threading, and no customer
   * types into those fields), provided they have the shape such values have. Defaults to {@link PROTOCOL_KEYS}.
   */
  readonly skipKeys?: ReadonlySet<string>;
  /** Also mask personal data (default true). */
  readonly mask?: boolean;
  /** Objects kept verbatim (the bot's own button payloads); default none. */
  readonly isTrustedValue?: (value: object) => boolean;
}

/**
 * Bot Framework activity fields that hold ids, URLs and codes set by channels, not by people.
 * A value under one of them is kept only when it has that field's shape ({@link isProtocolShaped}):
 * a crafted client's `localTimezone: "password: hunter2"` is redacted like any text.
 */
export const PROTOCOL_KEYS: ReadonlySet<string> = new Set([
  'id',
  'replyToId',
  'serviceUrl',
  'channelId',
  'conversationId',
  'activityId',
  'clientActivityID',
  'type',
  'locale',
  'timestamp',
  'localTimestamp',
  'localTimezone',
  'tenantId',
  'aadObjectId',
  'role',
  'contentType',
  'etag',
  'eTag',
]);

export interface RedactDeepResult<T> {
  readonly value: T;
  readonly found: SecretKind[];
  readonly masked: PersonalDataKind[];
}

/**
 * Sanitises every string inside a JSON-like value (an activity, a card submission), returning a
 * copy; the input is not changed. Keys are kept; values under {@link PROTOCOL_KEYS} are not touched.
 * Non-plain objects (Date, Buffer…) are returned as they are; a repeated reference is sanitised once
 * and shared, so cycles do not loop.
 */
export function redactDeep<T>(value: T, options: RedactDeepOptions = {}): RedactDeepResult<T> {
  const skipKeys = options.skipKeys ?? PROTOCOL_KEYS;
  const doMask = options.mask ?? true;
  const trusted = options.isTrustedValue ?? (() => false);
  const found = new Set<SecretKind>();
  const masked = new Set<PersonalDataKind>();
  const seen = new Map<object, unknown>();

  const clean = (text: string): string => {
    const r = doMask ? sanitizeForStorage(text) : { ...redactSecrets(text), masked: [] };
    r.found.forEach((k) => found.add(k));
    r.masked.forEach((k) => masked.add(k));
    return r.text;
  };

  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (typeof v !== 'object' || v === null) return v;
    const prior = seen.get(v);
    if (prior !== undefined) return prior;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    if (trusted(v)) return v;
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [key, item] of Object.entries(v)) {
      out[key] = skipKeys.has(key) && typeof item === 'string' && isProtocolShaped(key, item) ? item : walk(item);
    }
    return out;
  };

  return { value: walk(value) as T, found: [...found], masked: [...masked] };
}
