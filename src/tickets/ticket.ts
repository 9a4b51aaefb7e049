/**
 * The support ticket a handoff turns into. Lifecycle vocabulary (statuses, reasons, actions) comes
 * from flows/ticket-lifecycle, which alone decides how a ticket may change.
 */
import type { HandoffReason } from '../../flows/outcome.js';
import type {
  ApprovalAction,
  CloseReason,
  TicketActor,
  TicketLifecycleEventType,
  TicketStatus,
  VerificationFailureReason,
} from '../../flows/ticket-lifecycle/index.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import type { TicketId } from '../ticket-id.js';

export type {
  ApprovalAction,
  CloseReason,
  TicketActor,
  TicketStatus,
  VerificationFailureReason,
} from '../../flows/ticket-lifecycle/index.js';
import type { Language } from '../i18n/language.js';
export type { TicketId } from '../ticket-id.js';

/**
 * Opaque Bot Framework conversation reference, kept to message the customer later.
 * Holds ids and the service URL, never secrets.
 */
export type ConversationReferenceJson = Readonly<Record<string, unknown>>;

/** Who identifies a customer across tickets: the channel and their user id on it. */
export interface CustomerRef {
  readonly channelId: string;
  readonly userId: string;
}

/**
 * Changes that are not lifecycle steps but are part of the case: who works it, the agents' internal
 * notes (never shown to the customer), and questions put to the customer.
 */
export const TICKET_WORK_EVENTS = ['ticket.assigned', 'note.added', 'info.requested'] as const;
export type TicketWorkEvent = (typeof TICKET_WORK_EVENTS)[number];

/** Every kind of history line. */
export type HistoryEvent = TicketLifecycleEventType | TicketWorkEvent | 'ticket.opened';

/** Structured facts of a history line (ids and codes, never free text). */
export interface HistoryDetail {
  readonly assigneeId?: string | null;
  readonly failureReason?: VerificationFailureReason;
  readonly closeReason?: CloseReason;
  readonly approvalAction?: ApprovalAction;
}

/** One line of a ticket's append-only history. */
export interface HistoryEntry {
  /** ISO 8601 time. */
  readonly at: string;
  readonly actor: TicketActor;
  /** Lifecycle event that caused the change, a work event, or `ticket.opened` for creation. */
  readonly event: HistoryEvent;
  /** Status before the change; `null` when the ticket was created. */
  readonly from: TicketStatus | null;
  readonly to: TicketStatus;
  /**
   * Free text, sanitised before storage; `null` if none. An internal note for agents, except on
   * `info.requested`, where it is the message sent to the customer.
   */
  readonly note: string | null;
  /** Structured facts of the change; `null` when it has none. */
  readonly detail: HistoryDetail | null;
}

export interface Ticket {
  readonly id: TicketId;
  readonly reason: HandoffReason;
  readonly language: Language;
  readonly channelId: string;
  /** The customer's user id on the channel. */
  readonly userId: string;
  /** Microsoft Teams tenant, when the channel has one. */
  readonly tenantId: string | null;
  /** Conversation the handoff happened in: with `reason`, the key of "the same handoff again". */
  readonly conversationId: string;
  readonly conversationReference: ConversationReferenceJson;
  readonly claims: IdentityClaims;
  /** Step ids of the troubleshooting flow the customer went through, in order. */
  readonly path: readonly string[];
  /** Step ids of the fixes the customer already tried. */
  readonly stepsTried: readonly string[];
  readonly status: TicketStatus;
  readonly closeReason: CloseReason | null;
  /** What the approval allows (follows the reason, see approvalActionFor); `null` until approved. */
  readonly approvalAction: ApprovalAction | null;
  /** Why the last identity check failed; cleared when the customer resubmits claims (a closed ticket keeps it). */
  readonly failureReason: VerificationFailureReason | null;
  /** The agent working the ticket, or `null` while it waits in the queue. */
  readonly assigneeId: string | null;
  readonly verifiedBy: string | null;
  readonly approvedBy: string | null;
  /** ISO 8601 times. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Incremented by every change; for optimistic concurrency. */
  readonly version: number;
  readonly history: readonly HistoryEntry[];
}

/** What a ticket is created from; the repository adds status, version and the first history line. */
export interface NewTicket
  extends Pick<
    Ticket,
    | 'id'
    | 'reason'
    | 'language'
    | 'channelId'
    | 'userId'
    | 'tenantId'
    | 'conversationId'
    | 'conversationReference'
    | 'claims'
    | 'path'
    | 'stepsTried'
    | 'createdAt'
  > {
  /** Who opened it (the customer) and the first history line's note. */
  readonly openedBy: TicketActor;
  readonly note: string | null;
}
