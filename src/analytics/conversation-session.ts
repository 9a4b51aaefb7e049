/**
 * One conversation *session* as the reports see it: a run of turns of one conversation from its
 * first message to an ending (resolved, handoff, out of scope). A message after an ending starts a
 * new session of the same conversation, except the answer to "did this solve it?", a rating, and
 * the identity procedure's turns after a handoff (they belong to the handoff). Pure: both stores
 * apply turns through {@link applyTurn}, so SQLite and PostgreSQL decide alike.
 */
import type { HandoffReason } from '../../flows/outcome.js';
import type { TurnEnding, TurnFact } from '../conversation/turn-fact.js';
import type { Language } from '../i18n/language.js';
import { maskPersonalData, redactSecrets } from '../privacy/index.js';

/** Steps kept of a session's path; a longer run keeps its first steps (the last step is kept apart). */
export const MAX_PATH_STEPS = 100;
/** Characters kept of a message the bot did not understand. */
export const MAX_NOT_UNDERSTOOD_CHARS = 500;

/** A finished turn as the recorder queues it: the conversation key already hashed, no raw id. */
export interface RecordedTurn {
  /** {@link conversationKeyHash} of the conversation's key. */
  readonly keyHash: string;
  readonly channel: string;
  readonly language: Language;
  /** ISO 8601. */
  readonly at: string;
  readonly fact: TurnFact | undefined;
  readonly ticketId: string | undefined;
}

export interface ConversationSession {
  readonly keyHash: string;
  readonly channel: string;
  /** The language of the session's last turn. */
  readonly language: Language;
  readonly startedAt: string;
  readonly lastAt: string;
  readonly turns: number;
  /** Step ids in the order reached, a step repeated in a row kept once, at most {@link MAX_PATH_STEPS}. */
  readonly path: readonly string[];
  readonly lastStep: string | null;
  readonly endingKind: TurnEnding['kind'] | null;
  readonly handoffReason: HandoffReason | null;
  readonly ticketId: string | null;
  /** The last answer to "did this solve your problem?"; null when never answered. */
  readonly solved: boolean | null;
  /** How many times the customer answered "no" (each reopens the session on the branch's remaining checks). */
  readonly notSolvedAnswers: number;
  readonly resolutionRating: number | null;
  /** The rating of this session's ticket, arriving when the ticket is done (maybe days later). */
  readonly ticketRating: number | null;
}

/** A message the bot could not place, as stored for the reports. */
export interface NotUnderstoodMessage {
  readonly at: string;
  readonly language: Language;
  readonly channel: string;
  readonly step: string;
  /** Redacted and masked again here (secrets, e-mail addresses, phone numbers), at most {@link MAX_NOT_UNDERSTOOD_CHARS}. */
  readonly text: string;
}

/** What a turn does to the sessions of its conversation. */
export type SessionChange =
  | { readonly kind: 'start'; readonly session: ConversationSession }
  | { readonly kind: 'update'; readonly session: ConversationSession }
  /** A ticket's rating: goes to the session that opened the ticket (see {@link ratesTicket}). */
  | { readonly kind: 'none' };

/** A rating of a ticket: it attaches to an older session and starts none. */
export function ratesTicket(turn: RecordedTurn): number | null {
  return turn.fact?.rating?.about === 'ticket' ? turn.fact.rating.value : null;
}

/**
 * What `turn` does given the conversation's latest session (undefined: none yet). A ticket rating
 * is not handled here (the stores find its session by ticket id).
 */
export function applyTurn(latest: ConversationSession | undefined, turn: RecordedTurn): SessionChange {
  if (ratesTicket(turn) !== null) return { kind: 'none' };
  if (latest === undefined || startsNewSession(latest, turn)) return { kind: 'start', session: advance(fresh(turn), turn) };
  return { kind: 'update', session: advance(latest, turn) };
}

function startsNewSession(latest: ConversationSession, turn: RecordedTurn): boolean {
  if (latest.endingKind === null) return false;
  const fact = turn.fact;
  if (fact === undefined) return true;
  // The answer to "did this solve it?" and the resolution's rating belong to the ending they answer.
  if (fact.solved !== undefined || fact.rating !== undefined) return false;
  // After a handoff the identity procedure collects what the ticket needs: still the same run.
  if (latest.endingKind === 'handoff' && fact.flow === 'identity') return false;
  return true;
}

function fresh(turn: RecordedTurn): ConversationSession {
  return {
    keyHash: turn.keyHash,
    channel: turn.channel,
    language: turn.language,
    startedAt: turn.at,
    lastAt: turn.at,
    turns: 0,
    path: [],
    lastStep: null,
    endingKind: null,
    handoffReason: null,
    ticketId: null,
    solved: null,
    notSolvedAnswers: 0,
    resolutionRating: null,
    ticketRating: null,
  };
}

function advance(session: ConversationSession, turn: RecordedTurn): ConversationSession {
  const fact = turn.fact;
  let next: ConversationSession = {
    ...session,
    language: turn.language,
    lastAt: turn.at > session.lastAt ? turn.at : session.lastAt,
    turns: session.turns + 1,
    ticketId: turn.ticketId ?? session.ticketId,
  };
  if (fact === undefined) return next;
  const path = next.path;
  if (fact.step !== '' && path[path.length - 1] !== fact.step && path.length < MAX_PATH_STEPS) next = { ...next, path: [...path, fact.step] };
  if (fact.step !== '') next = { ...next, lastStep: fact.step };
  if (fact.solved === true) next = { ...next, solved: true };
  if (fact.solved === false) {
    // "No": the bot goes on with the branch's remaining checks, so the run is not over.
    next = { ...next, solved: false, notSolvedAnswers: next.notSolvedAnswers + 1, endingKind: next.endingKind === 'resolved' ? null : next.endingKind };
  }
  if (fact.rating?.about === 'resolution') next = { ...next, resolutionRating: fact.rating.value };
  const ending = fact.ending;
  if (ending !== undefined) {
    next = {
      ...next,
      endingKind: ending.kind,
      handoffReason: ending.kind === 'handoff' ? ending.reason : null,
      ticketId: (ending.kind === 'handoff' ? ending.ticketId : undefined) ?? next.ticketId,
      // A new resolved ending asks again: an earlier "no" is not this ending's answer.
      solved: ending.kind === 'resolved' && fact.solved === undefined ? null : next.solved,
    };
  }
  return next;
}

/** The not-understood message of a turn, cleaned for the reports; null when the turn had none. */
export function notUnderstoodOf(turn: RecordedTurn): NotUnderstoodMessage | null {
  const raw = turn.fact?.notUnderstood;
  if (raw === undefined || raw.trim() === '') return null;
  // Redacted by the middleware already; again here because this text is shown to supervisors.
  const text = maskPersonalData(redactSecrets(raw).text).text;
  return {
    at: turn.at,
    language: turn.language,
    channel: turn.channel,
    step: turn.fact?.step ?? '',
    text: [...text].slice(0, MAX_NOT_UNDERSTOOD_CHARS).join(''),
  };
}
