/**
 * How long tickets waited for an agent: the reports' waiting times against VERIFICATION_SLA_HOURS.
 * The wait ends at the first agent decision in the history: identity verified or rejected, the
 * ticket resolved, or closed by an agent. A customer's cancellation is not a decision.
 */
import type { Language } from '../i18n/language.js';
import type { HistoryEntry, HistoryEvent, TicketId, TicketStatus } from './ticket.js';

/** History events that end the wait when an agent records them. */
export const TICKET_DECISION_EVENTS = ['identity.verified', 'identity.rejected', 'ticket.resolved', 'ticket.closed'] as const satisfies readonly HistoryEvent[];

/** The same list for SQL (`event IN (…)`): constants only, nothing from outside. */
export const TICKET_DECISION_EVENTS_SQL = TICKET_DECISION_EVENTS.map((e) => `'${e}'`).join(', ');

export interface TicketWaitingFilter {
  /** Tickets opened at or after this ISO time… */
  readonly since: string;
  /** …and before this one. */
  readonly until: string;
  readonly language?: Language | undefined;
  readonly channelId?: string | undefined;
}

/** One ticket's wait: ids and times only. */
export interface TicketWaitingTime {
  readonly id: TicketId;
  readonly language: Language;
  readonly channelId: string;
  readonly status: TicketStatus;
  readonly createdAt: string;
  /** The first agent decision's time; null while none was made. */
  readonly firstDecisionAt: string | null;
}

/** The first agent decision in a history (oldest first), or null. */
export function firstDecisionAt(history: readonly HistoryEntry[]): string | null {
  const decision = history.find((h) => h.actor.kind === 'agent' && (TICKET_DECISION_EVENTS as readonly string[]).includes(h.event));
  return decision?.at ?? null;
}

/** A row of the stores' query. */
export interface TicketWaitingRow {
  readonly id: string;
  readonly language: string;
  readonly channel_id: string;
  readonly status: string;
  readonly created_at: string;
  readonly first_decision_at: string | null;
}

export function ticketWaitingFromRow(row: TicketWaitingRow): TicketWaitingTime {
  return {
    id: row.id as TicketId,
    language: row.language as Language,
    channelId: row.channel_id,
    status: row.status as TicketStatus,
    createdAt: row.created_at,
    firstDecisionAt: row.first_decision_at,
  };
}

/**
 * The query both databases run (`?` placeholders numbered by `placeholder`): tickets opened in the
 * period, oldest first, with their first decision from the history's primary key (ticket_id, seq).
 */
export function ticketWaitingSql(filter: TicketWaitingFilter, placeholder: (n: number) => string): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.since, filter.until];
  const where = [`t.created_at >= ${placeholder(1)}`, `t.created_at < ${placeholder(2)}`];
  if (filter.language !== undefined) (params.push(filter.language), where.push(`t.language = ${placeholder(params.length)}`));
  if (filter.channelId !== undefined) (params.push(filter.channelId), where.push(`t.channel_id = ${placeholder(params.length)}`));
  const sql = `SELECT t.id, t.language, t.channel_id, t.status, t.created_at,
      (SELECT MIN(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.actor_kind = 'agent'
        AND h.event IN (${TICKET_DECISION_EVENTS_SQL})) AS first_decision_at
    FROM tickets t WHERE ${where.join(' AND ')} ORDER BY t.created_at, t.id`;
  return { sql, params };
}
