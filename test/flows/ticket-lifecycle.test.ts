import { describe, expect, it } from 'vitest';
import { getSimplePaths } from 'xstate/graph';
import { createActor } from 'xstate';
import {
  APPROVAL_ACTIONS,
  TICKET_LIFECYCLE_EVENT_TYPES,
  TICKET_STATUSES,
  OPEN_TICKET_STATUSES,
  VERIFICATION_FAILURE_REASONS,
  approvalActionFor,
  canApplyTicketEvent,
  decideTicketTransition,
  ticketEventTypesFrom,
  ticketLifecycleMachine,
  type ApprovalAction,
  type TicketLifecycleContext,
  type TicketLifecycleEvent,
  type TicketLifecycleEventType,
  type TicketStatus,
} from '../../flows/ticket-lifecycle/index.js';
import { HANDOFF_REASONS, type HandoffReason } from '../../flows/outcome.js';

const VERIFIER = 'agent-verifier';
const APPROVER = 'agent-approver';

/** What each reason lets a second agent approve, as the guide says; `null`: no approval, resolved directly. */
const EXPECTED_APPROVAL: Record<HandoffReason, ApprovalAction | null> = {
  app_lost_no_backup: 'switch_2fa_to_sms_or_voice',
  phone_lost_no_backup: 'switch_2fa_to_sms_or_voice',
  login_lockout: 'unlock_login',
  phone_number_changed: 'update_phone_number',
  registered_number_wrong: 'update_phone_number',
  customer_requested: null,
};

const CHANGE_REASONS = HANDOFF_REASONS.filter((r) => EXPECTED_APPROVAL[r] !== null);

/** The context a ticket of `reason` has when it reaches `status` the usual way. */
function context(status: TicketStatus, reason: HandoffReason = 'app_lost_no_backup'): TicketLifecycleContext {
  const needsChange = EXPECTED_APPROVAL[reason] !== null;
  const verified = status === 'verified' || status === 'change_approved' || status === 'resolved';
  const approved = needsChange && (status === 'change_approved' || status === 'resolved');
  return {
    reason,
    verifiedBy: verified ? VERIFIER : null,
    approvedBy: approved ? APPROVER : null,
    approvalAction: approved ? EXPECTED_APPROVAL[reason] : null,
    closeReason: status === 'closed' ? 'other' : null,
    failureReason: status === 'verification_failed' ? 'details_do_not_match' : null,
  };
}

/** A representative event of each type; approval comes from a second agent. */
const EVENT: Record<TicketLifecycleEventType, TicketLifecycleEvent> = {
  'identity.verified': { type: 'identity.verified', agentId: VERIFIER },
  'identity.rejected': { type: 'identity.rejected', agentId: VERIFIER, reason: 'email_not_registered' },
  'claims.resubmitted': { type: 'claims.resubmitted' },
  'approval.granted': { type: 'approval.granted', agentId: APPROVER },
  'change.carried_out': { type: 'change.carried_out', agentId: APPROVER },
  'ticket.resolved': { type: 'ticket.resolved', agentId: APPROVER },
  'ticket.closed': { type: 'ticket.closed', actor: { kind: 'agent', id: APPROVER }, reason: 'duplicate' },
};

type Legal = Partial<Record<TicketStatus, Partial<Record<TicketLifecycleEventType, TicketStatus>>>>;

/** Every legal (status, event) pair and where it leads, for a reason that needs an approved change. */
const LEGAL_WITH_CHANGE: Legal = {
  awaiting_verification: {
    'identity.verified': 'verified',
    'identity.rejected': 'verification_failed',
    'ticket.closed': 'closed',
  },
  verification_failed: { 'claims.resubmitted': 'awaiting_verification', 'ticket.closed': 'closed' },
  verified: { 'approval.granted': 'change_approved', 'ticket.closed': 'closed' },
  change_approved: { 'change.carried_out': 'resolved', 'ticket.closed': 'closed' },
};

