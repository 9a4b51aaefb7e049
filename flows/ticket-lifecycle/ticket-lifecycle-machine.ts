/**
 * The ticket lifecycle as a pure XState machine: the single source of truth for which change may
 * happen to a support ticket, used by src/tickets through {@link decideTicketTransition}.
 *
 * ```
 * awaiting_verification ──identity.verified──▶ verified ──approval.granted──▶ reset_approved ──ticket.resolved──▶ resolved
 *        │   ▲                                     (different agent;               (action: reset_2fa, or
 *        │   └──claims.resubmitted──┐               action by reason)               unlock_login for a lockout)
 *        └──identity.rejected──▶ verification_failed
 * every open state ──ticket.closed(reason)──▶ closed
 * ```
 *
 * Reopen rule: a `verification_failed` ticket stays open and returns to `awaiting_verification`
 * when the customer submits new identity claims. A failed check is often a typo or an old e-mail
 * address, and a second ticket would split the case's history across two numbers. Agents who
 * believe the claims are hopeless close the ticket (`identity_not_confirmed`, `suspected_fraud`).
 * `resolved` and `closed` are final: nothing reopens them; a new handoff opens a new ticket.
 */
import { and, assertEvent, assign, setup } from 'xstate';
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

/** A login lockout is solved by unlocking login; the customer's 2FA stays as it is. */
export function isLoginLockout({ context }: GuardArgs): boolean {
  return context.reason === 'login_lockout';
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
    isLoginLockout,
  },
  actions: {
    recordVerifier: assign({
      verifiedBy: ({ event }) => {
        assertEvent(event, 'identity.verified');
        return event.agentId;
      },
    }),
    forgetVerifier: assign({ verifiedBy: null }),
    recordUnlockApproval: assign({
      approvedBy: ({ event }) => {
        assertEvent(event, 'approval.granted');
        return event.agentId;
      },
      approvalAction: 'unlock_login' as const,
    }),
    recordResetApproval: assign({
      approvedBy: ({ event }) => {
        assertEvent(event, 'approval.granted');
        return event.agentId;
      },
      approvalAction: 'reset_2fa' as const,
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
  }),
  states: {
    awaiting_verification: {
      description: 'Identity claims received; an agent must check them against the account.',
      on: {
        'identity.verified': { target: 'verified', actions: 'recordVerifier' },
        'identity.rejected': { target: 'verification_failed', actions: 'forgetVerifier' },
        'ticket.closed': closeFromOpenState,
      },
    },
    verification_failed: {
      description: 'The claims did not match; the customer may submit new ones (reopen rule).',
      on: {
        'claims.resubmitted': { target: 'awaiting_verification', actions: 'forgetVerifier' },
        'ticket.closed': closeFromOpenState,
      },
    },
    verified: {
      description: 'Identity confirmed by one agent; a second agent approves the account change.',
      on: {
        'approval.granted': [
          {
            guard: and(['isDifferentAgent', 'isLoginLockout']),
            target: 'reset_approved',
            actions: 'recordUnlockApproval',
          },
          { guard: 'isDifferentAgent', target: 'reset_approved', actions: 'recordResetApproval' },
        ],
        'ticket.closed': closeFromOpenState,
      },
    },
    reset_approved: {
      description: 'Change approved (2FA reset, or login unlock for a lockout); waiting to be carried out.',
      on: {
        'ticket.resolved': { target: 'resolved' },
        'ticket.closed': closeFromOpenState,
      },
    },
    resolved: { type: 'final', description: 'The approved change was carried out.' },
    closed: { type: 'final', description: 'Closed without resolution; closeReason says why.' },
  },
});
