import { z } from 'zod';
import { HANDOFF_REASONS } from '../../flows/outcome.js';
import type { PersistedFlow } from './flow-session.js';
import { LANGUAGES } from '../i18n/language.js';

/**
 * Everything remembered about one conversation between turns. Validated on load: a row
 * written by an older release or edited by hand must not crash a turn.
 */
export const ConversationDataSchema = z.object({
  lang: z.enum(LANGUAGES),
  /** True once the customer chose a language; from then on the channel's locale no longer decides. */
  langChosen: z.boolean(),
  /** True once the customer wrote a sentence in a language: it then outranks the channel's locale. */
  langFromText: z.boolean().default(false),
  welcomed: z.boolean(),
  /** The "we never ask for passwords or codes" notice is shown once per conversation. */
  secretsNoticeShown: z.boolean().default(false),
  /**
   * The choices a clarifying question just offered ("topic:smsNotReceived", "command:agent"), in
   * order: a number or a title typed next picks one of them. Cleared by the next message.
   */
  offered: z.array(z.string().max(100)).max(10).optional(),
  /**
   * The satisfaction rating the bot asked for and has not received (satisfaction.ts): its buttons
   * count while it is open; a typed digit only as the very next message (`typed`).
   */
  rating: z
    .object({
      about: z.enum(['resolution', 'ticket']),
      ticketId: z.string().max(40).optional(),
      typed: z.boolean(),
    })
    .optional(),
  /** While identity claims are collected after a handoff: why, and the path that led there. */
  handoff: z
    .object({
      reason: z.enum(HANDOFF_REASONS),
      path: z.array(z.string().max(200)).max(100),
      tried: z.array(z.string().max(200)).max(100),
    })
    .optional(),
  flow: z
    .custom<PersistedFlow>(
      (f) => typeof f === 'object' && f !== null && typeof (f as PersistedFlow).name === 'string' && typeof (f as PersistedFlow).version === 'number',
    )
    .optional(),
});

export type ConversationData = z.infer<typeof ConversationDataSchema>;

export function parseConversationData(raw: unknown): ConversationData | undefined {
  const parsed = ConversationDataSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
