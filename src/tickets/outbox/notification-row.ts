/**
 * A `ticket_notifications` row as both databases return it, and the notification it stands for.
 * One mapping for SQLite and PostgreSQL, so a column added to one store cannot be read differently
 * by the other.
 */
import type { ConversationReferenceJson, TicketId } from '../ticket.js';
import type { DeliveryStatus, NotificationKind, NotificationParams, OutboxNotification } from './notification.js';

export interface NotificationRow {
  /** INTEGER in SQLite; BIGINT in PostgreSQL, which `pg` hands over as a string. */
  id: number | string;
  ticket_id: string;
  kind: string;
  params: string;
  language: string;
  channel_id: string;
  conversation_reference: string;
  status: string;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  delivered_at: string | null;
  last_error: string | null;
}

export function notificationFromRow(row: NotificationRow): OutboxNotification {
  return {
    id: Number(row.id),
    ticketId: row.ticket_id as TicketId,
    kind: row.kind as NotificationKind,
    params: JSON.parse(row.params) as NotificationParams,
    language: row.language as OutboxNotification['language'],
    channelId: row.channel_id,
    conversationReference: JSON.parse(row.conversation_reference) as ConversationReferenceJson,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    lastError: row.last_error,
  };
}
