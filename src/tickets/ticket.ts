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
} from '../../flows/ticket-lifecycle/index.js';
import type { TicketId } from './ticket-id.js';

export type {
  ApprovalAction,
  CloseReason,
  TicketActor,
  TicketStatus,
} from '../../flows/ticket-lifecycle/index.js';
export type { TicketId } from './ticket-id.js';

/** Languages a ticket's customer is answered in. */
export type TicketLanguage = 'ja' | 'en';

/**
 * What the customer told us about themselves, already validated and normalised
 * (see identity-claims.ts). Only here may e-mail and phone digits appear unmasked.
 */
export interface IdentityClaims {
  readonly email: string;
  readonly fullName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  /** Last four digits of the registered phone number, ASCII digits. */
  readonly phoneLast4?: string;
  /** What happened, in the customer's words, after secret redaction and personal-data masking. */
  readonly description: string;
}

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

/** One line of a ticket's append-only history. */
export interface HistoryEntry {
  /** ISO 8601 time. */
  readonly at: string;
  readonly actor: TicketActor;
  /** Lifecycle event that caused the change, or `ticket.opened` for creation. */
  readonly event: TicketLifecycleEventType | 'ticket.opened';
  /** Status before the change; `null` when the ticket was created. */
  readonly from: TicketStatus | null;
  readonly to: TicketStatus;
  /** Free text (agent note, close explanation), sanitised before storage; `null` if none. */
  readonly note: string | null;
}

export interface Ticket {
  readonly id: TicketId;
  readonly reason: HandoffReason;
  readonly language: TicketLanguage;
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
  /** What the approval allows: `unlock_login` for a login lockout, else `reset_2fa`. */
  readonly approvalAction: ApprovalAction | null;
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
