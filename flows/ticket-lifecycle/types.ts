/**
 * Vocabulary of the ticket lifecycle: statuses, events and the context the machine's guards read.
 * Pure types and constants; the machine (ticket-lifecycle-machine.ts) is the only place that says
 * which event may move a ticket from which status.
 */
import type { HandoffReason } from '../outcome.js';

/** Every status a ticket can be in; ids match the machine's state ids. */
export const TICKET_STATUSES = [
  'awaiting_verification',
  'verified',
  'verification_failed',
  'reset_approved',
  'resolved',
  'closed',
] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * Statuses from which the ticket can still move: `ticket.closed` is accepted from each of them, and
 * the customer's "same conversation, same handoff" returns a ticket in one of them instead of a new one.
 * `verification_failed` is open on purpose: the customer may resubmit claims (see the machine).
 */
export const OPEN_TICKET_STATUSES = [
  'awaiting_verification',
  'verified',
  'verification_failed',
  'reset_approved',
] as const satisfies readonly TicketStatus[];

export type OpenTicketStatus = (typeof OPEN_TICKET_STATUSES)[number];

/** What an approval lets the exchange do: a login lockout is unlocked, every other reason resets 2FA. */
export const APPROVAL_ACTIONS = ['reset_2fa', 'unlock_login'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/**
 * Why a ticket was closed without being resolved. Codes, not text: the chat layer maps them to
 * locale keys when it tells the customer.
 */
export const CLOSE_REASONS = [
  'customer_cancelled',
  'duplicate',
  'no_response',
  'identity_not_confirmed',
  'suspected_fraud',
  'solved_without_reset',
  'other',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Who caused a change. A customer's id is their channel user id; an agent's is the agent id. */
export interface TicketActor {
  readonly kind: 'customer' | 'agent' | 'system';
  readonly id: string;
}

/** What the lifecycle's guards and actions read and write; the rest of a ticket is not its business. */
export interface TicketLifecycleContext {
  readonly reason: HandoffReason;
  /** Agent who confirmed the customer's identity; an approval must come from someone else. */
  readonly verifiedBy: string | null;
  readonly approvedBy: string | null;
  readonly approvalAction: ApprovalAction | null;
  readonly closeReason: CloseReason | null;
}

/** Input that starts a lifecycle: a fresh ticket knows only why it was opened. */
export interface TicketLifecycleInput {
  readonly reason: HandoffReason;
}

/** Events with meaning; the service turns agent and customer actions into these. */
export type TicketLifecycleEvent =
  | { readonly type: 'identity.verified'; readonly agentId: string }
  | { readonly type: 'identity.rejected'; readonly agentId: string }
  | { readonly type: 'claims.resubmitted' }
  | { readonly type: 'approval.granted'; readonly agentId: string }
  | { readonly type: 'ticket.resolved'; readonly agentId: string }
  | { readonly type: 'ticket.closed'; readonly actor: TicketActor; readonly reason: CloseReason };

export type TicketLifecycleEventType = TicketLifecycleEvent['type'];

export const TICKET_LIFECYCLE_EVENT_TYPES = [
  'identity.verified',
  'identity.rejected',
  'claims.resubmitted',
  'approval.granted',
  'ticket.resolved',
  'ticket.closed',
] as const satisfies readonly TicketLifecycleEventType[];

/** Why an event was refused: stable codes shared with the application's AppError. */
export type TicketRefusal = 'illegal_transition' | 'same_agent';

export function isTicketStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (TICKET_STATUSES as readonly string[]).includes(value);
}

export function isOpenTicketStatus(status: TicketStatus): status is OpenTicketStatus {
  return (OPEN_TICKET_STATUSES as readonly string[]).includes(status);
}

export function isCloseReason(value: unknown): value is CloseReason {
  return typeof value === 'string' && (CLOSE_REASONS as readonly string[]).includes(value);
}
