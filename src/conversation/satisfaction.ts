import type { Translate } from '../i18n/i18n.js';
import { normalize } from '../nlu/normalize.js';
import { parseButtonValue } from './button-value.js';
import type { ConversationData } from './conversation-data.js';
import type { Reply } from './reply.js';
import type { TurnInput } from './turn.js';
import type { PlannedButton } from './turn-plan.js';

/**
 * The optional one-question rating (1–5) after a confirmed resolution and after a ticket is done
 * (issue 18): the question, reading the answer (a button anywhere, typed digits only as the reply
 * to the question), and what the conversation remembers between the two.
 */

export const RATING_VALUES = [1, 2, 3, 4, 5] as const;
export type RatingValue = (typeof RATING_VALUES)[number];
export type RatingAbout = 'resolution' | 'ticket';

/** The rating a conversation waits for (ConversationData.rating). */
export interface OpenRating {
  readonly about: RatingAbout;
  /** The ticket rated (`about: 'ticket'`). */
  readonly ticketId?: string | undefined;
  /** The question was the bot's last message: a bare digit typed now is the rating. */
  readonly typed: boolean;
}

/** What a message says about a rating. */
export type RatingReading =
  | { readonly kind: 'rated'; readonly value: RatingValue; readonly about: RatingAbout; readonly ticketId?: string | undefined }
  /** A rating button with no open rating for it: already given, or asked about something else since. */
  | { readonly kind: 'closed' };

/** The buttons 1–5 under the question. */
export function ratingButtons(about: RatingAbout): PlannedButton[] {
  return RATING_VALUES.map((rating) => ({ rating, about }));
}

/** The locale key of the question for what is rated. */
export function ratingQuestionKey(about: RatingAbout): string {
  return about === 'ticket' ? 'common:rating.ticketQuestion' : 'common:rating.question';
}

/** The question as a message of its own (the ticket notification, sent outside a turn). */
export function ratingQuestion(t: Translate, about: RatingAbout): Reply {
  return { text: t(ratingQuestionKey(about)), buttons: RATING_VALUES.map((value) => ({ title: String(value), value: { t: 'rate', about, value } })) };
}

/** The conversation now waits for a rating of this (replacing one still open). */
export function openRating(data: ConversationData, about: RatingAbout, ticketId?: string): void {
  data.rating = { about, ...(ticketId !== undefined ? { ticketId } : {}), typed: true };
}

/**
 * Reads a message against the open rating: a rating button (any time while its rating is open),
 * or a rating typed as the very next message ("5", "５", 「4」, "5 stars", 星3). Anything else is
 * undefined and goes to the step as usual; a 2FA code never matches (six digits, and the
 * redaction middleware has replaced it with a marker before this).
 */
export function readRating(input: TurnInput, open: OpenRating | undefined): RatingReading | undefined {
  const button = parseButtonValue(input.value);
  if (button?.t === 'rate') {
    if (!open || open.about !== button.about) return { kind: 'closed' };
    return { kind: 'rated', value: button.value, about: open.about, ticketId: open.ticketId };
  }
  if (button !== undefined || input.value !== undefined || !open?.typed || typeof input.text !== 'string') return undefined;
  const value = typedRating(input.text);
  return value === undefined ? undefined : { kind: 'rated', value, about: open.about, ticketId: open.ticketId };
}

/** One digit 1–5, alone or with a word for stars or points ("5 stars", 星5, 5点); brackets and symbols are dropped by normalize. */
export function typedRating(text: string): RatingValue | undefined {
  const m = /^(?:星|ほし)? ?([1-5]) ?(?:stars?|点|つ|です)?$/u.exec(normalize(text));
  return m ? (Number(m[1]) as RatingValue) : undefined;
}
