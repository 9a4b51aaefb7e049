import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { SqliteTicketRepository } from '../../src/tickets/sqlite-ticket-repository.js';
import { createTicketService, type TicketService } from '../../src/tickets/ticket-service.js';
import type { TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { Ticket, TicketId, TicketStatus } from '../../src/tickets/ticket.js';
import { generateTicketId } from '../../src/tickets/ticket-id.js';
import { CLAIMS, handoffRequest, tempDatabase } from './fixtures.js';

const AGENT_A = 'agent-a';
const AGENT_B = 'agent-b';
const CLOCK = () => new Date('2025-06-15T09:00:00.000Z');

const implementations: [string, () => { repository: TicketRepository; dispose: () => void }][] = [
  ['memory', () => ({ repository: new MemoryTicketRepository(), dispose: () => {} })],
  [
    'sqlite',
    () => {
      const { db, cleanup } = tempDatabase();
      return { repository: new SqliteTicketRepository(db), dispose: cleanup };
    },
  ],
];

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(implementations)('ticket service over %s repository', (_name, make) => {
  let service: TicketService;
  let repository: TicketRepository;
  let dispose: () => void;

  beforeEach(() => {
    ({ repository, dispose } = make());
    service = createTicketService({ repository, now: CLOCK });
  });
  afterEach(() => dispose());

  /** Opens a ticket and walks it to `status` through the service. */
  async function ticketIn(status: TicketStatus, reason: 'app_lost_no_backup' | 'login_lockout' = 'app_lost_no_backup') {
    const { ticket } = await service.openForHandoff(handoffRequest({ reason }));
    const steps: Record<TicketStatus, (() => Promise<unknown>)[]> = {
      awaiting_verification: [],
      verification_failed: [() => service.failVerification(ticket.id, AGENT_A)],
      verified: [() => service.verifyIdentity(ticket.id, AGENT_A)],
      reset_approved: [() => service.verifyIdentity(ticket.id, AGENT_A), () => service.approveReset(ticket.id, AGENT_B)],
      resolved: [
        () => service.verifyIdentity(ticket.id, AGENT_A),
        () => service.approveReset(ticket.id, AGENT_B),
        () => service.resolve(ticket.id, AGENT_B),
      ],
      closed: [() => service.close(ticket.id, { kind: 'agent', id: AGENT_A }, 'duplicate')],
    };
    for (const step of steps[status]) await step();
    const current = await service.get(ticket.id);
    expect(current?.status).toBe(status);
    return current as Ticket;
  }

  describe('openForHandoff', () => {
    it('opens a ticket with validated claims, the path and an opened event for the customer', async () => {
      const request = handoffRequest({
        language: 'ja',
        tenantId: 'tenant-1',
        claims: { ...CLAIMS, email: ' Taro@EXAMPLE.com', phoneLast4: '５６７８' },
        path: ['start', 'appLost', 'backupCodes'],
        stepsTried: ['backupCodes'],
      });
      const outcome = await service.openForHandoff(request);
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
    });

    it('stores the description with secrets redacted and contact data masked, and says what it found', async () => {
      const outcome = await service.openForHandoff(
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
        service.openForHandoff(handoffRequest({ userId: 'u-bad', claims: { ...CLAIMS, email: 'nope', dateOfBirth: '2099-01-01' } })),
      );
      expect(error.code).toBe('invalid_input');
      expect(error.details?.['errors']).toEqual([
        { field: 'email', code: 'email.invalid' },
        { field: 'dateOfBirth', code: 'dateOfBirth.future' },
      ]);
      expect(await service.findForCustomer('webchat', 'u-bad')).toEqual([]);
    });

    it('refuses a malformed request (unknown reason, bad step ids)', async () => {
      const bad = handoffRequest({ reason: 'bored' as never, path: ['ok', 'not ok!'] });
      const error = await appError(service.openForHandoff(bad));
      expect(error.code).toBe('invalid_input');
      expect(error.details?.['fields']).toEqual(expect.arrayContaining(['reason', 'path']));
    });

    it('returns the open ticket when the same conversation reaches the same handoff again', async () => {
      const request = handoffRequest();
      const first = await service.openForHandoff(request);
      const again = await service.openForHandoff({ ...request, claims: { ...CLAIMS, fullName: 'Someone Else' } });
      expect(again).toMatchObject({ created: false, event: null });
      expect(again.ticket.id).toBe(first.ticket.id);
      expect(again.ticket.claims.fullName).toBe(CLAIMS.fullName);
    });

    it('returns the same ticket for a redelivered activity id', async () => {
      const first = await service.openForHandoff(handoffRequest({ activityId: 'act-42' }));
      const redelivered = await service.openForHandoff(handoffRequest({ activityId: 'act-42' }));
      expect(redelivered.created).toBe(false);
      expect(redelivered.ticket.id).toBe(first.ticket.id);
      expect(await service.findForCustomer('webchat', 'user-1')).toHaveLength(1);
    });

    it('creates one ticket for 20 concurrent calls (same conversation, redelivered activity)', async () => {
      const request = handoffRequest({ userId: 'u-conc', activityId: 'act-dup' });
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => service.openForHandoff(request)));
      expect(outcomes.filter((o) => o.created)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.ticket.id)).size).toBe(1);
      expect(await service.findForCustomer('webchat', 'u-conc')).toHaveLength(1);
    });

    it('opens a new ticket for another reason in the same conversation', async () => {
      const request = handoffRequest();
      const a = await service.openForHandoff(request);
      const b = await service.openForHandoff({ ...request, reason: 'login_lockout' });
      expect(b.created).toBe(true);
      expect(b.ticket.id).not.toBe(a.ticket.id);
    });

    it('takes new claims for a ticket that failed verification as a resubmission (reopen rule)', async () => {
      const request = handoffRequest();
      const { ticket } = await service.openForHandoff(request);
      await service.failVerification(ticket.id, AGENT_A, 'DOB does not match');
      const again = await service.openForHandoff({ ...request, claims: { ...CLAIMS, dateOfBirth: '1990-01-03' } });
      expect(again.created).toBe(false);
      expect(again.ticket).toMatchObject({ id: ticket.id, status: 'awaiting_verification', claims: { dateOfBirth: '1990-01-03' } });
      expect(again.event).toMatchObject({ kind: 'claims_resubmitted', from: 'verification_failed', to: 'awaiting_verification' });
    });

    it('retries with a fresh id when a generated id is already taken', async () => {
      const taken = generateTicketId();
      const fresh = generateTicketId();
      const ids = [taken, taken, fresh];
      const svc = createTicketService({ repository, now: CLOCK, newTicketId: () => ids.shift() ?? generateTicketId() });
      const a = await svc.openForHandoff(handoffRequest());
      const b = await svc.openForHandoff(handoffRequest());
      expect([a.ticket.id, b.ticket.id]).toEqual([taken, fresh]);
    });
  });

  describe('agent actions', () => {
    it('walks verify → approve → resolve with events, notes sanitised and history appended', async () => {
      const { ticket } = await service.openForHandoff(handoffRequest());
      const verified = await service.verifyIdentity(ticket.id, AGENT_A, 'matched KYC; customer read code 654321 aloud');
      expect(verified.event).toMatchObject({ kind: 'verified', from: 'awaiting_verification', to: 'verified' });
      const approved = await service.approveReset(ticket.id, AGENT_B);
      expect(approved.event).toMatchObject({ kind: 'reset_approved', approvalAction: 'reset_2fa' });
      const resolved = await service.resolve(ticket.id, AGENT_B, 'reset done');
      expect(resolved.ticket).toMatchObject({
        status: 'resolved',
        verifiedBy: AGENT_A,
        approvedBy: AGENT_B,
        approvalAction: 'reset_2fa',
        version: 4,
      });
      expect(resolved.event.kind).toBe('resolved');
      expect(resolved.ticket.history.map((h) => [h.actor.id, h.event, h.from, h.to])).toEqual([
        ['user-1', 'ticket.opened', null, 'awaiting_verification'],
        [AGENT_A, 'identity.verified', 'awaiting_verification', 'verified'],
        [AGENT_B, 'approval.granted', 'verified', 'reset_approved'],
        [AGENT_B, 'ticket.resolved', 'reset_approved', 'resolved'],
      ]);
      expect(resolved.ticket.history[1]?.note).toBe('matched KYC; customer read code [redacted:otp] aloud');
    });

    it('approves a login lockout as unlock_login, not a 2FA reset', async () => {
      const ticket = await ticketIn('verified', 'login_lockout');
      const approved = await service.approveReset(ticket.id, AGENT_B);
      expect(approved.ticket.approvalAction).toBe('unlock_login');
      expect(approved.event.approvalAction).toBe('unlock_login');
    });

    it('refuses approval by the verifying agent with same_agent and changes nothing', async () => {
      const ticket = await ticketIn('verified');
      const error = await appError(service.approveReset(ticket.id, AGENT_A));
      expect(error.code).toBe('same_agent');
      expect(await service.get(ticket.id)).toEqual(ticket);
    });

    it('treats agent ids with surrounding spaces as the same agent', async () => {
      const ticket = await ticketIn('verified');
      expect((await appError(service.approveReset(ticket.id, ` ${AGENT_A} `))).code).toBe('same_agent');
    });

    it('lets only one of two agents approving at the same time win', async () => {
      const ticket = await ticketIn('verified');
      const results = await Promise.allSettled([
        service.approveReset(ticket.id, AGENT_B, null, { expectedVersion: ticket.version }),
        service.approveReset(ticket.id, 'agent-c', null, { expectedVersion: ticket.version }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected && (rejected.reason as AppError).code).toMatch(/^(conflict|illegal_transition)$/);
      const after = await service.get(ticket.id);
      expect(after?.history.filter((h) => h.event === 'approval.granted')).toHaveLength(1);
    });

    it('refuses a stale expected version with conflict', async () => {
      const ticket = await ticketIn('awaiting_verification');
      await service.verifyIdentity(ticket.id, AGENT_A);
      const error = await appError(service.close(ticket.id, { kind: 'agent', id: AGENT_B }, 'duplicate', null, { expectedVersion: 1 }));
      expect(error.code).toBe('conflict');
      expect((await service.get(ticket.id))?.status).toBe('verified');
    });

    it('closes with a reason; a customer may close only their own ticket', async () => {
      const ticket = await ticketIn('verified');
      const forbidden = await appError(service.close(ticket.id, { kind: 'customer', id: 'someone-else' }, 'customer_cancelled'));
      expect(forbidden.code).toBe('forbidden');
      expect(await service.get(ticket.id)).toEqual(ticket);
      const closed = await service.close(ticket.id, { kind: 'customer', id: 'user-1' }, 'customer_cancelled', 'no longer needed');
      expect(closed.ticket).toMatchObject({ status: 'closed', closeReason: 'customer_cancelled' });
      expect(closed.event).toMatchObject({ kind: 'closed', closeReason: 'customer_cancelled', from: 'verified' });
    });

    it('validates inputs: close reason, agent id, note length, unknown ticket', async () => {
      const ticket = await ticketIn('awaiting_verification');
      expect((await appError(service.close(ticket.id, { kind: 'agent', id: AGENT_A }, 'bored' as never))).code).toBe('invalid_input');
      expect((await appError(service.verifyIdentity(ticket.id, '  '))).code).toBe('invalid_input');
      expect((await appError(service.verifyIdentity(ticket.id, AGENT_A, 'x'.repeat(2001)))).code).toBe('invalid_input');
      expect((await appError(service.verifyIdentity('TFA-00000000', AGENT_A))).code).toBe('not_found');
      expect((await appError(service.verifyIdentity('garbage', AGENT_A))).code).toBe('not_found');
      expect(await service.get(ticket.id)).toEqual(ticket);
    });
  });

  describe('every illegal action through the service changes nothing', () => {
    type Action = 'verify' | 'fail' | 'resubmit' | 'approve' | 'resolve' | 'close';
    const run: Record<Action, (s: TicketService, id: TicketId) => Promise<unknown>> = {
      verify: (s, id) => s.verifyIdentity(id, AGENT_A),
      fail: (s, id) => s.failVerification(id, AGENT_A),
      resubmit: (s, id) => s.resubmitClaims(id, { channelId: 'webchat', userId: 'user-1' }, CLAIMS),
      approve: (s, id) => s.approveReset(id, AGENT_B),
      resolve: (s, id) => s.resolve(id, AGENT_B),
      close: (s, id) => s.close(id, { kind: 'system', id: 'janitor' }, 'no_response'),
    };
    const legal: Record<TicketStatus, Action[]> = {
      awaiting_verification: ['verify', 'fail', 'close'],
      verification_failed: ['resubmit', 'close'],
      verified: ['approve', 'close'],
      reset_approved: ['resolve', 'close'],
      resolved: [],
      closed: [],
    };
    const rows = (Object.keys(legal) as TicketStatus[]).flatMap((status) =>
      (Object.keys(run) as Action[]).map((action) => ({ status, action, allowed: legal[status].includes(action) })),
    );

    it.each(rows)('$status: $action allowed=$allowed', async ({ status, action, allowed }) => {
      const ticket = await ticketIn(status);
      if (allowed) {
        await run[action](service, ticket.id);
        expect((await service.get(ticket.id))?.version).toBe(ticket.version + 1);
      } else {
        const error = await appError(run[action](service, ticket.id));
        expect(error.code).toBe('illegal_transition');
        expect(error.details).toMatchObject({ status });
        expect(await service.get(ticket.id)).toEqual(ticket);
      }
    });
  });

  describe('customer views', () => {
    it("finds only the customer's own tickets, by channel and user", async () => {
      const mine = await service.openForHandoff(handoffRequest({ userId: 'alice' }));
      await service.openForHandoff(handoffRequest({ userId: 'bob' }));
      await service.openForHandoff(handoffRequest({ userId: 'alice', channelId: 'msteams' }));
      const list = await service.findForCustomer('webchat', 'alice');
      expect(list.map((t) => t.id)).toEqual([mine.ticket.id]);
    });

    it('shows a ticket by number only to its owner, accepting the number as typed', async () => {
      const { ticket } = await service.openForHandoff(handoffRequest({ userId: 'alice' }));
      const alice = { channelId: 'webchat', userId: 'alice' };
      expect((await service.getForCustomer(alice, ticket.id.toLowerCase()))?.id).toBe(ticket.id);
      expect(await service.getForCustomer({ channelId: 'webchat', userId: 'bob' }, ticket.id)).toBeUndefined();
      expect(await service.getForCustomer({ channelId: 'msteams', userId: 'alice' }, ticket.id)).toBeUndefined();
      expect(await service.getForCustomer(alice, 'not a ticket')).toBeUndefined();
    });

    it("refuses to resubmit claims to someone else's ticket", async () => {
      const ticket = await ticketIn('verification_failed');
      const error = await appError(service.resubmitClaims(ticket.id, { channelId: 'webchat', userId: 'mallory' }, CLAIMS));
      expect(error.code).toBe('not_found');
      expect(await service.get(ticket.id)).toEqual(ticket);
    });
  });
});