/** The same for `customer_requested`: resolved straight from `verified`, never approved. */
const LEGAL_WITHOUT_CHANGE: Legal = {
  awaiting_verification: LEGAL_WITH_CHANGE.awaiting_verification,
  verification_failed: LEGAL_WITH_CHANGE.verification_failed,
  verified: { 'ticket.resolved': 'resolved', 'ticket.closed': 'closed' },
};

function legalFor(reason: HandoffReason): Legal {
  return EXPECTED_APPROVAL[reason] === null ? LEGAL_WITHOUT_CHANGE : LEGAL_WITH_CHANGE;
}

/** Statuses a ticket of `reason` can be in (a customer request is never approved). */
function reachable(reason: HandoffReason): TicketStatus[] {
  return TICKET_STATUSES.filter((s) => !(EXPECTED_APPROVAL[reason] === null && s === 'change_approved'));
}

const table = HANDOFF_REASONS.flatMap((reason) =>
  reachable(reason).flatMap((status) =>
    TICKET_LIFECYCLE_EVENT_TYPES.map((type) => ({ reason, status, type, to: legalFor(reason)[status]?.[type] ?? null })),
  ),
);

describe('ticket lifecycle: every status × event, for every reason', () => {
  it('covers 6 statuses × 7 events for each reason that needs a change (9 legal) and 5 × 7 for a request (7 legal)', () => {
    for (const reason of CHANGE_REASONS) {
      const rows = table.filter((r) => r.reason === reason);
      expect(rows).toHaveLength(42);
      expect(rows.filter((r) => r.to !== null)).toHaveLength(9);
    }
    const request = table.filter((r) => r.reason === 'customer_requested');
    expect(request).toHaveLength(35);
    expect(request.filter((r) => r.to !== null)).toHaveLength(7);
  });

  it.each(table.filter((r) => r.to !== null))('$reason: $status + $type → $to', ({ reason, status, type, to }) => {
    const decision = decideTicketTransition(status, context(status, reason), EVENT[type]);
    expect(decision).toMatchObject({ ok: true, from: status, status: to });
    expect(canApplyTicketEvent(status, context(status, reason), EVENT[type])).toBe(true);
  });

  it.each(table.filter((r) => r.to === null))('$reason: $status + $type is illegal', ({ reason, status, type }) => {
    const decision = decideTicketTransition(status, context(status, reason), EVENT[type]);
    expect(decision).toEqual({ ok: false, from: status, code: 'illegal_transition' });
    expect(canApplyTicketEvent(status, context(status, reason), EVENT[type])).toBe(false);
  });

  it('lists the event types each status offers (before guards), none from final statuses', () => {
    const offered: Record<TicketStatus, TicketLifecycleEventType[]> = {
      awaiting_verification: ['identity.rejected', 'identity.verified', 'ticket.closed'],
      verification_failed: ['claims.resubmitted', 'ticket.closed'],
      verified: ['approval.granted', 'ticket.closed', 'ticket.resolved'],
      change_approved: ['change.carried_out', 'ticket.closed'],
      resolved: [],
      closed: [],
    };
    for (const status of TICKET_STATUSES) expect(ticketEventTypesFrom(status).sort()).toEqual(offered[status]);
  });

  it('open statuses are exactly those that accept ticket.closed', () => {
    const closable = TICKET_STATUSES.filter((s) => canApplyTicketEvent(s, context(s), EVENT['ticket.closed']));
    expect(closable).toEqual([...OPEN_TICKET_STATUSES].sort((a, b) => TICKET_STATUSES.indexOf(a) - TICKET_STATUSES.indexOf(b)));
  });
});

