/**
 * The ticket lifecycle as a pure XState machine: the single source of truth for which change may
 * happen to a support ticket, used by src/tickets through {@link decideTicketTransition}.
 *
 * ```
 * awaiting_verification ──identity.verified──▶ verified ──approval.granted──▶ change_approved ──change.carried_out──▶ resolved
 *        │   ▲                                   │ (different agent;               (what is approved follows the
 *        │   └──claims.resubmitted──┐            │  a change the reason needs)      reason: approvalActionFor)
 *        └──identity.rejected──▶ verification_failed
 *                                                └──ticket.resolved (reason needs no change)──▶ resolved
 * every open state ──ticket.closed(reason)──▶ closed
 * ```
 *
 * Reopen rule: a `verification_failed` ticket stays open and returns to `awaiting_verification`
 * when the customer submits new identity claims. A failed check is often a typo or an old e-mail
 * address, and a second ticket would split the case's history across two numbers. Agents who
 * believe the claims are hopeless close the ticket (`identity_not_confirmed`, `suspected_fraud`).
 * `resolved` and `closed` are final: nothing reopens them; a new handoff opens a new ticket.
 *
 * The customer is told a change is done only at `change.carried_out`: an approval is a decision,
 * and the account may still be as it was until an agent has made the change.
 */
import { and, assertEvent, assign, not, setup } from 'xstate';
import { approvalActionFor } from './types.js';
import type {
  TicketLifecycleContext,
  TicketLifecycleEvent,
  TicketLifecycleInput,
} from './types.js';

type GuardArgs = { readonly context: TicketLifecycleContext; readonly event: TicketLifecycleEvent };

/**
 * Two-agent rule: identity verification and the approval that acts on it are done by different
 * people, so one compromised or mistaken agent cannot hand an account to an impostor alone.
 */
export function isDifferentAgent({ context, event }: GuardArgs): boolean {
  return (
    event.type === 'approval.granted' &&
    context.verifiedBy !== null &&
    event.agentId.length > 0 &&
    event.agentId !== context.verifiedBy
  );
}

/** The ticket's reason calls for an account change that a second agent must approve. */
export function needsApprovedChange({ context }: GuardArgs): boolean {
  return approvalActionFor(context.reason) !== null;
}

const closeFromOpenState = { target: 'closed', actions: 'recordClose' } as const;

export const ticketLifecycleMachine = setup({
  types: {
    context: {} as TicketLifecycleContext,
    events: {} as TicketLifecycleEvent,
    input: {} as TicketLifecycleInput,
  },
  guards: {
    isDifferentAgent,
    needsApprovedChange,
  },
  actions: {
    recordVerifier: assign({
      verifiedBy: ({ event }) => {
        assertEvent(event, 'identity.verified');
        return event.agentId;
      },
    }),
    recordFailure: assign({
      verifiedBy: null,
      failureReason: ({ event }) => {
        assertEvent(event, 'identity.rejected');
        return event.reason;
      },
    }),
    forgetVerification: assign({ verifiedBy: null, failureReason: null }),
    recordApproval: assign({
      approvedBy: ({ event }) => {
        assertEvent(event, 'approval.granted');
        return event.agentId;
      },
      approvalAction: ({ context }) => approvalActionFor(context.reason),
    }),
    recordClose: assign({
      closeReason: ({ event }) => {
        assertEvent(event, 'ticket.closed');
        return event.reason;
      },
    }),
  },
}).createMachine({
  id: 'ticketLifecycle',
  description: 'Support ticket for a 2FA problem the chat could not solve (issue 3).',
  initial: 'awaiting_verification',
  context: ({ input }) => ({
    reason: input.reason,
    verifiedBy: null,
    approvedBy: null,
    approvalAction: null,
    closeReason: null,
    failureReason: null,
  }),
  states: {
    awaiting_verification: {
      description: 'Identity claims received; an agent must check them against the account.',
      on: {
        'identity.verified': { target: 'verified', actions: 'recordVerifier' },
        'identity.rejected': { target: 'verification_failed', actions: 'recordFailure' },
        'ticket.closed': closeFromOpenState,
      },
    },
    verification_failed: {
      description: 'The claims did not match; the customer may submit new ones (reopen rule).',
      on: {
        'claims.resubmitted': { target: 'awaiting_verification', actions: 'forgetVerification' },
        'ticket.closed': closeFromOpenState,
      },
    },
    verified: {
      description: 'Identity confirmed by one agent; a second agent approves the account change the reason needs.',
      on: {
        'approval.granted': {
          guard: and(['needsApprovedChange', 'isDifferentAgent']),
          target: 'change_approved',
          actions: 'recordApproval',
        },
        'ticket.resolved': { guard: not('needsApprovedChange'), target: 'resolved' },
        'ticket.closed': closeFromOpenState,
      },
    },
    change_approved: {
      description: 'Change approved (2FA switched to SMS or voice, login unlocked, or number updated); waiting to be carried out.',
      on: {
        'change.carried_out': { target: 'resolved' },
        'ticket.closed': closeFromOpenState,
      },
    },
    resolved: { type: 'final', description: 'The approved change was carried out, or the request was answered.' },
    closed: { type: 'final', description: 'Closed without resolution; closeReason says why.' },
  },
});
