import type { Activity, ChannelAccount } from 'botbuilder';
import { cleanStringsDeep, isProtocolValue, maskPersonalData, PROTOCOL_KEYS, redactSecrets, sanitizeForStorage } from '../privacy/index.js';
import { isReusablePart } from './reusable-parts.js';
import { isOwnButtonValue } from './trusted-button-values.js';

/**
 * The one activity sanitiser. Its three users differ only in these options:
 *
 * | user | personal data | text |
 * |---|---|---|
 * | the redaction middleware (src/bot), before anything else sees the turn | kept (the identity step needs the e-mail as typed) | cleaned by the middleware itself, across messages |
 * | the transcript table | masked | cut to TRANSCRIPT_MAX_TEXT_CHARS |
 * | the local web chat's history (src/channel/directline) | masked | kept whole |
 *
 * Everything else is the same for all three: secrets redacted in every string (the transcript
 * leaves that to the middleware for the customer's activity the middleware marked as cleaned,
 * {@link SanitizeOptions.secretsRedacted}), protocol fields
 * kept only when they have their shape, the customer's display name and directory id dropped,
 * uploaded files replaced by a marker, and the bot's own button values, told by
 * {@link isOwnButtonValue} and nothing else, kept verbatim.
 */
export interface ActivitySanitizerOptions {
  /**
   * Mask e-mail addresses and phone numbers (default true). Only the redaction middleware turns
   * it off: it runs before the conversation, whose identity step must read the address as typed;
   * every store after it masks.
   */
  readonly maskPersonalData?: boolean;
  /** Longest message text kept; longer text is cut and ends in {@link TRUNCATION_MARKER} (default: never cut). */
  readonly maxTextChars?: number;
  /** Distinct bot-authored strings remembered (default 5,000). */
  readonly cacheSize?: number;
  /**
   * Shown every string the sanitiser cleans, as it comes out (customer and bot text alike; not the
   * protocol values and button values kept as they are, nor a bot activity that needs no change,
   * which is not walked). The redaction middleware reads the secret markers off them, instead of
   * serialising the whole result again to search it.
   */
  readonly onCleaned?: (text: string) => void;
}

/** Who wrote an activity: the customer's (and the channel's events) are never cached. */
export type ActivityAuthor = 'customer' | 'bot';

export interface SanitizeOptions {
  /**
   * The customer's activity has been through the redaction middleware already (it says so in the
   * turn's state, see redacting-transcript-store.ts): its secrets are markers, its protocol fields
   * checked, so its strings only need personal data masked. The detectors would find nothing
   * more: redaction is idempotent, which test/transcripts/activity-sanitizer.test.ts checks on the
   * secret and ordinary corpora. Saves the second detector pass over every customer message.
   */
  readonly secretsRedacted?: boolean;
  /**
   * With {@link secretsRedacted}: the middleware also found no e-mail address or phone number in
   * any string it cleaned, the text included (the same strings this sanitiser would mask: protocol
   * values and the bot's own button values are kept by both), so the activity is kept as the
   * middleware left it, its names dropped, without a second walk.
   */
  readonly nothingToMask?: boolean;
}

/** The transcript's default cut when none is configured (TRANSCRIPT_MAX_TEXT_CHARS' default). */
export const DEFAULT_TRANSCRIPT_MAX_TEXT_CHARS = 2_000;

/** What ends a message text cut to the configured size in a transcript. */
export const TRUNCATION_MARKER = '…[truncated]';

/** Marker for uploaded files, whose bytes the text detectors cannot read (a QR code screenshot is a secret). */
export const ATTACHMENT_MARKER = '[redacted:attachment]';

/**
 * Makes an activity safe to keep: every string redacted (one-time codes, setup keys, seed
 * phrases, passwords; for a customer activity said to be redacted already, see
 * {@link SanitizeOptions}, masked only) and, unless told otherwise, personal data masked (e-mail, phone), through
 * src/privacy; the customer's display name and directory id dropped; uploaded file URLs and
 * inline bytes replaced by a marker. Returns a copy; the input is not changed.
 *
 * Customer activities are sanitised every time. Bot activities repeat the same locale texts turn
 * after turn, so their strings are sanitised once and remembered: that keeps transcript logging
 * cheap enough for thousands of turns per second, and no customer text is ever used as a cache key.
 */
export class ActivitySanitizer {
  private readonly cache = new Map<string, string>();
  /** Whether a reusable part (reusable-parts.ts: deeply frozen, so it cannot change) needs sanitising. */
  private readonly partChanges = new WeakMap<object, boolean>();
  private readonly cacheSize: number;
  private readonly maxTextChars: number | undefined;
  private readonly clean: (text: string) => string;
  /** Bot strings, through the cache; customer strings, cleaned every time. Made once: a sanitiser runs for every activity. */
  private readonly botText: (text: string) => string;
  private readonly customerText: (text: string) => string;
  /** Customer strings already redacted ({@link SanitizeOptions.secretsRedacted}): masked only. */
  private readonly redactedCustomerText: (text: string) => string;

