/**
 * How a conversation through a flow ends. Every final state's `output` is one of these.
 */

/** Why the chat cannot solve the problem and a person must take over. */
export const HANDOFF_REASONS = [
  'app_lost_no_backup',
  'phone_lost_no_backup',
  'login_lockout',
  'phone_number_changed',
  'registered_number_wrong',
  'customer_requested',
] as const;

export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export type FlowOutcome =
  | { readonly kind: 'resolved' }
  | { readonly kind: 'handoff'; readonly reason: HandoffReason };

export function isHandoffReason(value: unknown): value is HandoffReason {
  return typeof value === 'string' && (HANDOFF_REASONS as readonly string[]).includes(value);
}

/**
 * How a whole conversation ended, for the supervisors' reports (one per conversation).
 * `resolved`: the customer confirmed at a resolved ending that it solved the problem;
 * `handoff`: a handoff ending (with its reason); `out_of_scope`: the bot said the question is not
 * about 2FA; `abandoned`: no reply for the configured time before any of these; `open`: none yet.
 */
export const CONVERSATION_OUTCOMES = ['resolved', 'handoff', 'out_of_scope', 'abandoned', 'open'] as const;

export type ConversationOutcome = (typeof CONVERSATION_OUTCOMES)[number];
