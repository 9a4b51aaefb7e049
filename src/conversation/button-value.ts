import { z } from 'zod';
import { LANGUAGES } from '../i18n/language.js';

/**
 * What a button posts back (Adaptive/hero card `value`, suggested action `messageBack`).
 * Carries the step it was shown for, so a press on an old message can be told apart.
 */
export const COMMANDS = ['restart', 'back', 'agent', 'help', 'language', 'status', 'outOfScope'] as const;
export type Command = (typeof COMMANDS)[number];

const AnswerValue = z.object({
  t: z.literal('answer'),
  step: z.string().max(200),
  event: z.string().max(100),
});
const CommandValue = z.object({
  t: z.literal('command'),
  command: z.enum(COMMANDS),
  lang: z.enum(LANGUAGES).optional(),
});

/** A suggested topic (from a clarifying question): jump straight there. */
const JumpValue = z.object({
  t: z.literal('jump'),
  topic: z.string().max(100),
});

/** A rating button (1–5) under the satisfaction question; read by satisfaction.ts in any step. */
const RateValue = z.object({
  t: z.literal('rate'),
  about: z.enum(['resolution', 'ticket']),
  value: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
});

export const ButtonValueSchema = z.discriminatedUnion('t', [AnswerValue, CommandValue, JumpValue, RateValue]);
export type ButtonValue = z.infer<typeof ButtonValueSchema>;

/** Parses an untrusted `activity.value`; anything else (including a card form's fields) is undefined. */
export function parseButtonValue(value: unknown): ButtonValue | undefined {
  const parsed = ButtonValueSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
