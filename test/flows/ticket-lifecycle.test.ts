import { describe, expect, it } from 'vitest';
import { getSimplePaths } from 'xstate/graph';
import { createActor } from 'xstate';
import {
  TICKET_LIFECYCLE_EVENT_TYPES,
  TICKET_STATUSES,
  OPEN_TICKET_STATUSES,
  canApplyTicketEvent,
  decideTicketTransition,
  ticketEventTypesFrom,
  ticketLifecycleMachine,
  type TicketLifecycleContext,
  type TicketLifecycleEvent,
  type TicketLifecycleEventType,
  type TicketStatus,
} from '../../flows/ticket-lifecycle/index.js';
import { HANDOFF_REASONS, type HandoffReason } from '../../flows/outcome.js';

const VERIFIER = 'agent-verifier';
const APPROVER = 'agent-approver';

function context(status: TicketStatus, reason: HandoffReason = 'app_lost_no_backup'): TicketLifecycleContext {
  const verified = status === 'verified' || status === 'reset_approved' || status === 'resolved';
  const approved = status === 'reset_approved' || status === 'resolved';
  return {
    reason,
    verifiedBy: verified ? VERIFIER : null,
    approvedBy: approved ? APPROVER : null,
    approvalAction: approved ? 'reset_2fa' : null,
    closeReason: status === 'closed' ? 'other' : null,
  };
}

/** A representative event of each type; approval comes from a second agent. */
const EVENT: Record<TicketLifecycleEventType, TicketLifecycleEvent> = {
  'identity.verified': { type: 'identity.verified', agentId: VERIFIER },
  'identity.rejected': { type: 'identity.rejected', agentId: VERIFIER },
  'claims.resubmitted': { type: 'claims.resubmitted' },
  'approval.granted': { type: 'approval.granted', agentId: APPROVER },
  'ticket.resolved': { type: 'ticket.resolved', agentId: APPROVER },
  'ticket.closed': { type: 'ticket.closed', actor: { kind: 'agent', id: APPROVER }, reason: 'duplicate' },
};

/** Every legal (status, event) pair and where it leads; every other pair must be refused. */
const LEGAL: Partial<Record<TicketStatus, Partial<Record<TicketLifecycleEventType, TicketStatus>>>> = {
  awaiting_verification: {
    'identity.verified': 'verified',
    'identity.rejected': 'verification_failed',
    'ticket.closed': 'closed',
  },
  verification_failed: { 'claims.resubmitted': 'awaiting_verification', 'ticket.closed': 'closed' },
  verified: { 'approval.granted': 'reset_approved', 'ticket.closed': 'closed' },
  reset_approved: { 'ticket.resolved': 'resolved', 'ticket.closed': 'closed' },
};

const table = TICKET_STATUSES.flatMap((status) =>
  TICKET_LIFECYCLE_EVENT_TYPES.map((type) => ({ status, type, to: LEGAL[status]?.[type] ?? null })),
);

describe('ticket lifecycle: every status × event', () => {
  it('covers all 36 pairs, 9 legal', () => {
    expect(table).toHaveLength(36);
    expect(table.filter((r) => r.to !== null)).toHaveLength(9);
  });

  it.each(table.filter((r) => r.to !== null))('$status + $type → $to', ({ status, type, to }) => {
    const decision = decideTicketTransition(status, context(status), EVENT[type]);
    expect(decision).toMatchObject({ ok: true, from: status, status: to });
    expect(canApplyTicketEvent(status, context(status), EVENT[type])).toBe(true);
  });

  it.each(table.filter((r) => r.to === null))('$status + $type is illegal', ({ status, type }) => {
    const decision = decideTicketTransition(status, context(status), EVENT[type]);
    expect(decision).toEqual({ ok: false, from: status, code: 'illegal_transition' });
    expect(canApplyTicketEvent(status, context(status), EVENT[type])).toBe(false);
  });

  it('lists the event types each status offers, none from final statuses', () => {
    for (const status of TICKET_STATUSES) {
      expect(ticketEventTypesFrom(status).sort()).toEqual(Object.keys(LEGAL[status] ?? {}).sort());
    }
  });

  it('open statuses are exactly those that accept ticket.closed', () => {
    const closable = TICKET_STATUSES.filter((s) => canApplyTicketEvent(s, context(s), EVENT['ticket.closed']));
    expect(closable).toEqual([...OPEN_TICKET_STATUSES].sort((a, b) => TICKET_STATUSES.indexOf(a) - TICKET_STATUSES.indexOf(b)));
  });
});

