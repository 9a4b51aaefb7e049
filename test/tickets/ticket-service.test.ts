/**
 * The customer's side of tickets: the handoff opens one ticket (never two), corrected claims reopen
 * a failed check, a customer sees and closes only their own tickets. Agents' actions are in
 * agent-ticket-service.test.ts; they are used here only to put a ticket in a status.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTicketService } from '../../src/tickets/ticket-service.js';
import type { TicketStatus } from '../../src/tickets/ticket.js';
import { generateTicketId } from '../../src/ticket-id.js';
import { CLAIMS, handoffRequest } from './fixtures.js';
import { AGENT_A, AGENT_B, IMPLEMENTATIONS, appError, harness, type Harness } from './service-harness.js';

const ALICE = { channelId: 'webchat', userId: 'user-1' };

describe.each(IMPLEMENTATIONS)('customer ticket service over %s repository', (_name, make) => {
  let h: Harness;

  beforeEach(() => {
    h = harness(make());
  });
  afterEach(() => h.dispose());

  describe('openForHandoff', () => {
    it('opens a ticket with validated claims, the path and an opened event for the customer', async () => {
      const request = handoffRequest({
        language: 'ja',
        tenantId: 'tenant-1',
        claims: { ...CLAIMS, email: ' Taro@EXAMPLE.com', phoneLast4: '５６７８' },
        path: ['start', 'appLost', 'backupCodes'],
        stepsTried: ['backupCodes'],
      });
      const outcome = await h.customers.openForHandoff(request);
      expect(outcome.created).toBe(true);
      expect(outcome.ticket).toMatchObject({
        status: 'awaiting_verification',
        reason: 'app_lost_no_backup',
        language: 'ja',
        tenantId: 'tenant-1',
        claims: { email: 'Taro@example.com', phoneLast4: '5678' },
        path: ['start', 'appLost', 'backupCodes'],
        stepsTried: ['backupCodes'],
        createdAt: '2025-06-15T09:00:00.000Z',
        assigneeId: null,
        failureReason: null,
        approvalAction: null,
      });
      expect(outcome.ticket.id).toMatch(/^TFA-[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(outcome.event).toMatchObject({
        kind: 'opened',
        ticketId: outcome.ticket.id,
        from: null,
        to: 'awaiting_verification',
        language: 'ja',
        conversationReference: request.conversationReference,
        customer: { channelId: 'webchat', userId: 'user-1' },
        actor: { kind: 'customer', id: 'user-1' },
      });
      expect(outcome.secretsFound).toEqual([]);
      expect(await h.outbox.listForTicket(outcome.ticket.id)).toEqual([]);
    });

    it('stores the description with secrets redacted and contact data masked, and says what it found', async () => {
      const outcome = await h.customers.openForHandoff(
        handoffRequest({
          claims: { ...CLAIMS, description: 'code 123456 did not work, call me on 090-1234-5678 or mail me at taro@example.com' },
        }),
      );
      expect(outcome.ticket.claims.description).toBe(
        'code [redacted:otp] did not work, call me on ***-****-5678 or mail me at t***@e***.com',
      );
      expect(outcome.secretsFound).toEqual(['otp']);
      expect(outcome.ticket.claims.email).toBe(CLAIMS.email);
    });

    it('refuses invalid claims with every field error and creates nothing', async () => {
      const error = await appError(
        h.customers.openForHandoff(handoffRequest({ userId: 'u-bad', claims: { ...CLAIMS, email: 'nope', dateOfBirth: '2099-01-01' } })),
      );
      expect(error.code).toBe('invalid_input');
      expect(error.details?.['errors']).toEqual([
        { field: 'email', code: 'email.invalid' },
        { field: 'dateOfBirth', code: 'dateOfBirth.future' },
      ]);
      expect(await h.customers.findForCustomer('webchat', 'u-bad')).toEqual([]);
    });

    it('refuses a malformed request (unknown reason, bad step ids)', async () => {
      const bad = handoffRequest({ reason: 'bored' as never, path: ['ok', 'not ok!'] });
      const error = await appError(h.customers.openForHandoff(bad));
      expect(error.code).toBe('invalid_input');
      expect(error.details?.['fields']).toEqual(expect.arrayContaining(['reason', 'path']));
    });

    it('returns the open ticket when the same conversation reaches the same handoff again', async () => {
      const request = handoffRequest();
      const first = await h.customers.openForHandoff(request);
      const again = await h.customers.openForHandoff({ ...request, claims: { ...CLAIMS, fullName: 'Someone Else' } });
      expect(again).toMatchObject({ created: false, event: null });
      expect(again.ticket.id).toBe(first.ticket.id);
      expect(again.ticket.claims.fullName).toBe(CLAIMS.fullName);
    });

    it('returns the approved ticket, not a new one, while its change waits to be carried out', async () => {
      const ticket = await h.ticketIn('change_approved');
      const again = await h.customers.openForHandoff(handoffRequest({ conversationId: ticket.conversationId }));
      expect(again).toMatchObject({ created: false, event: null, ticket: { id: ticket.id, status: 'change_approved' } });
    });

    it('returns the same ticket for a redelivered activity id', async () => {
      const first = await h.customers.openForHandoff(handoffRequest({ activityId: 'act-42' }));
      const redelivered = await h.customers.openForHandoff(handoffRequest({ activityId: 'act-42' }));
      expect(redelivered.created).toBe(false);
      expect(redelivered.ticket.id).toBe(first.ticket.id);
      expect(await h.customers.findForCustomer('webchat', 'user-1')).toHaveLength(1);
    });

    it('creates one ticket for 20 concurrent calls (same conversation, redelivered activity)', async () => {
      const request = handoffRequest({ userId: 'u-conc', activityId: 'act-dup' });
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => h.customers.openForHandoff(request)));
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.ticket.id)).size).toBe(1);
      expect(await h.customers.findForCustomer('webchat', 'u-conc')).toHaveLength(1);
    });

    it('opens a new ticket for another reason in the same conversation', async () => {
      const request = handoffRequest();
      const a = await h.customers.openForHandoff(request);
      const b = await h.customers.openForHandoff({ ...request, reason: 'login_lockout' });
      expect(b.created).toBe(true);
      expect(b.ticket.id).not.toBe(a.ticket.id);
    });

    it('takes new claims for a ticket that failed verification as a resubmission (reopen rule)', async () => {
      const request = handoffRequest();
      const { ticket } = await h.customers.openForHandoff(request);
      await h.agents.failVerification(ticket.id, AGENT_A, 'details_do_not_match');
      const again = await h.customers.openForHandoff({ ...request, claims: { ...CLAIMS, dateOfBirth: '1990-01-03' } });
      expect(again.created).toBe(false);
      expect(again.ticket).toMatchObject({
        id: ticket.id,
        status: 'awaiting_verification',
        failureReason: null,
        claims: { dateOfBirth: '1990-01-03' },
      });
      expect(again.event).toMatchObject({ kind: 'claims_resubmitted', from: 'verification_failed', to: 'awaiting_verification' });
    });

    it('retries with a fresh id when a generated id is already taken', async () => {
      const taken = generateTicketId();
      const fresh = generateTicketId();
      const ids = [taken, taken, fresh];
      const svc = createTicketService({ repository: h.repository, newTicketId: () => ids.shift() ?? generateTicketId() });
      const a = await svc.openForHandoff(handoffRequest());
      const b = await svc.openForHandoff(handoffRequest());
      expect([a.ticket.id, b.ticket.id]).toEqual([taken, fresh]);
    });
  });

  describe('resubmitClaims', () => {
    it('replaces the claims, clears why the check failed, and the desk finds the ticket by the new name', async () => {
      const ticket = await h.ticketIn('verification_failed');
      expect(ticket.failureReason).toBe('details_do_not_match');
      const at = h.tick();
      const outcome = await h.customers.resubmitClaims(ticket.id, ALICE, {
        ...CLAIMS,
        fullName: '佐藤 花子',
        email: 'hanako.sato@example.com',
        description: 'my one-time code 987654 expired',
      });
      expect(outcome).toMatchObject({ created: false, secretsFound: ['otp'] });
      expect(outcome.ticket).toMatchObject({
        status: 'awaiting_verification',
        failureReason: null,
        verifiedBy: null,
        version: ticket.version + 1,
        claims: { fullName: '佐藤 花子', email: 'hanako.sato@example.com', description: 'my one-time code [redacted:otp] expired' },
      });
      expect(outcome.ticket.history.at(-1)).toEqual({
        at,
        actor: { kind: 'customer', id: 'user-1' },
        event: 'claims.resubmitted',
        from: 'verification_failed',
        to: 'awaiting_verification',
        note: null,
        detail: null,
      });
      expect(outcome.event).toMatchObject({ kind: 'claims_resubmitted' });
      const found = await h.repository.listQueue({ q: '花子' }, { limit: 10 });
      expect(found.tickets.map((t) => t.id)).toEqual([ticket.id]);
      expect((await h.repository.listQueue({ q: '太郎' }, { limit: 10 })).tickets).toEqual([]);
    });

    it('refuses invalid claims and changes nothing', async () => {
      const ticket = await h.ticketIn('verification_failed');
      const error = await appError(h.customers.resubmitClaims(ticket.id, ALICE, { ...CLAIMS, email: 'nope' }));
      expect(error.code).toBe('invalid_input');
      expect(await h.repository.get(ticket.id)).toEqual(ticket);
    });

    it("refuses to resubmit claims to someone else's ticket (not_found, nothing changes)", async () => {
      const ticket = await h.ticketIn('verification_failed');
      const error = await appError(h.customers.resubmitClaims(ticket.id, { channelId: 'webchat', userId: 'mallory' }, CLAIMS));
      expect(error.code).toBe('not_found');
      expect(await h.repository.get(ticket.id)).toEqual(ticket);
    });
  });

  describe('close by the customer or the system', () => {
    it("the customer closes their own ticket; the history says who and why; nothing is queued (they're in the chat)", async () => {
      const ticket = await h.ticketIn('verified');
      const queued = await h.outbox.listForTicket(ticket.id);
      const at = h.tick();
      const closed = await h.customers.close(ticket.id, { kind: 'customer', id: 'user-1' }, 'customer_cancelled', 'no longer needed, code 123456');
      expect(closed.ticket).toMatchObject({ status: 'closed', closeReason: 'customer_cancelled', version: ticket.version + 1 });
      expect(closed.ticket.history.at(-1)).toEqual({
        at,
        actor: { kind: 'customer', id: 'user-1' },
        event: 'ticket.closed',
        from: 'verified',
        to: 'closed',
        note: 'no longer needed, code [redacted:otp]',
        detail: { closeReason: 'customer_cancelled' },
      });
      expect(closed.event).toMatchObject({ kind: 'closed', closeReason: 'customer_cancelled', from: 'verified' });
      expect(await h.outbox.listForTicket(ticket.id)).toEqual(queued);
    });

    it('a customer may not close somebody else’s ticket (forbidden, nothing changes)', async () => {
      const ticket = await h.ticketIn('verified');
      const forbidden = await appError(h.customers.close(ticket.id, { kind: 'customer', id: 'someone-else' }, 'customer_cancelled'));
      expect(forbidden.code).toBe('forbidden');
      expect(await h.repository.get(ticket.id)).toEqual(ticket);
    });

    it('the system closes an unanswered ticket, and the customer is told why', async () => {
      const ticket = await h.ticketIn('verification_failed');
      const queued = (await h.outbox.listForTicket(ticket.id)).length;
      const closed = await h.customers.close(ticket.id, { kind: 'system', id: 'janitor' }, 'no_response');
      expect(closed.ticket).toMatchObject({ status: 'closed', closeReason: 'no_response' });
      expect(closed.ticket.history.at(-1)).toMatchObject({ actor: { kind: 'system', id: 'janitor' }, detail: { closeReason: 'no_response' } });
      const added = (await h.outbox.listForTicket(ticket.id)).slice(queued);
      expect(added).toEqual([expect.objectContaining({ kind: 'closed', params: { closeReason: 'no_response' }, status: 'pending' })]);
    });

    it('validates inputs: close reason, actor, stale version, unknown ticket', async () => {
      const ticket = await h.ticketIn('awaiting_verification');
      const customer = { kind: 'customer', id: 'user-1' } as const;
      expect((await appError(h.customers.close(ticket.id, customer, 'bored' as never))).code).toBe('invalid_input');
      expect((await appError(h.customers.close(ticket.id, { kind: 'customer', id: '  ' }, 'customer_cancelled'))).code).toBe('invalid_input');
      expect((await appError(h.customers.close(ticket.id, customer, 'customer_cancelled', 'x'.repeat(2001)))).code).toBe('invalid_input');
      expect((await appError(h.customers.close(ticket.id, customer, 'customer_cancelled', null, { expectedVersion: 9 }))).code).toBe('conflict');
      expect((await appError(h.customers.close('TFA-00000000', customer, 'customer_cancelled'))).code).toBe('not_found');
      expect((await appError(h.customers.close('garbage', customer, 'customer_cancelled'))).code).toBe('not_found');
      expect(await h.repository.get(ticket.id)).toEqual(ticket);
    });
  });

  describe('what the customer may do in each status; refusals change nothing', () => {
    type Action = 'resubmit' | 'close';
    const run: Record<Action, (hh: Harness, id: string) => Promise<unknown>> = {
      resubmit: (hh, id) => hh.customers.resubmitClaims(id, ALICE, CLAIMS),
      close: (hh, id) => hh.customers.close(id, { kind: 'customer', id: 'user-1' }, 'customer_cancelled'),
    };
    const legal: Record<TicketStatus, Action[]> = {
      awaiting_verification: ['close'],
      verification_failed: ['resubmit', 'close'],
      verified: ['close'],
      change_approved: ['close'],
      resolved: [],
      closed: [],
    };
    const rows = (Object.keys(legal) as TicketStatus[]).flatMap((status) =>
      (Object.keys(run) as Action[]).map((action) => ({ status, action, allowed: legal[status].includes(action) })),
    );

    it.each(rows)('$status: $action allowed=$allowed', async ({ status, action, allowed }) => {
      const ticket = await h.ticketIn(status);
      const queued = await h.outbox.listForTicket(ticket.id);
      if (allowed) {
        await run[action](h, ticket.id);
        expect((await h.repository.get(ticket.id))?.version).toBe(ticket.version + 1);
      } else {
        const error = await appError(run[action](h, ticket.id));
        expect(error.code).toBe('illegal_transition');
        expect(error.details).toMatchObject({ status });
        expect(await h.repository.get(ticket.id)).toEqual(ticket);
      }
      expect(await h.outbox.listForTicket(ticket.id)).toEqual(queued);
    });
  });

  describe('customer views', () => {
    it("finds only the customer's own tickets, by channel and user", async () => {
      const mine = await h.customers.openForHandoff(handoffRequest({ userId: 'alice' }));
      await h.customers.openForHandoff(handoffRequest({ userId: 'bob' }));
      await h.customers.openForHandoff(handoffRequest({ userId: 'alice', channelId: 'msteams' }));
      const list = await h.customers.findForCustomer('webchat', 'alice');
      expect(list.map((t) => t.id)).toEqual([mine.ticket.id]);
    });

    it('shows a ticket by number only to its owner, accepting the number as typed', async () => {
      const { ticket } = await h.customers.openForHandoff(handoffRequest({ userId: 'alice' }));
      const alice = { channelId: 'webchat', userId: 'alice' };
      expect((await h.customers.getForCustomer(alice, ticket.id.toLowerCase()))?.id).toBe(ticket.id);
      expect(await h.customers.getForCustomer({ channelId: 'webchat', userId: 'bob' }, ticket.id)).toBeUndefined();
      expect(await h.customers.getForCustomer({ channelId: 'msteams', userId: 'alice' }, ticket.id)).toBeUndefined();
      expect(await h.customers.getForCustomer(alice, 'not a ticket')).toBeUndefined();
    });

    it('shows the customer the approved change once it is approved', async () => {
      const ticket = await h.ticketIn('change_approved', 'login_lockout');
      const seen = await h.customers.getForCustomer(ALICE, ticket.id);
      expect(seen).toMatchObject({ status: 'change_approved', approvalAction: 'unlock_login', verifiedBy: AGENT_A, approvedBy: AGENT_B });
    });
  });
});
