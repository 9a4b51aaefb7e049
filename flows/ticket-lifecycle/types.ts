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
  'change_approved',
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
  'change_approved',
] as const satisfies readonly TicketStatus[];

export type OpenTicketStatus = (typeof OPEN_TICKET_STATUSES)[number];

/**
 * What an approval lets support do, following the guide: without a backup, support switches the
 * customer's 2FA to SMS or a voice call; a login lockout is lifted; a changed or wrong registered
 * number is updated. A customer's plain request for a person needs no approved change at all.
 */
export const APPROVAL_ACTIONS = ['switch_2fa_to_sms_or_voice', 'unlock_login', 'update_phone_number'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

const APPROVAL_ACTION_BY_REASON: Readonly<Record<HandoffReason, ApprovalAction | null>> = {
  app_lost_no_backup: 'switch_2fa_to_sms_or_voice',
  phone_lost_no_backup: 'switch_2fa_to_sms_or_voice',
  login_lockout: 'unlock_login',
  phone_number_changed: 'update_phone_number',
  registered_number_wrong: 'update_phone_number',
  customer_requested: null,
};

/** The account change a ticket of this reason may be approved for; `null` when none is needed. */
export function approvalActionFor(reason: HandoffReason): ApprovalAction | null {
  return APPROVAL_ACTION_BY_REASON[reason];
}

/**
 * Why identity verification failed, from a fixed list: the customer is told the reason in their
 * language (locale keys `tickets:failureReason.*`), so agents never write it to them freehand.
 */
export const VERIFICATION_FAILURE_REASONS = [
  'details_do_not_match',
  'email_not_registered',
  'details_incomplete',
  'other',
] as const;
export type VerificationFailureReason = (typeof VERIFICATION_FAILURE_REASONS)[number];

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
  'solved_without_change',
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
  /** Why the last verification failed; cleared when the customer resubmits. */
  readonly failureReason: VerificationFailureReason | null;
}

/** Input that starts a lifecycle: a fresh ticket knows only why it was opened. */
export interface TicketLifecycleInput {
  readonly reason: HandoffReason;
}

/** Events with meaning; the service turns agent and customer actions into these. */
export type TicketLifecycleEvent =
  | { readonly type: 'identity.verified'; readonly agentId: string }
  | { readonly type: 'identity.rejected'; readonly agentId: string; readonly reason: VerificationFailureReason }
  | { readonly type: 'claims.resubmitted' }
  | { readonly type: 'approval.granted'; readonly agentId: string }
  /** The approved change (see {@link ApprovalAction}) was carried out on the account. */
  | { readonly type: 'change.carried_out'; readonly agentId: string }
  /** Solved without an account change: only for tickets whose reason needs none. */
  | { readonly type: 'ticket.resolved'; readonly agentId: string }
  | { readonly type: 'ticket.closed'; readonly actor: TicketActor; readonly reason: CloseReason };

export type TicketLifecycleEventType = TicketLifecycleEvent['type'];

export const TICKET_LIFECYCLE_EVENT_TYPES = [
  'identity.verified',
  'identity.rejected',
  'claims.resubmitted',
  'approval.granted',
  'change.carried_out',
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

export function isVerificationFailureReason(value: unknown): value is VerificationFailureReason {
  return typeof value === 'string' && (VERIFICATION_FAILURE_REASONS as readonly string[]).includes(value);
}

export function isCloseReason(value: unknown): value is CloseReason {
  return typeof value === 'string' && (CLOSE_REASONS as readonly string[]).includes(value);
}
