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
