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
  if (typeof value !== 'object' || value === null) return ButtonValueSchema.safeParse(value).data;
  // A turn reads its value in several places (commands, the rating, the interpreter): parsed once.
  const known = PARSED.get(value);
  if (known !== undefined) return known === NOT_A_BUTTON ? undefined : known;
  // Frozen: every reader of this turn's value gets the same object.
  const parsed = answerValue(value) ?? ButtonValueSchema.safeParse(value).data;
  if (parsed) Object.freeze(parsed);
  PARSED.set(value, parsed ?? NOT_A_BUTTON);
  return parsed;
}

const NOT_A_BUTTON = Symbol('notAButton');
const PARSED = new WeakMap<object, ButtonValue | typeof NOT_A_BUTTON>();

/**
 * The schema's result for an answer button (nearly every press), without running it: the same
 * checks, and like the schema it keeps only `t`, `step` and `event`. Lengths are counted in UTF-16
 * units, stricter than the schema's code points: a value this refuses goes to the schema.
 */
function answerValue(value: object): ButtonValue | undefined {
  const { t, step, event } = value as { t?: unknown; step?: unknown; event?: unknown };
  if (t !== 'answer' || Array.isArray(value) || typeof step !== 'string' || typeof event !== 'string') return undefined;
  if (step.length > 200 || event.length > 100) return undefined;
  return { t, step, event };
}
