/**
 * How a ticket is laid out in SQLite, and back: row types and the one place that turns rows into
 * the model, shared by the repository and the queue.
 */
import { AppError } from '../errors.js';
import { isTicketStatus } from '../../flows/ticket-lifecycle/index.js';
import type { HistoryDetail, HistoryEntry, Ticket, TicketId } from './ticket.js';
import type { TicketSummary } from './ticket-queue.js';

export interface TicketRow {
  id: string;
  reason: string;
  language: string;
  status: string;
  channel_id: string;
  user_id: string;
  tenant_id: string | null;
  conversation_id: string;
  conversation_reference: string;
  claims: string;
  path: string;
  steps_tried: string;
  close_reason: string | null;
  approved_change: string | null;
  failure_reason: string | null;
  assignee_id: string | null;
  verified_by: string | null;
  approved_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface HistoryRow {
  at: string;
  actor_kind: string;
  actor_id: string;
  event: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
  detail: string | null;
}

export type SummaryRow = Pick<
  TicketRow,
  'id' | 'reason' | 'language' | 'channel_id' | 'status' | 'assignee_id' | 'created_at' | 'updated_at' | 'version'
> & { failed_notifications: number };

/** The columns a queue row reads; `t` is the tickets table. */
export const SUMMARY_COLUMNS = `t.id, t.reason, t.language, t.channel_id, t.status, t.assignee_id, t.created_at,
  t.updated_at, t.version,
  (SELECT COUNT(*) FROM ticket_notifications n WHERE n.ticket_id = t.id AND n.status = 'failed') AS failed_notifications`;

export function historyFromRow(h: HistoryRow): HistoryEntry {
  return {
    at: h.at,
    actor: { kind: h.actor_kind as HistoryEntry['actor']['kind'], id: h.actor_id },
    event: h.event as HistoryEntry['event'],
    from: h.from_status as HistoryEntry['from'],
    to: h.to_status as HistoryEntry['to'],
    note: h.note,
    detail: h.detail === null ? null : (JSON.parse(h.detail) as HistoryDetail),
  };
}

/** The columns a ticket and its queue row share. */
function commonFromRow(row: Omit<SummaryRow, 'failed_notifications'>): Omit<TicketSummary, 'failedNotifications'> {
  if (!isTicketStatus(row.status)) throw new AppError('internal', 'ticket row has an unknown status');
  return {
    id: row.id as TicketId,
    reason: row.reason as TicketSummary['reason'],
    language: row.language as TicketSummary['language'],
    channelId: row.channel_id,
    status: row.status,
    assigneeId: row.assignee_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function ticketFromRow(row: TicketRow, history: readonly HistoryEntry[]): Ticket {
  return {
    ...commonFromRow(row),
    userId: row.user_id,
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    conversationReference: JSON.parse(row.conversation_reference) as Ticket['conversationReference'],
    claims: JSON.parse(row.claims) as Ticket['claims'],
    path: JSON.parse(row.path) as string[],
    stepsTried: JSON.parse(row.steps_tried) as string[],
    closeReason: row.close_reason as Ticket['closeReason'],
    approvalAction: row.approved_change as Ticket['approvalAction'],
    failureReason: row.failure_reason as Ticket['failureReason'],
    verifiedBy: row.verified_by,
    approvedBy: row.approved_by,
    history,
  };
}

export function summaryFromRow(row: SummaryRow): TicketSummary {
  return { ...commonFromRow(row), failedNotifications: row.failed_notifications };
}