describe('approval by reason', () => {
  it('offers exactly three approvable changes', () => {
    expect([...APPROVAL_ACTIONS].sort()).toEqual(['switch_2fa_to_sms_or_voice', 'unlock_login', 'update_phone_number']);
  });

  it.each(HANDOFF_REASONS)('%s: approvalActionFor says what the guide says', (reason) => {
    expect(approvalActionFor(reason)).toBe(EXPECTED_APPROVAL[reason]);
  });

  it.each(CHANGE_REASONS)('%s: a second agent approves it and the approval records that change', (reason) => {
    const decision = decideTicketTransition('verified', context('verified', reason), EVENT['approval.granted']);
    expect(decision).toMatchObject({
      ok: true,
      status: 'change_approved',
      context: { approvalAction: EXPECTED_APPROVAL[reason], approvedBy: APPROVER, verifiedBy: VERIFIER },
    });
  });

  it.each(CHANGE_REASONS)('%s: cannot be resolved without the approved change being carried out', (reason) => {
    expect(decideTicketTransition('verified', context('verified', reason), EVENT['ticket.resolved'])).toEqual({
      ok: false,
      from: 'verified',
      code: 'illegal_transition',
    });
    expect(decideTicketTransition('change_approved', context('change_approved', reason), EVENT['ticket.resolved'])).toEqual({
      ok: false,
      from: 'change_approved',
      code: 'illegal_transition',
    });
  });

  it.each(CHANGE_REASONS)('%s: carrying the change out resolves it and keeps who approved what', (reason) => {
    const decision = decideTicketTransition('change_approved', context('change_approved', reason), EVENT['change.carried_out']);
    expect(decision).toEqual({
      ok: true,
      from: 'change_approved',
      status: 'resolved',
      context: context('change_approved', reason),
    });
  });

  describe('customer_requested needs no change', () => {
    it('is resolved from verified without approval', () => {
      const decision = decideTicketTransition('verified', context('verified', 'customer_requested'), EVENT['ticket.resolved']);
      expect(decision).toMatchObject({
        ok: true,
        status: 'resolved',
        context: { approvedBy: null, approvalAction: null, verifiedBy: VERIFIER },
      });
    });

    it('refuses an approval with illegal_transition, whoever approves (even the verifier: not same_agent)', () => {
      for (const agentId of [APPROVER, VERIFIER]) {
        const decision = decideTicketTransition('verified', context('verified', 'customer_requested'), {
          type: 'approval.granted',
          agentId,
        });
        expect(decision).toEqual({ ok: false, from: 'verified', code: 'illegal_transition' });
      }
    });
  });
});

describe('two-agent rule', () => {
  it.each(CHANGE_REASONS)('%s: refuses approval by the agent who verified identity, with same_agent', (reason) => {
    const decision = decideTicketTransition('verified', context('verified', reason), {
      type: 'approval.granted',
      agentId: VERIFIER,
    });
    expect(decision).toEqual({ ok: false, from: 'verified', code: 'same_agent' });
  });

  it('refuses approval when nobody is recorded as verifier (corrupt context), or with an empty agent id', () => {
    const noVerifier = { ...context('verified'), verifiedBy: null };
    expect(decideTicketTransition('verified', noVerifier, EVENT['approval.granted']).ok).toBe(false);
    expect(decideTicketTransition('verified', context('verified'), { type: 'approval.granted', agentId: '' }).ok).toBe(false);
  });

  it('same agent approving from another status is simply illegal', () => {
    const decision = decideTicketTransition('awaiting_verification', context('awaiting_verification'), {
      type: 'approval.granted',
      agentId: VERIFIER,
    });
    expect(decision).toEqual({ ok: false, from: 'awaiting_verification', code: 'illegal_transition' });
  });

  it('the verifier may carry out the change a second agent approved', () => {
    const decision = decideTicketTransition('change_approved', context('change_approved'), {
      type: 'change.carried_out',
      agentId: VERIFIER,
    });
    expect(decision).toMatchObject({ ok: true, status: 'resolved' });
  });
});

