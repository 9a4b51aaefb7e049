/**
 * The shape an activity must have before botbuilder or the bot sees it. Every field the adapter,
 * the middleware or the bot reads is typed here, so a wrongly typed activity is a 400 naming the
 * field and never a TypeError deeper down (a 500, or a turn that fails and apologises). Fields
 * nobody reads pass through untouched: channels add their own.
 */
import { z } from 'zod';

/** Deepest nesting accepted in free-form JSON (value, channelData, attachments, entities). */
export const MAX_JSON_DEPTH = 32;

const id = z.string().min(1).max(1024);
const shortText = z.string().max(256);

/** A timestamp botbuilder turns into a Date: an unparseable one would become Invalid Date and throw later. */
const timestamp = z
  .string()
  .max(64)
  .refine((v) => !Number.isNaN(Date.parse(v)), 'a date and time (ISO 8601)');

/** Nested no deeper than MAX_JSON_DEPTH (walked without recursion). */
function shallowEnough(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return false;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return true;
}

const json = z.unknown().refine(shallowEnough, `nested at most ${MAX_JSON_DEPTH} levels`);
const jsonObject = z.record(z.string(), z.unknown()).refine(shallowEnough, `nested at most ${MAX_JSON_DEPTH} levels`);

/** from, recipient, members added or removed. */
const account = z
  .object({ id, name: shortText.optional(), role: shortText.optional(), aadObjectId: shortText.optional() })
  .passthrough();

const conversation = z
  .object({
    id: z.string().min(1).max(512),
    name: shortText.optional(),
    conversationType: shortText.optional(),
    tenantId: shortText.optional(),
    isGroup: z.boolean().optional(),
  })
  .passthrough();

/** An http(s) URL: where replies go (checked against the allow-list after authentication). */
const serviceUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'an http(s) URL');

const attachment = z
  .object({ contentType: shortText.optional(), contentUrl: z.string().max(2048).optional(), name: shortText.optional(), content: z.unknown().optional() })
  .passthrough();

const entity = z.object({ type: shortText.optional() }).passthrough();

const reaction = z.object({ type: shortText.optional() }).passthrough();

export const ActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: id.optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl,
    from: account,
    recipient: account.optional(),
    conversation,
    // Long texts are answered (the bot reads only the start); the body limit bounds the size.
    text: z.string().optional(),
    textFormat: shortText.optional(),
    value: json.optional(),
    valueType: shortText.optional(),
    name: shortText.optional(),
    attachments: z.array(attachment).max(50).refine(shallowEnough, `nested at most ${MAX_JSON_DEPTH} levels`).optional(),
    entities: z.array(entity).max(100).refine(shallowEnough, `nested at most ${MAX_JSON_DEPTH} levels`).optional(),
    channelData: jsonObject.optional(),
    locale: z.string().max(64).optional(),
    localTimestamp: timestamp.optional(),
    timestamp: timestamp.optional(),
    expiration: timestamp.optional(),
    replyToId: id.optional(),
    deliveryMode: shortText.optional(),
    action: shortText.optional(),
    membersAdded: z.array(account).max(100).optional(),
    membersRemoved: z.array(account).max(100).optional(),
    reactionsAdded: z.array(reaction).max(100).optional(),
    reactionsRemoved: z.array(reaction).max(100).optional(),
    topicName: shortText.optional(),
    inputHint: shortText.optional(),
    callerId: z.string().max(256).optional(),
    relatesTo: jsonObject.optional(),
  })
  .passthrough();

export type InboundActivity = z.infer<typeof ActivitySchema>;

/** The fields at fault, e.g. `["serviceUrl", "from.id"]`, for the 400's details. */
export function invalidFields(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((i) => i.path.join('.') || '(body)'))];
}

// ---- the common case without zod ---------------------------------------------------------------

type Check = (value: unknown) => boolean;

const stringOf = (min: number, max: number): Check => (v) => typeof v === 'string' && v.length >= min && v.length <= max;
const isShortText = stringOf(0, 256);
const isId = stringOf(1, 1024);
const isTimestamp: Check = (v) => typeof v === 'string' && v.length <= 64 && !Number.isNaN(Date.parse(v));
const isRecord = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};
/**
 * Every named field absent or passing its check; other fields pass through, as with zod's
 * passthrough. The object's own fields are walked (a dozen in an activity), not the thirty named.
 */
