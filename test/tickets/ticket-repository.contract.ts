/**
 * The contract every TicketRepository implementation passes. Run it with
 * `describeTicketRepositoryContract(name, factory)` from each implementation's test file.
 * The agents' queue (listQueue, countByStatus) is in ticket-queue.contract.ts, run from here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { Ticket, TicketId } from '../../src/tickets/ticket.js';
import { newConversationId, newTicket } from './fixtures.js';
import { change, closeChange, expectAppError, workChange, type RepositoryUnderTest } from './repository-under-test.js';
import { describeTicketQueueContract } from './ticket-queue.contract.js';
import { describeTicketWaitingContract } from './ticket-waiting.contract.js';

export type { RepositoryUnderTest } from './repository-under-test.js';

export function describeTicketRepositoryContract(
  name: string,
  factory: () => RepositoryUnderTest | Promise<RepositoryUnderTest>,
): void {
  describe(`TicketRepository contract: ${name}`, () => {
    let made: RepositoryUnderTest;
    let repo: TicketRepository;

    beforeEach(async () => {
      made = await factory();
      repo = made.repository;
    });
    afterEach(() => made.dispose?.());

    describe('findOrCreateOpen', () => {
      it('creates a ticket awaiting verification, version 1, unassigned, with an opening history entry', async () => {
        const draft = newTicket({ tenantId: 'tenant-9', note: 'opened from chat' });
        const { ticket, created, matchedBy } = await repo.findOrCreateOpen(draft, 'act-1');
        expect(created).toBe(true);
        expect(matchedBy).toBeNull();
        expect(ticket).toEqual({
          id: draft.id,
          reason: draft.reason,
          language: 'ja',
          channelId: 'webchat',
          userId: 'user-1',
          tenantId: 'tenant-9',
          conversationId: draft.conversationId,
          conversationReference: draft.conversationReference,
          claims: draft.claims,
          path: draft.path,
          stepsTried: draft.stepsTried,
          status: 'awaiting_verification',
          closeReason: null,
          approvalAction: null,
          failureReason: null,
          assigneeId: null,
          verifiedBy: null,
          approvedBy: null,
          createdAt: draft.createdAt,
          updatedAt: draft.createdAt,
          version: 1,
          history: [
            {
              at: draft.createdAt,
              actor: { kind: 'customer', id: 'user-1' },
              event: 'ticket.opened',
              from: null,
              to: 'awaiting_verification',
              note: 'opened from chat',
              detail: null,
            },
          ],
        });
        expect(await repo.get(draft.id)).toEqual(ticket);
      });

      it('round-trips Japanese text, a missing phone digit field and nested references', async () => {
        const { phoneLast4: _omitted, ...claims } = newTicket().claims;
        const draft = newTicket({
          claims: { ...claims, fullName: 'ヤマダ・タロウ', description: '電車で携帯を紛失しました 🙇' },
          conversationReference: { a: { b: [1, 'two', null, { c: true }] } },
        });
        await repo.findOrCreateOpen(draft, null);
        const stored = await repo.get(draft.id);
        expect(stored?.claims).toEqual(draft.claims);
        expect(stored?.claims).not.toHaveProperty('phoneLast4');
        expect(stored?.conversationReference).toEqual(draft.conversationReference);
      });

      it('returns the open ticket for the same conversation and reason instead of a second one', async () => {
        const first = await repo.findOrCreateOpen(newTicket({ conversationId: 'conv-x' }), null);
        const again = await repo.findOrCreateOpen(newTicket({ conversationId: 'conv-x' }), null);
        expect(again).toMatchObject({ created: false, matchedBy: 'conversation' });
        expect(again.ticket.id).toBe(first.ticket.id);
        expect(await repo.listForCustomer({ channelId: 'webchat', userId: 'user-1' })).toHaveLength(1);
      });

      it('opens separate tickets for another reason or another conversation', async () => {
        const a = await repo.findOrCreateOpen(newTicket({ conversationId: 'conv-y' }), null);
        const b = await repo.findOrCreateOpen(newTicket({ conversationId: 'conv-y', reason: 'login_lockout' }), null);
        const c = await repo.findOrCreateOpen(newTicket({ conversationId: 'conv-z' }), null);
        expect(new Set([a.ticket.id, b.ticket.id, c.ticket.id]).size).toBe(3);
        expect([a, b, c].every((r) => r.created)).toBe(true);
      });

      it('returns the ticket of a redelivered activity id, even after it was closed', async () => {
        const first = await repo.findOrCreateOpen(newTicket(), 'act-redeliver');
        await repo.update(first.ticket.id, closeChange);
        const again = await repo.findOrCreateOpen(newTicket(), 'act-redeliver');
        expect(again).toMatchObject({ created: false, matchedBy: 'activity' });
        expect(again.ticket.id).toBe(first.ticket.id);
        expect(again.ticket.status).toBe('closed');
      });

      it('keys activity ids per channel', async () => {
        const a = await repo.findOrCreateOpen(newTicket({ channelId: 'webchat' }), 'same-id');
        const b = await repo.findOrCreateOpen(newTicket({ channelId: 'msteams' }), 'same-id');
        expect(b.created).toBe(true);
        expect(b.ticket.id).not.toBe(a.ticket.id);
      });

      it('remembers an activity that matched by conversation', async () => {
        const conversationId = newConversationId();
        const first = await repo.findOrCreateOpen(newTicket({ conversationId }), 'act-1');
        await repo.findOrCreateOpen(newTicket({ conversationId }), 'act-2');
        await repo.update(first.ticket.id, closeChange);
        const redelivered = await repo.findOrCreateOpen(newTicket({ conversationId }), 'act-2');
        expect(redelivered).toMatchObject({ created: false, matchedBy: 'activity' });
        expect(redelivered.ticket.id).toBe(first.ticket.id);
      });

      it('treats change_approved as open: the same handoff returns that ticket', async () => {
        const conversationId = newConversationId();
        const first = await repo.findOrCreateOpen(newTicket({ conversationId }), null);
        await repo.update(first.ticket.id, (c) =>
          change(c, { status: 'change_approved', approvedBy: 'agent-b', approvalAction: 'switch_2fa_to_sms_or_voice' }),
        );
        const again = await repo.findOrCreateOpen(newTicket({ conversationId }), null);
        expect(again).toMatchObject({ created: false, matchedBy: 'conversation', ticket: { id: first.ticket.id } });
      });

      it('opens a new ticket for the same conversation and reason once the old one is closed', async () => {
        const conversationId = newConversationId();
        const first = await repo.findOrCreateOpen(newTicket({ conversationId }), null);
        await repo.update(first.ticket.id, closeChange);
        const second = await repo.findOrCreateOpen(newTicket({ conversationId }), null);
        expect(second.created).toBe(true);
        expect(second.ticket.id).not.toBe(first.ticket.id);
      });

      it('refuses a taken id with conflict (field id) so the caller can retry', async () => {
        const draft = newTicket();
        await repo.findOrCreateOpen(draft, null);
        const error = await expectAppError(repo.findOrCreateOpen(newTicket({ id: draft.id }), null), 'conflict');
        expect(error.details).toMatchObject({ field: 'id' });
      });

      it('yields exactly one ticket for 20 concurrent calls with the same key', async () => {
        const conversationId = newConversationId();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => repo.findOrCreateOpen(newTicket({ conversationId }), `act-${i % 3}`)),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      });
    });

    describe('update', () => {
      it('writes the change, bumps the version and appends one history entry', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const updated = await repo.update(ticket.id, (current) => change(current));
        expect(updated).toMatchObject({
          status: 'verified',
          verifiedBy: 'agent-a',
          version: 2,
          updatedAt: '2025-01-02T00:00:00.000Z',
          createdAt: ticket.createdAt,
        });
        expect(updated.history).toHaveLength(2);
        expect(updated.history[1]).toEqual(change(ticket).history);
        expect(await repo.get(ticket.id)).toEqual(updated);
      });

      it('stores the failure reason and the history line’s structured detail', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const failed = await repo.update(ticket.id, (c) =>
          change(c, {
            status: 'verification_failed',
            verifiedBy: null,
            failureReason: 'details_incomplete',
            history: {
              ...change(c).history,
              event: 'identity.rejected',
              to: 'verification_failed',
              detail: { failureReason: 'details_incomplete' },
            },
          }),
        );
        expect(failed).toMatchObject({ status: 'verification_failed', failureReason: 'details_incomplete' });
        expect(failed.history[1]?.detail).toEqual({ failureReason: 'details_incomplete' });
        const resubmitted = await repo.update(ticket.id, (c) => change(c, { status: 'awaiting_verification', verifiedBy: null }));
        expect(resubmitted.failureReason).toBeNull();
        expect(await repo.get(ticket.id)).toEqual(resubmitted);
      });

      it('stores the approved change with the approver', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket({ reason: 'registered_number_wrong' }), null);
        await repo.update(ticket.id, (c) => change(c));
        const approved = await repo.update(ticket.id, (c) =>
          change(c, {
            status: 'change_approved',
            approvedBy: 'agent-b',
            approvalAction: 'update_phone_number',
            history: { ...change(c).history, event: 'approval.granted', to: 'change_approved', detail: { approvalAction: 'update_phone_number' } },
          }),
        );
        expect(await repo.get(ticket.id)).toMatchObject({
          status: 'change_approved',
          verifiedBy: 'agent-a',
          approvedBy: 'agent-b',
          approvalAction: 'update_phone_number',
          history: approved.history,
        });
      });

      it('assigns, keeps the assignee when a change does not mention it, and unassigns with null', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const assigned = await repo.update(ticket.id, (c) =>
          workChange(c, { assigneeId: 'agent-a', history: { ...workChange(c).history, event: 'ticket.assigned', note: null, detail: { assigneeId: 'agent-a' } } }),
        );
        expect(assigned).toMatchObject({ assigneeId: 'agent-a', status: 'awaiting_verification', version: 2 });
        expect(assigned.history[1]).toMatchObject({ event: 'ticket.assigned', from: 'awaiting_verification', to: 'awaiting_verification', detail: { assigneeId: 'agent-a' } });
        const verified = await repo.update(ticket.id, (c) => change(c));
        expect(verified.assigneeId).toBe('agent-a');
        const released = await repo.update(ticket.id, (c) =>
          workChange(c, { assigneeId: null, history: { ...workChange(c).history, event: 'ticket.assigned', note: null, detail: { assigneeId: null } } }),
        );
        expect(released.assigneeId).toBeNull();
        expect(released.history[3]?.detail).toEqual({ assigneeId: null });
        expect(await repo.get(ticket.id)).toEqual(released);
      });

      it('replaces the identity claims when the change carries new ones', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const claims = { ...ticket.claims, email: 'new@example.com' };
        const updated = await repo.update(ticket.id, (c) => change(c, { claims }));
        expect(updated.claims).toEqual(claims);
        expect((await repo.get(ticket.id))?.claims).toEqual(claims);
      });

      it('passes the current ticket to decide and writes nothing when decide throws', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        let seen: Ticket | undefined;
        const refusal = new AppError('illegal_transition', 'no');
        await expect(
          repo.update(ticket.id, (current) => {
            seen = current;
            throw refusal;
          }),
        ).rejects.toBe(refusal);
        expect(seen).toEqual(ticket);
        expect(await repo.get(ticket.id)).toEqual(ticket);
      });

      it('refuses a stale expectedVersion with conflict and changes nothing', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        await repo.update(ticket.id, (c) => change(c), { expectedVersion: 1 });
        const before = await repo.get(ticket.id);
        await expectAppError(repo.update(ticket.id, closeChange, { expectedVersion: 1 }), 'conflict');
        expect(await repo.get(ticket.id)).toEqual(before);
      });

      it('lets only one of two concurrent writers with the same expectedVersion win', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const results = await Promise.allSettled([
          repo.update(ticket.id, (c) => change(c), { expectedVersion: 1 }),
          repo.update(ticket.id, closeChange, { expectedVersion: 1 }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const after = await repo.get(ticket.id);
        expect(after?.version).toBe(2);
        expect(after?.history).toHaveLength(2);
      });

      it('refuses an unknown id with not_found', async () => {
        await expectAppError(repo.update('TFA-00000000' as TicketId, (c) => change(c)), 'not_found');
      });
    });

    describe('the outbox is written in the same transaction as the change', () => {
      it('a change with a notification adds exactly one pending row addressed to the customer', async () => {
        const draft = newTicket({ language: 'en', channelId: 'msteams' });
        const { ticket } = await repo.findOrCreateOpen(draft, null);
        expect(await made.outbox.listForTicket(ticket.id)).toEqual([]);
        await repo.update(ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }));
        const rows = await made.outbox.listForTicket(ticket.id);
        expect(rows).toEqual([
          {
            id: expect.any(Number) as number,
            ticketId: ticket.id,
            kind: 'verified',
            params: {},
            language: 'en',
            channelId: 'msteams',
            conversationReference: draft.conversationReference,
            status: 'pending',
            attempts: 0,
            createdAt: '2025-01-02T00:00:00.000Z',
            nextAttemptAt: '2025-01-02T00:00:00.000Z',
            deliveredAt: null,
            lastError: null,
          },
        ]);
      });

      it('keeps the parameters as given, per ticket, oldest first', async () => {
        const a = await repo.findOrCreateOpen(newTicket(), null);
        const b = await repo.findOrCreateOpen(newTicket(), null);
        await repo.update(a.ticket.id, (c) =>
          workChange(c, { notification: { kind: 'info_requested', params: { message: '生年月日を教えてください' } } }),
        );
        await repo.update(b.ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }));
        await repo.update(a.ticket.id, (c) => ({ ...closeChange(c), notification: { kind: 'closed', params: { closeReason: 'duplicate' } } }));
        const rows = await made.outbox.listForTicket(a.ticket.id);
        expect(rows.map((r) => [r.kind, r.params])).toEqual([
          ['info_requested', { message: '生年月日を教えてください' }],
          ['closed', { closeReason: 'duplicate' }],
        ]);
        expect(rows[0]!.id).toBeLessThan(rows[1]!.id);
        expect(await made.outbox.listForTicket(b.ticket.id)).toHaveLength(1);
      });

      it('a change without a notification adds none', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        await repo.update(ticket.id, (c) => workChange(c));
        expect(await made.outbox.listForTicket(ticket.id)).toEqual([]);
      });

      it('a decide that throws adds none, and neither does a refused stale version', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        await expect(
          repo.update(ticket.id, () => {
            throw new AppError('illegal_transition', 'no');
          }),
        ).rejects.toThrow('no');
        await expectAppError(
          repo.update(ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }), { expectedVersion: 7 }),
          'conflict',
        );
        expect(await made.outbox.listForTicket(ticket.id)).toEqual([]);
      });

      it('two concurrent writers with the same version queue exactly one notification', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        await Promise.allSettled([
          repo.update(ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }), { expectedVersion: 1 }),
          repo.update(ticket.id, (c) => ({ ...closeChange(c), notification: { kind: 'closed', params: { closeReason: 'duplicate' } } }), {
            expectedVersion: 1,
          }),
        ]);
        const after = await repo.get(ticket.id);
        const rows = await made.outbox.listForTicket(ticket.id);
        expect(rows).toHaveLength(1);
        expect(rows[0]?.kind).toBe(after?.status === 'closed' ? 'closed' : 'verified');
      });
    });

    describe('history is append-only', () => {
      it('keeps every earlier entry verbatim across changes', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const afterVerify = await repo.update(ticket.id, (c) => change(c));
        const afterClose = await repo.update(ticket.id, closeChange);
        expect(afterClose.history.slice(0, 2)).toEqual(afterVerify.history);
        expect(afterClose.history.map((h) => h.to)).toEqual(['awaiting_verification', 'verified', 'closed']);
        expect(afterClose.history[2]?.detail).toEqual({ closeReason: 'duplicate' });
      });

      it('offers no way to delete tickets or edit history', () => {
        const methods = new Set<string>();
        for (let o: object | null = repo; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
          for (const key of Object.getOwnPropertyNames(o)) {
            if (typeof (repo as unknown as Record<string, unknown>)[key] === 'function') methods.add(key);
          }
        }
        methods.delete('constructor');
        expect([...methods].sort()).toEqual(['countByStatus', 'findOrCreateOpen', 'get', 'listChangedSince', 'listForCustomer', 'listQueue', 'listWaitingTimes', 'update']);
      });

      it('hands out copies: mutating a returned ticket changes nothing stored', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        (ticket.history as unknown as unknown[]).push({ forged: true });
        (ticket as { status: string }).status = 'resolved';
        const stored = await repo.get(ticket.id);
        expect(stored?.history).toHaveLength(1);
        expect(stored?.status).toBe('awaiting_verification');
      });
    });

    describe('listForCustomer', () => {
      it("returns only the customer's own tickets, newest first", async () => {
        const mine1 = await repo.findOrCreateOpen(newTicket({ userId: 'alice', createdAt: '2025-01-01T00:00:00.000Z' }), null);
        const mine2 = await repo.findOrCreateOpen(newTicket({ userId: 'alice', createdAt: '2025-02-01T00:00:00.000Z' }), null);
        await repo.findOrCreateOpen(newTicket({ userId: 'bob' }), null);
        await repo.findOrCreateOpen(newTicket({ userId: 'alice', channelId: 'msteams' }), null);
        const list = await repo.listForCustomer({ channelId: 'webchat', userId: 'alice' });
        expect(list.map((t) => t.id)).toEqual([mine2.ticket.id, mine1.ticket.id]);
        expect(list.every((t) => t.history.length === 1)).toBe(true);
        expect(await repo.listForCustomer({ channelId: 'webchat', userId: 'nobody' })).toEqual([]);
      });
    });

    describeTicketQueueContract(() => made);
    describeTicketWaitingContract(() => made);
  });
}