describe('failed verification and the reopen rule', () => {
  it.each(VERIFICATION_FAILURE_REASONS)('rejection for %s records that reason and forgets no one else', (reason) => {
    const decision = decideTicketTransition('awaiting_verification', context('awaiting_verification'), {
      type: 'identity.rejected',
      agentId: VERIFIER,
      reason,
    });
    expect(decision).toEqual({
      ok: true,
      from: 'awaiting_verification',
      status: 'verification_failed',
      context: { ...context('awaiting_verification'), failureReason: reason },
    });
  });

  it('resubmitted claims send a failed ticket back to review with the failure reason cleared', () => {
    const failed = { ...context('verification_failed'), failureReason: 'details_incomplete' as const };
    const decision = decideTicketTransition('verification_failed', failed, { type: 'claims.resubmitted' });
    expect(decision).toMatchObject({
      ok: true,
      status: 'awaiting_verification',
      context: { verifiedBy: null, failureReason: null },
    });
  });

  it('a second rejection replaces the first reason; a later verification leaves none', () => {
    let status: TicketStatus = 'awaiting_verification';
    let ctx = context('awaiting_verification');
    const steps: TicketLifecycleEvent[] = [
      { type: 'identity.rejected', agentId: VERIFIER, reason: 'details_do_not_match' },
      { type: 'claims.resubmitted' },
      { type: 'identity.rejected', agentId: APPROVER, reason: 'email_not_registered' },
    ];
    for (const event of steps) {
      const d = decideTicketTransition(status, ctx, event);
      if (!d.ok) throw new Error(`refused ${event.type}`);
      ({ status, context: ctx } = d);
    }
    expect(ctx.failureReason).toBe('email_not_registered');
    const resubmitted = decideTicketTransition(status, ctx, { type: 'claims.resubmitted' });
    if (!resubmitted.ok) throw new Error('refused resubmission');
    const verified = decideTicketTransition(resubmitted.status, resubmitted.context, EVENT['identity.verified']);
    expect(verified).toMatchObject({ ok: true, status: 'verified', context: { failureReason: null, verifiedBy: VERIFIER } });
  });
});

describe('bookkeeping', () => {
  it('closing records the reason', () => {
    const decision = decideTicketTransition('verified', context('verified'), {
      type: 'ticket.closed',
      actor: { kind: 'customer', id: 'u1' },
      reason: 'solved_without_change',
    });
    expect(decision.ok && decision.context.closeReason).toBe('solved_without_change');
  });

  it('is pure: deciding twice gives the same answer and does not touch the input', () => {
    const ctx = Object.freeze(context('verified'));
    const a = decideTicketTransition('verified', ctx, EVENT['approval.granted']);
    const b = decideTicketTransition('verified', ctx, EVENT['approval.granted']);
    expect(a).toEqual(b);
    expect(ctx.approvedBy).toBeNull();
    expect(ctx.approvalAction).toBeNull();
  });
});

describe('every simple path of the machine (xstate/graph)', () => {
  const events: TicketLifecycleEvent[] = [
    ...Object.values(EVENT),
    // The refused variants must never open a path: the verifier approving, and a second failure reason.
    { type: 'approval.granted', agentId: VERIFIER },
    { type: 'identity.rejected', agentId: VERIFIER, reason: 'details_do_not_match' },
  ];

  for (const reason of HANDOFF_REASONS) {
    const paths = getSimplePaths(ticketLifecycleMachine, { events, input: { reason } });

    it(`${reason}: reaches every status it can be in${EXPECTED_APPROVAL[reason] === null ? ' (never change_approved)' : ''}`, () => {
      const reached = new Set(paths.map((p) => p.state.value));
      expect([...reached].sort()).toEqual(reachable(reason).sort());
    });

    for (const path of paths) {
      const route =
        path.steps
          .slice(1)
          .map(({ event }) => (event.type === 'identity.rejected' ? `${event.type}(${event.reason})` : event.type))
          .join(' → ') || '(start)';
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
        expect(actor.getSnapshot().context).toEqual(ctx);
        expect(status).toBe(path.state.value);

        const types = path.steps.map((s) => s.event.type);
        if (types.includes('approval.granted')) {
          expect(ctx.approvalAction).toBe(EXPECTED_APPROVAL[reason]);
          expect(ctx.approvedBy).not.toBe(ctx.verifiedBy);
        } else {
          expect(ctx.approvalAction).toBeNull();
        }
        if (status === 'resolved') {
          expect(types).toContain(EXPECTED_APPROVAL[reason] === null ? 'ticket.resolved' : 'change.carried_out');
        }
        if (status === 'verification_failed') expect(ctx.failureReason).not.toBeNull();
        if (status === 'awaiting_verification' || status === 'verified') expect(ctx.failureReason).toBeNull();
      });
    }
  }
});
