/**
 * A `conversation_sessions` row and a `not_understood_messages` row as both databases return them,
 * and the values they stand for: one mapping for SQLite and PostgreSQL.
 */
import type { HandoffReason } from '../../flows/outcome.js';
import type { Language } from '../i18n/language.js';
import type { ConversationSession, NotUnderstoodMessage } from './conversation-session.js';

export interface SessionRow {
  /** INTEGER in SQLite; BIGINT in PostgreSQL, which `pg` hands over as a string. */
  id: number | string;
  key_hash: string;
  channel: string;
  language: string;
  started_at: string;
  last_at: string;
  turns: number;
  /** JSON array of step ids. */
  path: string;
  last_step: string | null;
  ending_kind: string | null;
  handoff_reason: string | null;
  ticket_id: string | null;
  /** 1, 0 or null (SQLite); PostgreSQL's BOOLEAN arrives as true/false. */
  solved: number | boolean | null;
  not_solved_answers: number;
  resolution_rating: number | null;
  ticket_rating: number | null;
}

export function sessionFromRow(r: SessionRow): ConversationSession {
  return {
    keyHash: r.key_hash,
    channel: r.channel,
    language: r.language as Language,
    startedAt: r.started_at,
    lastAt: r.last_at,
    turns: r.turns,
    path: JSON.parse(r.path) as string[],
    lastStep: r.last_step,
    endingKind: r.ending_kind as ConversationSession['endingKind'],
    handoffReason: r.handoff_reason as HandoffReason | null,
    ticketId: r.ticket_id,
    solved: r.solved === null ? null : Boolean(r.solved),
    notSolvedAnswers: r.not_solved_answers,
    resolutionRating: r.resolution_rating,
    ticketRating: r.ticket_rating,
  };
}

/** The columns written from a session, in {@link SESSION_COLUMNS} order (`solved` as 1/0/null; PostgreSQL casts). */
export function sessionValues(s: ConversationSession): unknown[] {
  return [
    s.keyHash,
    s.channel,
    s.language,
    s.startedAt,
    s.lastAt,
    s.turns,
    JSON.stringify(s.path),
    s.lastStep,
    s.endingKind,
    s.handoffReason,
    s.ticketId,
    s.solved === null ? null : s.solved ? 1 : 0,
    s.notSolvedAnswers,
    s.resolutionRating,
    s.ticketRating,
  ];
}

export const SESSION_COLUMNS = [
  'key_hash',
  'channel',
  'language',
  'started_at',
  'last_at',
  'turns',
  'path',
  'last_step',
  'ending_kind',
  'handoff_reason',
  'ticket_id',
  'solved',
  'not_solved_answers',
  'resolution_rating',
  'ticket_rating',
] as const;

export interface NotUnderstoodRow {
  at: string;
  language: string;
  channel: string;
  step: string;
  text: string;
}

export function notUnderstoodFromRow(r: NotUnderstoodRow): NotUnderstoodMessage {
  return { at: r.at, language: r.language as Language, channel: r.channel, step: r.step, text: r.text };
}

/** `WHERE` conditions of a period with optional language and channel, for a column of times. */
export function periodWhere(
  column: string,
  filter: { since: string; until: string; language?: string | undefined; channel?: string | undefined },
  placeholder: (n: number) => string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [filter.since, filter.until];
  const where = [`${column} >= ${placeholder(1)}`, `${column} < ${placeholder(2)}`];
  if (filter.language !== undefined) (params.push(filter.language), where.push(`language = ${placeholder(params.length)}`));
  if (filter.channel !== undefined) (params.push(filter.channel), where.push(`channel = ${placeholder(params.length)}`));
  return { where: where.join(' AND '), params };
}
