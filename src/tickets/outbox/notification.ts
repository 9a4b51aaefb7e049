/**
 * Customer notifications of ticket changes, kept in an outbox written in the same transaction as
 * the change itself: a change that should reach the customer cannot be saved without its message,
 * and a connector that is down delays the message instead of losing it.
 */
import type {
  ApprovalAction,
  CloseReason,
  ConversationReferenceJson,
  TicketId,
  VerificationFailureReason,
} from '../ticket.js';
import type { Language } from '../../i18n/language.js';

/** What the customer is told; the chat maps each kind to a locale key (`tickets:notify.*`). */
export const NOTIFICATION_KINDS = [
  'verified',
  'verification_failed',
  'change_approved',
  'change_carried_out',
  'resolved',
  'closed',
  'info_requested',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Codes and agent-written text the message is built from, in the customer's language at delivery. */
export interface NotificationParams {
  readonly approvalAction?: ApprovalAction;
  readonly closeReason?: CloseReason;
  readonly failureReason?: VerificationFailureReason;
  /** An agent's question to the customer (`info_requested`), already sanitised. */
  readonly message?: string;
}

/** What a ticket change asks the outbox to send; the repository adds where and to whom. */
export interface NotificationRequest {
  readonly kind: NotificationKind;
  readonly params: NotificationParams;
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
/**
 * `pending`: waiting for (another) attempt; `sending`: claimed by a dispatcher; `delivered`;
 * `failed`: attempts exhausted, shown to agents on the ticket and in the queue.
 */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface OutboxNotification extends NotificationRequest {
  readonly id: number;
  readonly ticketId: TicketId;
  readonly language: Language;
  readonly channelId: string;
  readonly conversationReference: ConversationReferenceJson;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** ISO times. */
  readonly createdAt: string;
  readonly nextAttemptAt: string;
  readonly deliveredAt: string | null;
  /** A short, non-personal description of the last failure (error name and message). */
  readonly lastError: string | null;
}
