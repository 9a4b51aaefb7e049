import { z } from 'zod';

/**
 * Shapes of what clients send to the local Direct Line routes. Unknown fields are dropped
 * (zod strips them): the channel, not the client, decides ids, timestamps, channelId,
 * serviceUrl, conversation, sender and recipient.
 */

/** Conversation ids this channel issues: base64url, so anything else is refused before a lookup. */
export const ConversationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a conversation id');

/** A BCP 47-ish locale tag such as `ja-JP` or `en`. */
export const LocaleSchema = z.string().max(35).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'not a locale');

/** Watermarks are the decimal numbers this channel hands out; empty means "from the start". */
export const WatermarkSchema = z
  .string()
  .regex(/^\d{0,15}$/, 'not a watermark')
  .optional()
  .transform((w) => (w === undefined || w === '' ? 0 : Number(w)));

export const StartConversationBodySchema = z
  .object({
    locale: LocaleSchema.optional(),
    // Sent by the client as `{ id: undefined }` when it has no user id of its own; the token decides anyway.
    user: z.object({ id: z.string().max(256).optional() }).optional(),
  })
  .optional()
  .transform((b) => b ?? {});

export const ActivityBodySchema = z.object({
  // endOfConversation: the client ends the conversation (Direct Line 3.0), which retires its tokens.
  type: z.enum(['message', 'event', 'typing', 'endOfConversation']),
  text: z.string().max(10_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  value: z.unknown().optional(),
  name: z.string().max(200).optional(),
  locale: LocaleSchema.optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(64).optional(),
  from: z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional(), role: z.string().max(32).optional() }).optional(),
  channelData: z
    .object({ clientActivityID: z.string().max(200).optional() })
    .catchall(z.unknown())
    .optional(),
  entities: z.array(z.record(z.string(), z.unknown())).max(20).optional(),
  // Files go through /upload, which this channel does not accept; inline attachments neither.
  attachments: z.array(z.unknown()).max(0, 'attachments are not accepted').optional(),
});

export type ActivityBody = z.infer<typeof ActivityBodySchema>;

/** Field paths of a failed parse, for the 400 answer (never the values: they may be personal). */
export function issueFields(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((i) => i.path.join('.') || '(body)'))];
}
