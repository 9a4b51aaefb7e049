import type { Activity, ChannelAccount } from 'botbuilder';
import { isProtocolShaped, PROTOCOL_KEYS, sanitizeForStorage } from '../privacy/index.js';

export interface ActivitySanitizerOptions {
  /**
   * Objects kept verbatim: the bot's own button payloads (`{t:'answer', step, event}`). Their step
   * ids are protocol, not customer text, and some ("changeMethodSmsToApp") read like a setup key
   * to the detectors; redacting them would make a recorded button press unreplayable.
   */
  readonly isTrustedValue?: (value: object) => boolean;
  /** Distinct bot-authored strings remembered (default 5,000). */
  readonly cacheSize?: number;
  /** Longest message text kept; longer text is cut and ends in {@link TRUNCATION_MARKER} (default 2,000). */
  readonly maxTextChars?: number;
}

/** What ends a message text cut to the configured size in a transcript. */
export const TRUNCATION_MARKER = '…[truncated]';

/** Marker for uploaded files, whose bytes the text detectors cannot read (a QR code screenshot is a secret). */
export const ATTACHMENT_MARKER = '[redacted:attachment]';

/**
 * Makes an activity safe to store: every string redacted (one-time codes, setup keys, seed
 * phrases, passwords) and personal data masked (e-mail, phone), through src/privacy; customer
 * display names dropped; uploaded file URLs and inline bytes replaced by a marker. Returns a copy.
 *
 * Customer activities are sanitised every time. Bot activities repeat the same locale texts turn
 * after turn, so their strings are sanitised once and remembered: that keeps transcript logging
 * cheap enough for thousands of turns per second, and no customer text is ever used as a cache key.
 */
export class ActivitySanitizer {
  private readonly cache = new Map<string, string>();
  private readonly cacheSize: number;
  private readonly isTrustedValue: (value: object) => boolean;
  private readonly maxTextChars: number;

  constructor(options: ActivitySanitizerOptions = {}) {
    this.cacheSize = options.cacheSize ?? 5_000;
    this.maxTextChars = options.maxTextChars ?? 2_000;
    this.isTrustedValue = options.isTrustedValue ?? (() => false);
  }

  sanitize<T extends Partial<Activity>>(activity: T): T {
    const out = this.sanitizeFields(activity);
    // Cut after redaction: a secret across the cut is found whole, and no half of it is kept.
    if (typeof out.text !== 'string' || out.text.length <= this.maxTextChars) return out;
    return { ...out, text: truncate(out.text, this.maxTextChars) };
  }

  private sanitizeFields<T extends Partial<Activity>>(activity: T): T {
    const fromCustomer = activity.from?.role === 'user';
    const botText = (s: string) => this.cached(s);
    const customerText = (s: string) => (s === '' ? s : sanitizeForStorage(s).text);
    // Names go before the walk: no point sanitising what is not kept.
    const trimmed: Partial<Activity> = { ...activity };
    const botId = fromCustomer ? activity.recipient?.id : activity.from?.id;
    if (fromCustomer) trimmed.from = anonymous(trimmed.from);
    else if (trimmed.recipient) trimmed.recipient = anonymous(trimmed.recipient);
    for (const key of ['membersAdded', 'membersRemoved'] as const) {
      const members = trimmed[key];
      if (Array.isArray(members)) trimmed[key] = members.map((m) => (m.id === botId ? m : anonymous(m)));
    }
    // An Adaptive Card from the bot is the identity form, which comes back filled in with what the
    // customer typed: its strings are sanitised like the customer's, never remembered.
    if (!fromCustomer && hasAdaptiveCard(trimmed)) return this.walk(trimmed, customerText) as T;
    // A bot reply is almost always exactly what it was last time: when no string would change,
    // the trimmed shallow copy is the result and nothing is rebuilt (the stores serialise at once).
    if (!fromCustomer) return (this.changes(trimmed) ? this.walk(trimmed, botText) : trimmed) as T;

    // The customer's activity: their text in full every time, the bot's own account through the cache.
    const { recipient, membersAdded, membersRemoved, ...rest } = trimmed;
    const out = this.walk(rest, customerText) as T & Record<string, unknown>;
    if (recipient !== undefined) out.recipient = this.walk(recipient, botText) as Activity['recipient'];
    const members = (list: Activity['membersAdded'] | undefined) =>
      list?.map((m) => this.walk(m, m?.id === botId ? botText : customerText) as (typeof list)[number]);
    if (membersAdded !== undefined) out.membersAdded = members(membersAdded)!;
    if (membersRemoved !== undefined) out.membersRemoved = members(membersRemoved)!;
    if (Array.isArray(out.attachments)) {
      out.attachments = out.attachments.map((a) => {
        const copy = { ...a };
        if (copy.contentUrl !== undefined) copy.contentUrl = ATTACHMENT_MARKER;
        if (copy.thumbnailUrl !== undefined) copy.thumbnailUrl = ATTACHMENT_MARKER;
        if (copy.content !== undefined && (typeof copy.content !== 'object' || copy.content === null)) copy.content = ATTACHMENT_MARKER;
        return copy;
      });
    }
    return out;
  }

  private walk(value: unknown, clean: (s: string) => string): unknown {
    if (typeof value === 'string') return clean(value);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, clean));
    if (value instanceof Date) return value;
    const proto = Object.getPrototypeOf(value) as unknown;
    // Anything else that is not plain data (a Buffer, a class instance) is stored as its JSON: walk that.
    if (proto !== Object.prototype && proto !== null) return this.walk(JSON.parse(JSON.stringify(value)) as unknown, clean);
    if (this.isTrustedValue(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isProtocolValue(key, item) ? item : this.walk(item, clean);
    }
    return out;
  }

  /** Whether sanitising (bot strings, through the cache) would change anything, without copying. */
  private changes(value: unknown): boolean {
    if (typeof value === 'string') return this.cached(value) !== value;
    if (typeof value !== 'object' || value === null || value instanceof Date) return false;
    if (Array.isArray(value)) return value.some((v) => this.changes(v));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return true;
    if (this.isTrustedValue(value)) return false;
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (!isProtocolValue(key, item) && this.changes(item)) return true;
    }
    return false;
  }

  private cached(text: string): string {
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    const result = sanitizeForStorage(text).text;
    // Bot texts are a small fixed set; clearing when full keeps memory bounded without LRU bookkeeping.
    if (this.cache.size >= this.cacheSize) this.cache.clear();
    this.cache.set(text, result);
    return result;
  }
}

/** The first `max` characters of `text` (never half of a surrogate pair), then the marker. */
function truncate(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end) + TRUNCATION_MARKER;
}

/** An id, type, locale or zone kept as is: a protocol key whose value has that key's shape. */
function isProtocolValue(key: string, item: unknown): item is string {
  return typeof item === 'string' && PROTOCOL_KEYS.has(key) && isProtocolShaped(key, item);
}

function hasAdaptiveCard(activity: Partial<Activity>): boolean {
  return Array.isArray(activity.attachments) && activity.attachments.some((a) => a?.contentType === 'application/vnd.microsoft.card.adaptive');
}

/** A customer's account without display name or directory id (personal data a transcript does not need). */
function anonymous<A extends ChannelAccount | undefined>(account: A): A {
  if (!account || typeof account !== 'object') return account;
  const { name: _name, aadObjectId: _aad, ...rest } = account;
  return rest as A;
}
