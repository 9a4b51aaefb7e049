/**
 * What the service reports after each change, so the bot layer can tell the customer in their
 * language (proactively, through the stored conversation reference) without reading history.
 */
import type {
  ApprovalAction,
  CloseReason,
  ConversationReferenceJson,
  CustomerRef,
  Ticket,
  TicketActor,
  TicketId,
  TicketStatus,
} from './ticket.js';
import type { Language } from '../i18n/language.js';

export const TICKET_EVENT_KINDS = [
  'opened',
  'claims_resubmitted',
  'verified',
  'verification_failed',
  'change_approved',
  'change_carried_out',
  'resolved',
  'closed',
  'assigned',
  'note_added',
  'info_requested',
] as const;

/** Names the change; the chat maps it to a locale key such as `tickets:notify.verified`. */
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export interface TicketEvent {
  readonly kind: TicketEventKind;
  readonly ticketId: TicketId;
  readonly from: TicketStatus | null;
  readonly to: TicketStatus;
  readonly at: string;
  readonly actor: TicketActor;
  readonly customer: CustomerRef;
  readonly language: Language;
  readonly conversationReference: ConversationReferenceJson;
  /** Set from `change_approved` on: what was approved (see approvalActionFor). */
  readonly approvalAction: ApprovalAction | null;
  readonly closeReason: CloseReason | null;
}

/** The updated ticket and the change that happened to it. */
export interface TicketOutcome {
  readonly ticket: Ticket;
  readonly event: TicketEvent;
}

const KIND_BY_LIFECYCLE_EVENT: Readonly<Record<string, TicketEventKind>> = {
  'ticket.opened': 'opened',
  'claims.resubmitted': 'claims_resubmitted',
  'identity.verified': 'verified',
  'identity.rejected': 'verification_failed',
  'approval.granted': 'change_approved',
  'change.carried_out': 'change_carried_out',
  'ticket.resolved': 'resolved',
  'ticket.closed': 'closed',
  'ticket.assigned': 'assigned',
  'note.added': 'note_added',
  'info.requested': 'info_requested',
};

/** Describes the ticket's latest history entry as an event. */
export function latestEvent(ticket: Ticket): TicketEvent {
  const last = ticket.history[ticket.history.length - 1];
  if (!last) throw new Error('a ticket always has at least its opening history entry');
  return {
    kind: KIND_BY_LIFECYCLE_EVENT[last.event] ?? 'opened',
    ticketId: ticket.id,
    from: last.from,
    to: last.to,
    at: last.at,
    actor: last.actor,
    customer: { channelId: ticket.channelId, userId: ticket.userId },
    language: ticket.language,
    conversationReference: ticket.conversationReference,
    approvalAction: ticket.approvalAction,
    closeReason: ticket.closeReason,
  };
}
