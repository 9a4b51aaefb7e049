/**
 * Protocol fields (ids, types, locales, time zones) are left out of text redaction so threading
 * keeps working, but a crafted client can put anything in them. A value is kept as is only when
 * it has the shape its key's values have; anything else is redacted like text.
 */
import { redactSecrets } from './redact.js';

/** Conservative id: ASCII, no spaces, what Bot Framework channels use (`29:1a…`, `19:…@thread.v2`, `abc|0001`). */
const ID = /^[A-Za-z0-9_][\w:;|@.=+/#-]{0,255}$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const ETAG = /^(?:\*|(?:W\/)?"?[\w.:+/=-]{1,128}"?)$/u;
const TYPE = /^[A-Za-z][\w.:/#-]{0,127}$/u;
const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}$/u;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?$/u;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]{0,30}(?:\/[A-Za-z0-9_+-]{1,30}){0,2}$/u;
const URL = /^https?:\/\/[!-~]{1,500}$/u;
const CHANNEL = /^[A-Za-z][\w-]{0,31}$/u;
const MIME = /^[\w.+-]{1,64}\/[\w.+-]{1,128}$/u;
const ROLE = /^(?:user|bot|skill)$/u;
// Fields botbuilder and the channels fill on every activity, each with a handful of values. Sent
// through the detectors as text they cost a full pass each per activity (an ISO time holds six
// digits and more) and can hold nothing else.
const DELIVERY_MODE = /^(?:normal|notification|expectReplies|ephemeral)$/u;
const INPUT_HINT = /^(?:acceptingInput|ignoringInput|expectingInput)$/u;
const TEXT_FORMAT = /^(?:markdown|plain|xml)$/u;
const IMPORTANCE = /^(?:low|normal|high)$/u;
// botbuilder's CallerIdConstants, exactly: a free-form part would let a setup key ride along.
const CALLER_ID = /^urn:botframework:(?:azure|azureusgov|aadappid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/iu;

const SHAPES: Readonly<Record<string, RegExp>> = {
  id: ID,
  replyToId: ID,
  conversationId: ID,
  activityId: ID,
  clientActivityID: ID,
  tenantId: ID,
  aadObjectId: ID,
  etag: ETAG,
  eTag: ETAG,
  type: TYPE,
  locale: LOCALE,
  timestamp: TIMESTAMP,
  localTimestamp: TIMESTAMP,
  localTimezone: ZONE_NAME,
  serviceUrl: URL,
  channelId: CHANNEL,
  contentType: MIME,
  role: ROLE,
  // botbuilder keeps the time as the channel wrote it beside the parsed one.
  rawTimestamp: TIMESTAMP,
  rawLocalTimestamp: TIMESTAMP,
  rawExpiration: TIMESTAMP,
  expiration: TIMESTAMP,
  deliveryMode: DELIVERY_MODE,
  inputHint: INPUT_HINT,
  textFormat: TEXT_FORMAT,
  importance: IMPORTANCE,
  callerId: CALLER_ID,
};

/** The keys whose values are kept when they have their shape (sanitize.ts re-exports it). */
export const PROTOCOL_KEYS: ReadonlySet<string> = new Set(Object.keys(SHAPES));

/** Zone names this runtime knows, remembered once checked (at most the few hundred real ones). */
const KNOWN_ZONES = new Set<string>();

function isTimeZone(name: string): boolean {
  if (KNOWN_ZONES.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
  } catch {
    return false;
  }
  KNOWN_ZONES.add(name);
  return true;
}

/** Digits or base32 enough to hold a code or key: only then is a shaped value run through the detectors. */
const MAY_HOLD_SECRET = /[0-9](?:[ .-]?[0-9]){5}|[A-Za-z2-7]{16}|otpauth/iu;

/**
 * True when `value`, found under the protocol key `key`, has that key's shape (an id, an IANA
 * zone name such as "Asia/Tokyo", a BCP 47 locale, an ISO timestamp…) and holds nothing the
 * detectors take for a secret. Random ids can contain a run that reads like a setup key, so a
 * key-like part inside a longer id is tolerated; a code, a labelled password, an otpauth URI or
 * a phrase is not, nor a value that is a secret as a whole. A UUID is always kept (its hex
 * groups can look like codes). False for keys that are not protocol keys.
 */
export function isProtocolShaped(key: string, value: string): boolean {
  const shape = SHAPES[key];
  if (!shape) return false;
  // The same ids, types, locales and URLs come back every turn (in the customer's activity and
  // in each reply, through the middleware, the transcript and the web chat history), and an id
  // with six digits in it goes through every detector: a value already found shaped is answered
  // from memory. Timestamps are new every time and cheap to check: never remembered.
  const remember = shape !== TIMESTAMP;
  const memo = remember ? shapedOf(key) : undefined;
  if (memo?.has(value)) return true;
  if (!shape.test(value)) return false;
  if (key === 'localTimezone' && !isTimeZone(value)) return false;
  if (!remember) return true;
  // A UUID is always kept, and is not worth remembering: a generated activity id is never seen twice.
  if (UUID.test(value)) return true;
  const mayHoldSecret = MAY_HOLD_SECRET.test(value) || /pass|pw/iu.test(value);
  if (mayHoldSecret && !holdsNoSecret(key, value)) return false;
  // Only values found shaped are remembered (nothing a detector refused); at most
  // SHAPED_CACHE_SIZE per kind like the sanitiser's text cache, cleared when full.
  if (memo!.size >= SHAPED_CACHE_SIZE) memo!.clear();
  memo!.add(value);
  return true;
}

/**
 * Protocol values found shaped (timestamps aside), one set per kind of key: keys of the same shape
 * that the detectors judge alike share theirs (the customer's activity `id` is the replies'
 * `replyToId`: checked once a turn, not once per activity). Looked up by the key as it is (a
 * string looked up as it is keeps its hash; a joined key would be built and hashed again).
 */
const SHAPED = new Map<string, Set<string>>();
const SHAPED_CACHE_SIZE = 10_000;

/** The set of `key`'s kind: its shape, and whether it routes a turn (holdsNoSecret's one other input). */
function shapedOf(key: string): Set<string> {
  let memo = SHAPED.get(key);
  if (memo === undefined) {
    const shape = SHAPES[key];
    const routing = ROUTING_IDS.has(key);
    const sibling = [...SHAPED.keys()].find((k) => SHAPES[k] === shape && ROUTING_IDS.has(k) === routing);
    memo = (sibling !== undefined && SHAPED.get(sibling)) || new Set<string>();
    SHAPED.set(key, memo);
  }
  return memo;
}

/** The detectors' part of {@link isProtocolShaped}, for a value of its key's shape. */
function holdsNoSecret(key: string, value: string): boolean {
  const { text, found } = redactSecrets(value);
  if (!found.every((kind) => kind === 'totp_key')) return false;
  // A random id is base32-like as a whole about one time in five (a 24-character web chat
  // conversation id, say), and rewriting it would cut the conversation from its state and
  // history. Ids are assigned by the channel (the local web chat overrides what its client
  // sends; /api/messages needs the channel's signed token in production), so an id-shaped value
  // is kept; other protocol fields that read as a key as a whole are not.
  return ROUTING_IDS.has(key) || !/^\[redacted:[a-z_]+\]$/u.test(text);
}

/** Keys whose values route a turn (state, history, threading): kept whenever id-shaped. */
const ROUTING_IDS: ReadonlySet<string> = new Set(['id', 'replyToId', 'conversationId', 'activityId', 'clientActivityID', 'tenantId', 'aadObjectId']);
