/**
 * The contract every TicketRepository implementation passes. Run it with
 * `describeTicketRepositoryContract(name, factory)` from each implementation's test file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { TicketChange, TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { Ticket, TicketId } from '../../src/tickets/ticket.js';
import { newConversationId, newTicket } from './fixtures.js';

export interface RepositoryUnderTest {
  readonly repository: TicketRepository;
  /** Releases resources (closes and deletes a database file). */
  readonly dispose?: () => void;
}

function change(current: Ticket, overrides: Partial<TicketChange> = {}): TicketChange {
  return {
    status: 'verified',
    verifiedBy: 'agent-a',
    approvedBy: null,
    approvalAction: null,
    closeReason: null,
    history: {
      at: '2025-01-02T00:00:00.000Z',
      actor: { kind: 'agent', id: 'agent-a' },
      event: 'identity.verified',
      from: current.status,
      to: 'verified',
      note: 'checked against KYC record',
    },
    ...overrides,
  };
}

function closeChange(current: Ticket): TicketChange {
  return change(current, {
    status: 'closed',
    verifiedBy: current.verifiedBy,
    closeReason: 'duplicate',
    history: {
      at: '2025-01-03T00:00:00.000Z',
      actor: { kind: 'agent', id: 'agent-b' },
      event: 'ticket.closed',
      from: current.status,
      to: 'closed',
      note: null,
    },
  });
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

export function describeTicketRepositoryContract(
  name: string,
  factory: () => RepositoryUnderTest | Promise<RepositoryUnderTest>,
): void {
  describe(`TicketRepository contract: ${name}`, () => {
    let repo: TicketRepository;
    let dispose: (() => void) | undefined;

    beforeEach(async () => {
      const made = await factory();
      repo = made.repository;
      dispose = made.dispose;
    });
    afterEach(() => dispose?.());

    describe('findOrCreateOpen', () => {
      it('creates a ticket awaiting verification, version 1, with an opening history entry', async () => {
        const draft = newTicket({ tenantId: 'tenant-9', note: 'opened from chat' });
        const { ticket, created, matchedBy } = await repo.findOrCreateOpen(draft, 'act-1');
        expect(created).toBe(true);
        expect(matchedBy).toBeNull();
        expect(ticket).toMatchObject({
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
          verifiedBy: null,
          approvedBy: null,
          createdAt: draft.createdAt,
          updatedAt: draft.createdAt,
          version: 1,
        });
        expect(ticket.history).toEqual([
          {
            at: draft.createdAt,
            actor: { kind: 'customer', id: 'user-1' },
            event: 'ticket.opened',
            from: null,
            to: 'awaiting_verification',
            note: 'opened from chat',
          },
        ]);
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
        expect(updated.history[1]).toMatchObject({ event: 'identity.verified', from: 'awaiting_verification', to: 'verified' });
        expect(await repo.get(ticket.id)).toEqual(updated);
      });

      it('replaces the identity claims when the change carries new ones', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const claims = { ...ticket.claims, email: 'new@example.com' };
        const updated = await repo.update(ticket.id, (c) => change(c, { claims }));
        expect(updated.claims).toEqual(claims);
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

    describe('history is append-only', () => {
      it('keeps every earlier entry verbatim across changes', async () => {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        const afterVerify = await repo.update(ticket.id, (c) => change(c));
        const afterClose = await repo.update(ticket.id, closeChange);
        expect(afterClose.history.slice(0, 2)).toEqual(afterVerify.history);
        expect(afterClose.history.map((h) => h.to)).toEqual(['awaiting_verification', 'verified', 'closed']);
      });

      it('offers no way to delete tickets or edit history', () => {
        const methods = new Set<string>();
        for (let o: object | null = repo; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
          for (const key of Object.getOwnPropertyNames(o)) methods.add(key);
        }
        methods.delete('constructor');
        expect([...methods].sort()).toEqual(['findOrCreateOpen', 'get', 'listForCustomer', 'update']);
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
  });
}
