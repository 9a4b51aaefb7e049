/**
 * The input of {@link openForHandoff} apart from the identity claims (validated separately so each
 * field gets its own error code). Ids are bounded so a hostile channel cannot bloat the database.
 */
import { z } from 'zod';
import { HANDOFF_REASONS } from '../../flows/outcome.js';
import { LANGUAGES } from '../i18n/language.js';

const id = z.string().trim().min(1).max(256);
const stepId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/u);

/** A JSON object of bounded size (the Bot Framework conversation reference). */
const jsonObject = z
  .record(z.string(), z.unknown())
  .refine((v) => {
    try {
      return JSON.stringify(v).length <= 16_384;
    } catch {
      return false;
    }
  }, 'must be a JSON object of at most 16 KiB');

export const handoffRequestSchema = z.object({
  reason: z.enum(HANDOFF_REASONS),
  language: z.enum(LANGUAGES),
  channelId: id,
  userId: id,
  tenantId: id.nullish().transform((v) => v ?? null),
  conversationId: id,
  conversationReference: jsonObject,
  /** The channel's activity id that triggered the handoff; the idempotency key for redelivery. */
  activityId: id.nullish().transform((v) => v ?? null),
  claims: z.unknown(),
  path: z.array(stepId).max(200).default([]),
  stepsTried: z.array(stepId).max(200).default([]),
});

/** What the chat layer hands over when a conversation reaches a handoff. */
export type HandoffRequest = z.input<typeof handoffRequestSchema>;