  constructor(options: ActivitySanitizerOptions = {}) {
    this.cacheSize = options.cacheSize ?? 5_000;
    this.maxTextChars = options.maxTextChars;
    const mask = options.maskPersonalData !== false;
    this.clean = mask ? (s) => sanitizeForStorage(s).text : (s) => redactSecrets(s).text;
    const botText = (s: string) => this.cached(s);
    const customerText = (s: string) => (s === '' ? s : this.clean(s));
    const redactedCustomerText = mask ? (s: string) => (s === '' ? s : maskPersonalData(s).text) : (s: string) => s;
    const seen = options.onCleaned;
    const observed = (clean: (s: string) => string) =>
      seen
        ? (s: string) => {
            const out = clean(s);
            seen(out);
            return out;
          }
        : clean;
    this.botText = observed(botText);
    this.customerText = observed(customerText);
    this.redactedCustomerText = observed(redactedCustomerText);
  }

  /**
   * A sanitised copy of `activity`. `author` defaults to its `from.role` (`user` is the
   * customer); the redaction middleware says `customer` for everything that comes in, since a
   * channel need not set the role.
   */
  sanitize<T extends Partial<Activity>>(
    activity: T,
    author: ActivityAuthor = activity.from?.role === 'user' ? 'customer' : 'bot',
    options: SanitizeOptions = {},
  ): T {
    const out = this.sanitizeFields(activity, author === 'customer', options.secretsRedacted === true, options.nothingToMask === true);
    // Cut after redaction: a secret across the cut is found whole, and no half of it is kept.
    if (this.maxTextChars === undefined || typeof out.text !== 'string' || out.text.length <= this.maxTextChars) return out;
    return { ...out, text: truncate(out.text, this.maxTextChars) };
  }

  private sanitizeFields<T extends Partial<Activity>>(activity: T, fromCustomer: boolean, secretsRedacted: boolean, nothingToMask = false): T {
    const botText = this.botText;
    // Only the customer's own activity can have been through the middleware; a bot reply never is.
    const customerText = fromCustomer && secretsRedacted ? this.redactedCustomerText : this.customerText;
    // Names go before the walk: no point sanitising what is not kept.
    const trimmed: Partial<Activity> = { ...activity };
    const botId = fromCustomer ? activity.recipient?.id : activity.from?.id;
    if (fromCustomer) trimmed.from = anonymous(trimmed.from);
    else if (trimmed.recipient) trimmed.recipient = anonymous(trimmed.recipient);
    for (const key of ['membersAdded', 'membersRemoved'] as const) {
      const members = trimmed[key];
      if (Array.isArray(members)) trimmed[key] = members.map((m) => (m?.id === botId ? m : anonymous(m)));
    }
    // The customer's activity as the middleware cleaned it, with nothing left to mask: its fields
    // in the order the walk below puts them (recipient and members last), so the stored JSON is
    // the same either way.
    if (fromCustomer && secretsRedacted && nothingToMask) {
      const { recipient, membersAdded, membersRemoved, ...kept } = trimmed;
      const out: Partial<Activity> = kept;
      if (recipient !== undefined) out.recipient = recipient;
      if (membersAdded !== undefined) out.membersAdded = membersAdded;
      if (membersRemoved !== undefined) out.membersRemoved = membersRemoved;
      return out as T;
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
        if (typeof a !== 'object' || a === null) return a;
        const copy = { ...a };
        if (copy.contentUrl !== undefined) copy.contentUrl = ATTACHMENT_MARKER;
        if (copy.thumbnailUrl !== undefined) copy.thumbnailUrl = ATTACHMENT_MARKER;
        if (copy.content !== undefined && (typeof copy.content !== 'object' || copy.content === null)) copy.content = ATTACHMENT_MARKER;
        return copy;
      });
    }
    return out;
  }

  /** Every string through `clean`, except protocol values of their shape and the bot's own button values. */
  private walk(value: unknown, clean: (s: string) => string): unknown {
    return cleanStringsDeep(value, clean, { keep: isOwnButtonValue });
  }

  /** Whether sanitising (bot strings, through the cache) would change anything, without copying. */
  private changes(value: unknown): boolean {
    if (typeof value === 'string') return this.cached(value) !== value;
    if (typeof value !== 'object' || value === null || value instanceof Date) return false;
    if (isReusablePart(value)) {
      let verdict = this.partChanges.get(value);
      if (verdict === undefined) {
        verdict = this.changesIn(value);
        this.partChanges.set(value, verdict);
      }
      return verdict;
    }
    return this.changesIn(value);
  }

  private changesIn(value: object): boolean {
    if (Array.isArray(value)) return value.some((v) => this.changes(v));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return true;
    if (isOwnButtonValue(value)) return false;
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (!isProtocolValue(PROTOCOL_KEYS, key, item) && this.changes(item)) return true;
    }
    return false;
  }

  private cached(text: string): string {
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    const result = this.clean(text);
    // A bot text that cleaning changes holds personal data or a secret (the identity summary shows
    // the customer's own answers back): never remembered, so no customer value becomes a cache key.
    if (result !== text) return result;
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

function hasAdaptiveCard(activity: Partial<Activity>): boolean {
  return Array.isArray(activity.attachments) && activity.attachments.some((a) => a?.contentType === 'application/vnd.microsoft.card.adaptive');
}

/** A customer's account without display name or directory id (personal data no store needs). */
function anonymous<A extends ChannelAccount | undefined>(account: A): A {
  if (!account || typeof account !== 'object') return account;
  const { name: _name, aadObjectId: _aad, ...rest } = account;
  return rest as A;
}