describe('two-agent rule', () => {
  it('refuses approval by the agent who verified identity, with same_agent', () => {
    const decision = decideTicketTransition('verified', context('verified'), {
      type: 'approval.granted',
      agentId: VERIFIER,
    });
    expect(decision).toEqual({ ok: false, from: 'verified', code: 'same_agent' });
  });

  it('refuses approval when nobody is recorded as verifier (corrupt context)', () => {
    const ctx = { ...context('verified'), verifiedBy: null };
    const decision = decideTicketTransition('verified', ctx, { type: 'approval.granted', agentId: APPROVER });
    expect(decision.ok).toBe(false);
  });

  it('records the approver and keeps the verifier', () => {
    const decision = decideTicketTransition('verified', context('verified'), EVENT['approval.granted']);
    expect(decision.ok && decision.context).toMatchObject({ verifiedBy: VERIFIER, approvedBy: APPROVER });
  });

  it('same agent approving from another status is simply illegal', () => {
    const decision = decideTicketTransition('awaiting_verification', context('awaiting_verification'), {
      type: 'approval.granted',
      agentId: VERIFIER,
    });
    expect(decision).toMatchObject({ ok: false, code: 'illegal_transition' });
  });
});

describe('approval action by reason', () => {
  it.each(HANDOFF_REASONS)('%s', (reason) => {
    const decision = decideTicketTransition('verified', context('verified', reason), EVENT['approval.granted']);
    expect(decision.ok && decision.context.approvalAction).toBe(
      reason === 'login_lockout' ? 'unlock_login' : 'reset_2fa',
    );
  });
});

describe('reopen rule and bookkeeping', () => {
  it('resubmitted claims send a failed ticket back to review without a verifier', () => {
    const decision = decideTicketTransition('verification_failed', context('verification_failed'), {
      type: 'claims.resubmitted',
    });
    expect(decision).toMatchObject({ ok: true, status: 'awaiting_verification', context: { verifiedBy: null } });
  });

  it('closing records the reason', () => {
    const decision = decideTicketTransition('verified', context('verified'), {
      type: 'ticket.closed',
      actor: { kind: 'customer', id: 'u1' },
      reason: 'customer_cancelled',
    });
    expect(decision.ok && decision.context.closeReason).toBe('customer_cancelled');
  });

  it('is pure: deciding twice gives the same answer and does not touch the input', () => {
    const ctx = Object.freeze(context('verified'));
    const a = decideTicketTransition('verified', ctx, EVENT['approval.granted']);
    const b = decideTicketTransition('verified', ctx, EVENT['approval.granted']);
    expect(a).toEqual(b);
    expect(ctx.approvedBy).toBeNull();
  });
});

describe('every simple path of the machine (xstate/graph)', () => {
  const events: TicketLifecycleEvent[] = [
    ...Object.values(EVENT),
    { type: 'approval.granted', agentId: VERIFIER },
  ];
  for (const reason of ['app_lost_no_backup', 'login_lockout'] as const) {
    const paths = getSimplePaths(ticketLifecycleMachine, { events, input: { reason } });

    it(`${reason}: reaches every status`, () => {
      const reached = new Set(paths.map((p) => p.state.value));
      expect([...reached].sort()).toEqual([...TICKET_STATUSES].sort());
    });

    for (const path of paths) {
      const route = path.steps.map((s) => s.event.type).join(' → ') || '(start)';
      it(`${reason}: ${route}`, () => {
        // Replaying the path through the pure decision function lands in the same place as the actor.
        let status: TicketStatus = 'awaiting_verification';
        let ctx = context('awaiting_verification', reason);
        for (const step of path.steps.slice(1)) {
          const decision = decideTicketTransition(status, ctx, step.event);
          expect(decision.ok).toBe(true);
          if (decision.ok) ({ status, context: ctx } = decision);
        }
        const actor = createActor(ticketLifecycleMachine, { input: { reason } }).start();
        for (const step of path.steps.slice(1)) actor.send(step.event);
        expect(actor.getSnapshot().value).toBe(status);
        expect(status).toBe(path.state.value);
        if (status === 'reset_approved' || status === 'resolved') {
          expect(ctx.approvalAction).toBe(reason === 'login_lockout' ? 'unlock_login' : 'reset_2fa');
          expect(ctx.approvedBy).not.toBe(ctx.verifiedBy);
        }
      });
    }
  }
});
