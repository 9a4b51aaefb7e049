/**
 * The one entry point for text that will be stored or logged: secrets redacted, then personal data
 * masked. Ticket identity claims are the only place e-mail and phone digits are kept as typed.
 */
import { maskPersonalData, type PersonalDataKind } from './mask.js';
import { isProtocolShaped, PROTOCOL_KEYS } from './protocol-fields.js';
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
}

/**
 * Bot Framework activity fields that hold ids, URLs and codes set by channels, not by people: the
 * keys of protocol-fields.ts's shapes, one list. A value under one of them is kept only when it has
 * that field's shape ({@link isProtocolShaped}): a crafted client's `localTimezone: "password:
 * hunter2"` is redacted like any text.
 */
export { PROTOCOL_KEYS } from './protocol-fields.js';

export interface RedactDeepResult<T> {
  readonly value: T;
  readonly found: SecretKind[];
  readonly masked: PersonalDataKind[];
}

/**
 * Sanitises every string inside a JSON-like value (a card submission, an activity), returning a
 * copy; the input is not changed. Keys are kept; values under {@link PROTOCOL_KEYS} with their
 * shape are not touched. Activities go through the activity sanitiser
 * (src/transcripts/activity-sanitizer.ts), which walks them with {@link cleanStringsDeep} too.
 */
export function redactDeep<T>(value: T, options: RedactDeepOptions = {}): RedactDeepResult<T> {
  const doMask = options.mask ?? true;
  const found = new Set<SecretKind>();
  const masked = new Set<PersonalDataKind>();
  const clean = (text: string): string => {
    const r = doMask ? sanitizeForStorage(text) : { ...redactSecrets(text), masked: [] };
    r.found.forEach((k) => found.add(k));
    r.masked.forEach((k) => masked.add(k));
    return r.text;
  };
  const cleaned = cleanStringsDeep(value, clean, options.skipKeys ? { skipKeys: options.skipKeys } : {});
  return { value: cleaned as T, found: [...found], masked: [...masked] };
}

export interface CleanStringsDeepOptions {
  /** As {@link RedactDeepOptions.skipKeys}. */
  readonly skipKeys?: ReadonlySet<string>;
  /**
   * Plain objects returned as they are. Privacy cannot tell the bot's own button values from
   * customer data; the activity sanitiser passes the one test that can (`isOwnButtonValue`).
   */
  readonly keep?: (value: object) => boolean;
}

/**
 * The one walk over a JSON-like value: every string through `clean`, except protocol values of
 * their key's shape ({@link isProtocolShaped}) and objects `keep` accepts. Returns a copy. A Date
 * is kept; any other non-plain object (a Buffer, a class instance) is walked as the JSON it would
 * be stored as. A repeated reference is cleaned once and shared, so cycles do not loop.
 */
export function cleanStringsDeep(value: unknown, clean: (text: string) => string, options: CleanStringsDeepOptions = {}): unknown {
  const skipKeys = options.skipKeys ?? PROTOCOL_KEYS;
  const keep = options.keep;
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v);
    if (typeof v !== 'object' || v === null || v instanceof Date) return v;
    const prior = seen.get(v);
    if (prior !== undefined) return prior;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(walk(item));
      return out;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return walk(JSON.parse(JSON.stringify(v)) as unknown);
    if (keep?.(v)) return v;
    // A copy first, then only its strings and objects replaced: the copy keeps the original's
    // shape (V8 copies it in one step), where building it key by key cost most of a walk over an
    // activity whose strings are all protocol values (the redaction middleware's every turn).
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    seen.set(v, out);
    for (const key of Object.keys(out)) {
      const item = out[key];
      if (typeof item === 'string' ? !isProtocolValue(skipKeys, key, item) : typeof item === 'object' && item !== null) out[key] = walk(item);
    }
    return out;
  };
  return walk(value);
}

/** An id, type, locale or zone kept as is: a skipped key whose value has that key's shape. */
export function isProtocolValue(skipKeys: ReadonlySet<string>, key: string, item: unknown): item is string {
  return typeof item === 'string' && skipKeys.has(key) && isProtocolShaped(key, item);
}