const fields = (checks: Readonly<Record<string, Check>>, required: readonly string[] = []): Check => {
  const byName = new Map(Object.entries(checks));
  return (v) => {
    if (!isRecord(v)) return false;
    for (const key of required) if (v[key] === undefined) return false;
    for (const key in v) {
      const check = byName.get(key);
      const field = v[key];
      if (check !== undefined && field !== undefined && !check(field)) return false;
    }
    return true;
  };
};
/** An array of at most `max` items each passing `item`; `depthLimited` as the schema's refine says. */
const arrayOf = (item: Check, max: number, depthLimited = false): Check => (v) => Array.isArray(v) && v.length <= max && v.every(item) && (!depthLimited || shallowEnough(v));
const isAccount = fields({ id: isId, name: isShortText, role: isShortText, aadObjectId: isShortText }, ['id']);
const isReaction = fields({ type: isShortText });
/** Service URLs already found to be http(s) URLs: a handful per deployment, parsed once each. */
const HTTP_URLS = new Set<string>();
const isServiceUrl: Check = (v) => {
  if (typeof v !== 'string' || v.length > 2048) return false;
  if (HTTP_URLS.has(v)) return true;
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    // not a URL
  }
  // Bounded: a stranger inventing URLs must not grow it (past the cap each one is parsed again).
  if (ok && HTTP_URLS.size < 256) HTTP_URLS.add(v);
  return ok;
};
const isJsonObject: Check = (v) => isRecord(v) && shallowEnough(v);

/** The same fields as {@link ActivitySchema}, each with the test its schema makes. */
const ACTIVITY_FIELDS: Readonly<Record<keyof InboundActivity & string, Check>> = {
  type: stringOf(1, 64),
  id: isId,
  channelId: stringOf(1, 64),
  serviceUrl: isServiceUrl,
  from: isAccount,
  recipient: isAccount,
  conversation: fields({ id: stringOf(1, 512), name: isShortText, conversationType: isShortText, tenantId: isShortText, isGroup: (v) => typeof v === 'boolean' }, ['id']),
  text: (v) => typeof v === 'string',
  textFormat: isShortText,
  value: shallowEnough,
  valueType: isShortText,
  name: isShortText,
  attachments: arrayOf(fields({ contentType: isShortText, contentUrl: stringOf(0, 2048), name: isShortText }), 50, true),
  entities: arrayOf(fields({ type: isShortText }), 100, true),
  channelData: isJsonObject,
  locale: stringOf(0, 64),
  localTimestamp: isTimestamp,
  timestamp: isTimestamp,
  expiration: isTimestamp,
  replyToId: isId,
  deliveryMode: isShortText,
  action: isShortText,
  membersAdded: arrayOf(isAccount, 100),
  membersRemoved: arrayOf(isAccount, 100),
  reactionsAdded: arrayOf(isReaction, 100),
  reactionsRemoved: arrayOf(isReaction, 100),
  topicName: isShortText,
  inputHint: isShortText,
  callerId: stringOf(0, 256),
  relatesTo: isJsonObject,
};

/** The fields {@link isPlainlyValidActivity} checks (a test holds them equal to the schema's). */
export const PLAINLY_CHECKED_FIELDS: readonly string[] = Object.keys(ACTIVITY_FIELDS);

/**
 * True only for a body {@link ActivitySchema} accepts, told with plain checks: zod's generic
 * object walk was about 4 % of a turn's CPU (issue 16), for the same answer on every well-formed
 * activity. False means "ask the schema", which then accepts or names the fields at fault: the
 * schema stays the definition and the one source of error messages. A differential test
 * (test/server/activity-schema.test.ts) holds that nothing passes here that the schema refuses.
 */
export const isPlainlyValidActivity: (body: unknown) => boolean = fields(ACTIVITY_FIELDS, ['type', 'channelId', 'serviceUrl', 'from', 'conversation']);
