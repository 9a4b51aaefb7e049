/**
 * What support agents do to a ticket, as the agent and the customer notice it: the ticket's new
 * state, one history line saying who did what (notes sanitised), the one notification the customer
 * will get, and refusals (illegal step, two-agent rule, stale view) that change nothing at all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANDOFF_REASONS, type HandoffReason } from '../../flows/outcome.js';
import {
  CLOSE_REASONS,
  VERIFICATION_FAILURE_REASONS,
  approvalActionFor,
  type ApprovalAction,
} from '../../flows/ticket-lifecycle/index.js';
import type { NotificationRequest } from '../../src/tickets/outbox/notification.js';
import type { Ticket, TicketStatus } from '../../src/tickets/ticket.js';
import { AGENT_A, AGENT_B, AGENT_C, IMPLEMENTATIONS, appError, harness, type Harness } from './service-harness.js';

const CHANGE_REASONS = HANDOFF_REASONS.filter((r) => approvalActionFor(r) !== null);
const SECRET_NOTE = 'customer read the code 654321 aloud; mail taro.yamada@example.com';
const SANITISED_NOTE = 'customer read the code [redacted:otp] aloud; mail t***@e***.com';

describe.each(IMPLEMENTATIONS)('agent ticket service over %s repository', (_name, make) => {
  let h: Harness;

  beforeEach(() => {
    h = harness(make());
  });
  afterEach(() => h.dispose());

  /** Kind and params of every notification queued for the ticket, oldest first. */
  async function told(ticketId: string): Promise<NotificationRequest[]> {
    return (await h.agents.notifications(ticketId)).map(({ kind, params }) => ({ kind, params }));
  }

  /** The ticket and its notifications, to show that a refusal changed neither. */
  async function snapshot(ticketId: string) {
    return { ticket: await h.repository.get(ticketId as Ticket['id']), notifications: await h.agents.notifications(ticketId) };
  }

  describe('the way to resolution, with one notification per step', () => {
    it.each(CHANGE_REASONS)('%s: verify → approve (second agent) → carry out', async (reason) => {
      const action = approvalActionFor(reason) as ApprovalAction;
      const ticket = await h.ticketIn('awaiting_verification', reason);

      const verifiedAt = h.tick();
      const verified = await h.agents.verifyIdentity(ticket.id, AGENT_A, { note: SECRET_NOTE, expectedVersion: 1 });
      expect(verified).toMatchObject({ status: 'verified', verifiedBy: AGENT_A, version: 2, updatedAt: verifiedAt });

      const approvedAt = h.tick();
      const approved = await h.agents.approve(ticket.id, AGENT_B, { note: 'second check done', expectedVersion: 2 });
      expect(approved).toMatchObject({ status: 'change_approved', approvedBy: AGENT_B, approvalAction: action, version: 3 });

      const doneAt = h.tick();
      const done = await h.agents.markCarriedOut(ticket.id, AGENT_B, { expectedVersion: 3 });
      expect(done).toMatchObject({
        status: 'resolved',
        verifiedBy: AGENT_A,
        approvedBy: AGENT_B,
        approvalAction: action,
        closeReason: null,
        version: 4,
        updatedAt: doneAt,
      });
      expect(done.history.slice(1)).toMatchObject([
        { at: verifiedAt, actor: { kind: 'agent', id: AGENT_A }, event: 'identity.verified', from: 'awaiting_verification', to: 'verified', note: SANITISED_NOTE },
        { at: approvedAt, actor: { kind: 'agent', id: AGENT_B }, event: 'approval.granted', from: 'verified', to: 'change_approved', note: 'second check done', detail: { approvalAction: action } },
        { at: doneAt, actor: { kind: 'agent', id: AGENT_B }, event: 'change.carried_out', from: 'change_approved', to: 'resolved', note: null },
      ]);
      expect(await h.repository.get(ticket.id)).toEqual(done);
      expect(await told(ticket.id)).toEqual([
        { kind: 'verified', params: {} },
        { kind: 'change_approved', params: { approvalAction: action } },
        { kind: 'change_carried_out', params: { approvalAction: action } },
      ]);
    });

    it('customer_requested: verify → resolve, without any approval', async () => {
      const ticket = await h.ticketIn('verified', 'customer_requested');
      const at = h.tick();
      const resolved = await h.agents.resolve(ticket.id, AGENT_A, { note: 'explained how to use backup codes' });
      expect(resolved).toMatchObject({ status: 'resolved', approvedBy: null, approvalAction: null });
      expect(resolved.history.at(-1)).toEqual({
        at,
        actor: { kind: 'agent', id: AGENT_A },
        event: 'ticket.resolved',
        from: 'verified',
        to: 'resolved',
        note: 'explained how to use backup codes',
        detail: null,
      });
      expect(await told(ticket.id)).toEqual([
        { kind: 'verified', params: {} },
        { kind: 'resolved', params: {} },
      ]);
    });

    it('customer_requested: an approval is refused (illegal_transition) and changes nothing', async () => {
      const ticket = await h.ticketIn('verified', 'customer_requested');
      const before = await snapshot(ticket.id);
      const error = await appError(h.agents.approve(ticket.id, AGENT_B));
      expect(error.code).toBe('illegal_transition');
      expect(await snapshot(ticket.id)).toEqual(before);
    });

    it.each(CHANGE_REASONS)('%s: cannot be resolved without carrying out the change', async (reason) => {
      for (const status of ['verified', 'change_approved'] as const) {
        const ticket = await h.ticketIn(status, reason);
        const before = await snapshot(ticket.id);
        expect((await appError(h.agents.resolve(ticket.id, AGENT_B))).code).toBe('illegal_transition');
        expect(await snapshot(ticket.id)).toEqual(before);
      }
    });
  });

  describe('two-agent rule', () => {
    it.each(CHANGE_REASONS)('%s: the verifier cannot approve (same_agent); nothing changes, nothing is queued', async (reason) => {
      const ticket = await h.ticketIn('verified', reason);
      const before = await snapshot(ticket.id);
      const error = await appError(h.agents.approve(ticket.id, AGENT_A, { expectedVersion: ticket.version }));
      expect(error.code).toBe('same_agent');
      expect(await snapshot(ticket.id)).toEqual(before);
    });

    it('after a failed check and new claims, whoever verifies now is the one who may not approve', async () => {
      const ticket = await h.ticketIn('awaiting_verification');
      await h.agents.failVerification(ticket.id, AGENT_B, 'details_incomplete');
      await h.customers.resubmitClaims(ticket.id, { channelId: 'webchat', userId: 'user-1' }, ticket.claims);
      await h.agents.verifyIdentity(ticket.id, AGENT_A);
      expect((await appError(h.agents.approve(ticket.id, AGENT_A))).code).toBe('same_agent');
      expect(await h.agents.approve(ticket.id, AGENT_B)).toMatchObject({ status: 'change_approved', verifiedBy: AGENT_A, approvedBy: AGENT_B });
    });
  });

  describe('failVerification', () => {
    it.each(VERIFICATION_FAILURE_REASONS)('%s: recorded on the ticket, its history line and the customer’s notification', async (reason) => {
      const ticket = await h.ticketIn('awaiting_verification');
      const at = h.tick();
      const failed = await h.agents.failVerification(ticket.id, AGENT_A, reason, { note: SECRET_NOTE, expectedVersion: 1 });
      expect(failed).toMatchObject({ status: 'verification_failed', failureReason: reason, verifiedBy: null, version: 2 });
      expect(failed.history.at(-1)).toEqual({
        at,
        actor: { kind: 'agent', id: AGENT_A },
        event: 'identity.rejected',
        from: 'awaiting_verification',
        to: 'verification_failed',
        note: SANITISED_NOTE,
        detail: { failureReason: reason },
      });
      expect(await told(ticket.id)).toEqual([{ kind: 'verification_failed', params: { failureReason: reason } }]);
    });

    it('refuses an unknown reason (invalid_input) and changes nothing', async () => {
      const ticket = await h.ticketIn('awaiting_verification');
      const before = await snapshot(ticket.id);
      expect((await appError(() => h.agents.failVerification(ticket.id, AGENT_A, 'looks dodgy' as never))).code).toBe('invalid_input');
      expect(await snapshot(ticket.id)).toEqual(before);
    });
  });

  describe('close', () => {
    it.each(CLOSE_REASONS)('%s: closes with the reason on the ticket, the history line and the notification', async (reason) => {
      const ticket = await h.ticketIn('verified');
      const at = h.tick();
      const closed = await h.agents.close(ticket.id, AGENT_B, reason, { note: 'see note', expectedVersion: ticket.version });
      expect(closed).toMatchObject({ status: 'closed', closeReason: reason, version: ticket.version + 1 });
      expect(closed.history.at(-1)).toEqual({
        at,
        actor: { kind: 'agent', id: AGENT_B },
        event: 'ticket.closed',
        from: 'verified',
        to: 'closed',
        note: 'see note',
        detail: { closeReason: reason },
      });
      expect((await told(ticket.id)).at(-1)).toEqual({ kind: 'closed', params: { closeReason: reason } });
    });

    it('refuses an unknown reason (invalid_input) and changes nothing', async () => {
      const ticket = await h.ticketIn('verified');
      const before = await snapshot(ticket.id);
      expect((await appError(() => h.agents.close(ticket.id, AGENT_A, 'bored' as never))).code).toBe('invalid_input');
      expect(await snapshot(ticket.id)).toEqual(before);
    });
  });

  describe('work events: the status stays, the history says who did what', () => {
    it('assign: take, hand over, put back; no notification to the customer', async () => {
      const ticket = await h.ticketIn('verified');
      const queued = await told(ticket.id);
      const takenAt = h.tick();
      const taken = await h.agents.assign(ticket.id, AGENT_A, AGENT_A, { expectedVersion: ticket.version });
      expect(taken).toMatchObject({ assigneeId: AGENT_A, status: 'verified', version: ticket.version + 1, updatedAt: takenAt });
      expect(taken.history.at(-1)).toEqual({
        at: takenAt,
        actor: { kind: 'agent', id: AGENT_A },
        event: 'ticket.assigned',
        from: 'verified',
        to: 'verified',
        note: null,
        detail: { assigneeId: AGENT_A },
      });
      const handed = await h.agents.assign(ticket.id, AGENT_C, AGENT_B);
      expect(handed.assigneeId).toBe(AGENT_B);
      expect(handed.history.at(-1)).toMatchObject({ actor: { id: AGENT_C }, detail: { assigneeId: AGENT_B } });
      const back = await h.agents.assign(ticket.id, AGENT_B, null);
      expect(back.assigneeId).toBeNull();
      expect(back.history.at(-1)).toMatchObject({ event: 'ticket.assigned', detail: { assigneeId: null } });
      expect((await h.agents.listQueue({ assigneeId: null }, { limit: 10 })).tickets.map((t) => t.id)).toEqual([ticket.id]);
      expect(await told(ticket.id)).toEqual(queued);
    });

    it('the assignee stays through lifecycle steps', async () => {
      const ticket = await h.ticketIn('awaiting_verification');
      await h.agents.assign(ticket.id, AGENT_A, AGENT_A);
      await h.agents.verifyIdentity(ticket.id, AGENT_A);
      expect((await h.agents.approve(ticket.id, AGENT_B)).assigneeId).toBe(AGENT_A);
    });

    it('addNote: an internal note, sanitised, never sent to the customer', async () => {
      const ticket = await h.ticketIn('change_approved');
      const queued = await told(ticket.id);
      const at = h.tick();
      const noted = await h.agents.addNote(ticket.id, AGENT_C, `  ${SECRET_NOTE}\n`, { expectedVersion: ticket.version });
      expect(noted).toMatchObject({ status: 'change_approved', version: ticket.version + 1, approvalAction: ticket.approvalAction });
      expect(noted.history.at(-1)).toEqual({
        at,
        actor: { kind: 'agent', id: AGENT_C },
        event: 'note.added',
        from: 'change_approved',
        to: 'change_approved',
        note: SANITISED_NOTE,
        detail: null,
      });
      expect(await told(ticket.id)).toEqual(queued);
    });

    it('addNote refuses an empty note (invalid_input)', async () => {
      const ticket = await h.ticketIn('verified');
      const before = await snapshot(ticket.id);
      for (const note of ['', '   \n']) expect((await appError(() => h.agents.addNote(ticket.id, AGENT_A, note))).code).toBe('invalid_input');
      expect(await snapshot(ticket.id)).toEqual(before);
    });

    it('requestInfo: the customer gets exactly the sanitised text the history shows was sent', async () => {
      const ticket = await h.ticketIn('awaiting_verification');
      const at = h.tick();
      const message = '  Please confirm your date of birth. Never send codes like 123456 or your e-mail taro.yamada@example.com here. ';
      const asked = await h.agents.requestInfo(ticket.id, AGENT_A, message, { expectedVersion: 1 });
      const sent = 'Please confirm your date of birth. Never send codes like [redacted:otp] or your e-mail t***@e***.com here.';
      expect(asked).toMatchObject({ status: 'awaiting_verification', version: 2 });
      expect(asked.history.at(-1)).toEqual({
        at,
        actor: { kind: 'agent', id: AGENT_A },
        event: 'info.requested',
        from: 'awaiting_verification',
        to: 'awaiting_verification',
        note: sent,
        detail: null,
      });
      expect(await told(ticket.id)).toEqual([{ kind: 'info_requested', params: { message: sent } }]);
    });

    it('requestInfo refuses an empty or too long message (invalid_input)', async () => {
      const ticket = await h.ticketIn('verified');
      const before = await snapshot(ticket.id);
      for (const message of ['', '  ', 'x'.repeat(2001)]) {
        expect((await appError(() => h.agents.requestInfo(ticket.id, AGENT_A, message))).code).toBe('invalid_input');
      }
      expect(await snapshot(ticket.id)).toEqual(before);
    });

    // Redaction lengthens text ('123456' → '[redacted:otp]'): the limit is on what the agent typed.
    it('requestInfo accepts a message of up to 2000 characters even when it quotes a code, like addNote', async () => {
      const ticket = await h.ticketIn('verified');
      const message = `${'確認のため、'.repeat(332)}123456`; // 1998 characters
      expect([...message].length).toBeLessThanOrEqual(2000);
      const noted = await h.agents.addNote(ticket.id, AGENT_A, message);
      const asked = await h.agents.requestInfo(ticket.id, AGENT_A, message);
      expect(asked.history.at(-1)?.note).toBe(noted.history.at(-1)?.note);
      expect((await told(ticket.id)).at(-1)).toEqual({ kind: 'info_requested', params: { message: noted.history.at(-1)?.note } });
    });

    it('accepts a 2000-character note and refuses 2001 characters', async () => {
      const ticket = await h.ticketIn('verified');
      await h.agents.addNote(ticket.id, AGENT_A, 'あ'.repeat(2000));
      expect((await appError(h.agents.verifyIdentity(ticket.id, AGENT_A, { note: 'あ'.repeat(2001) }))).code).toBe('invalid_input');
    });
  });

  describe('every agent action in every status: allowed ones change the ticket once, refused ones nothing', () => {
    type Action = 'assign' | 'note' | 'requestInfo' | 'verify' | 'fail' | 'approve' | 'carryOut' | 'resolve' | 'close';
    const run: Record<Action, (hh: Harness, id: string, version: number) => Promise<Ticket>> = {
      assign: (hh, id, v) => hh.agents.assign(id, AGENT_C, AGENT_C, { expectedVersion: v }),
      note: (hh, id, v) => hh.agents.addNote(id, AGENT_C, 'looked at it', { expectedVersion: v }),
      requestInfo: (hh, id, v) => hh.agents.requestInfo(id, AGENT_C, 'Which phone did you lose?', { expectedVersion: v }),
      verify: (hh, id, v) => hh.agents.verifyIdentity(id, AGENT_C, { expectedVersion: v }),
      fail: (hh, id, v) => hh.agents.failVerification(id, AGENT_C, 'other', { expectedVersion: v }),
      approve: (hh, id, v) => hh.agents.approve(id, AGENT_C, { expectedVersion: v }),
      carryOut: (hh, id, v) => hh.agents.markCarriedOut(id, AGENT_C, { expectedVersion: v }),
      resolve: (hh, id, v) => hh.agents.resolve(id, AGENT_C, { expectedVersion: v }),
      close: (hh, id, v) => hh.agents.close(id, AGENT_C, 'other', { expectedVersion: v }),
    };
    const notification: Record<Action, NotificationRequest['kind'] | null> = {
      assign: null,
      note: null,
      requestInfo: 'info_requested',
      verify: 'verified',
      fail: 'verification_failed',
      approve: 'change_approved',
      carryOut: 'change_carried_out',
      resolve: 'resolved',
      close: 'closed',
    };
    const work: Action[] = ['assign', 'note', 'requestInfo', 'close'];
    const legal: Record<'change' | 'request', Record<TicketStatus, Action[]>> = {
      change: {
        awaiting_verification: [...work, 'verify', 'fail'],
        verification_failed: work,
        verified: [...work, 'approve'],
        change_approved: [...work, 'carryOut'],
        resolved: [],
        closed: [],
      },
      request: {
        awaiting_verification: [...work, 'verify', 'fail'],
        verification_failed: work,
        verified: [...work, 'resolve'],
        change_approved: [],
        resolved: [],
        closed: [],
      },
    };
    const reasons: Record<'change' | 'request', HandoffReason> = { change: 'phone_number_changed', request: 'customer_requested' };
    const rows = (['change', 'request'] as const).flatMap((kind) =>
      (Object.keys(legal[kind]) as TicketStatus[])
        .filter((status) => !(kind === 'request' && status === 'change_approved'))
        .flatMap((status) =>
          (Object.keys(run) as Action[]).map((action) => ({
            reason: reasons[kind],
            status,
            action,
            allowed: legal[kind][status].includes(action),
          })),
        ),
    );

    it.each(rows)('$reason, $status: $action allowed=$allowed', async ({ reason, status, action, allowed }) => {
      const ticket = await h.ticketIn(status, reason);
      const before = await snapshot(ticket.id);
      if (allowed) {
        const after = await run[action](h, ticket.id, ticket.version);
        expect(after.version).toBe(ticket.version + 1);
        expect(after.history).toHaveLength(ticket.history.length + 1);
        expect(after.history.at(-1)?.actor).toEqual({ kind: 'agent', id: AGENT_C });
        const kinds = (await h.agents.notifications(ticket.id)).map((n) => n.kind);
        const expected = notification[action];
        expect(kinds).toEqual(expected === null ? before.notifications.map((n) => n.kind) : [...before.notifications.map((n) => n.kind), expected]);
      } else {
        const error = await appError(run[action](h, ticket.id, ticket.version));
        expect(error.code).toBe('illegal_transition');
        expect(error.details).toMatchObject({ status });
        expect(await snapshot(ticket.id)).toEqual(before);
      }
    });
  });

  describe('two agents acting on one ticket at once (If-Match)', () => {
    type Act = (hh: Harness, id: string, version: number) => Promise<Ticket>;
    const pairs: { name: string; status: TicketStatus; first: Act; second: Act }[] = [
      {
        name: 'verify vs fail',
        status: 'awaiting_verification',
        first: (hh, id, v) => hh.agents.verifyIdentity(id, AGENT_A, { expectedVersion: v }),
        second: (hh, id, v) => hh.agents.failVerification(id, AGENT_C, 'details_do_not_match', { expectedVersion: v }),
      },
      {
        name: 'two approvals',
        status: 'verified',
        first: (hh, id, v) => hh.agents.approve(id, AGENT_B, { expectedVersion: v }),
        second: (hh, id, v) => hh.agents.approve(id, AGENT_C, { expectedVersion: v }),
      },
      {
        name: 'both take the ticket',
        status: 'awaiting_verification',
        first: (hh, id, v) => hh.agents.assign(id, AGENT_A, AGENT_A, { expectedVersion: v }),
        second: (hh, id, v) => hh.agents.assign(id, AGENT_B, AGENT_B, { expectedVersion: v }),
      },
      {
        name: 'note vs close',
        status: 'verified',
        first: (hh, id, v) => hh.agents.addNote(id, AGENT_A, 'calling the customer', { expectedVersion: v }),
        second: (hh, id, v) => hh.agents.close(id, AGENT_B, 'duplicate', { expectedVersion: v }),
      },
      {
        name: 'two questions to the customer',
        status: 'verification_failed',
        first: (hh, id, v) => hh.agents.requestInfo(id, AGENT_A, 'Which e-mail did you register with?', { expectedVersion: v }),
        second: (hh, id, v) => hh.agents.requestInfo(id, AGENT_B, 'Please resend your details.', { expectedVersion: v }),
      },
      {
        name: 'carry out vs close',
        status: 'change_approved',
        first: (hh, id, v) => hh.agents.markCarriedOut(id, AGENT_B, { expectedVersion: v }),
        second: (hh, id, v) => hh.agents.close(id, AGENT_A, 'other', { expectedVersion: v }),
      },
    ];

    it.each(pairs)('$name: exactly one wins, the other gets conflict, one notification at most', async ({ status, first, second }) => {
      const ticket = await h.ticketIn(status);
      const before = await h.agents.notifications(ticket.id);
      const results = await Promise.allSettled([first(h, ticket.id, ticket.version), second(h, ticket.id, ticket.version)]);
      const won = results.filter((r): r is PromiseFulfilledResult<Ticket> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({ code: 'conflict' });
      const after = await h.repository.get(ticket.id);
      expect(after).toEqual(won[0]?.value);
      expect(after?.version).toBe(ticket.version + 1);
      expect(after?.history).toHaveLength(ticket.history.length + 1);
      expect((await h.agents.notifications(ticket.id)).length - before.length).toBeLessThanOrEqual(1);
    });

    it('an action on a stale view is refused with conflict and changes nothing', async () => {
      const ticket = await h.ticketIn('awaiting_verification');
      await h.agents.assign(ticket.id, AGENT_B, AGENT_B, { expectedVersion: ticket.version });
      const before = await snapshot(ticket.id);
      const error = await appError(h.agents.verifyIdentity(ticket.id, AGENT_A, { expectedVersion: ticket.version }));
      expect(error.code).toBe('conflict');
      expect(await snapshot(ticket.id)).toEqual(before);
    });
  });

  describe('lookups', () => {
    it('an unknown or malformed ticket number is not_found for every action', async () => {
      for (const id of ['TFA-00000000', 'garbage']) {
        expect((await appError(h.agents.verifyIdentity(id, AGENT_A))).code).toBe('not_found');
        expect((await appError(h.agents.addNote(id, AGENT_A, 'note'))).code).toBe('not_found');
        expect((await appError(h.agents.assign(id, AGENT_A, AGENT_A))).code).toBe('not_found');
      }
      expect((await appError(() => h.agents.notifications('garbage'))).code).toBe('not_found');
      expect(await h.agents.notifications('TFA-00000000')).toEqual([]);
    });

    it('get accepts the number as typed; the queue and the counts come from the repository', async () => {
      const ticket = await h.ticketIn('verified');
      expect((await h.agents.get(ticket.id.toLowerCase()))?.id).toBe(ticket.id);
      expect((await h.agents.listQueue({ status: ['verified'] }, { limit: 5 })).tickets.map((t) => t.id)).toEqual([ticket.id]);
      expect(await h.agents.countByStatus()).toMatchObject({ verified: 1, awaiting_verification: 0 });
    });

    it('requeueNotification sends a failed notification again from now', async () => {
      const ticket = await h.ticketIn('verified');
      const [n] = await h.agents.notifications(ticket.id);
      await h.outbox.claimDue(new Date(h.now()), 10, 60_000);
      await h.outbox.markAttemptFailed(n!.id, 'Error: down', null);
      h.tick();
      const requeued = await h.agents.requeueNotification(n!.id);
      expect(requeued).toMatchObject({ id: n!.id, status: 'pending', attempts: 0, nextAttemptAt: h.now() });
      expect((await appError(h.agents.requeueNotification(n!.id))).code).toBe('illegal_transition');
    });
  });
});
