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
