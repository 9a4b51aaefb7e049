/**
 * The contract every NotificationOutbox implementation passes (claim, lease, settle, retry, requeue,
 * list). Rows only come from ticket changes, so each implementation is tested with the ticket
 * repository that writes to it. Run with `describeNotificationOutboxContract(name, factory)`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationOutbox } from '../../src/tickets/outbox/notification-outbox.js';
import type { NotificationKind, OutboxNotification } from '../../src/tickets/outbox/notification.js';
import type { TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { TicketId } from '../../src/tickets/ticket.js';
import { newTicket } from './fixtures.js';
import { expectAppError, workChange, type RepositoryUnderTest } from './repository-under-test.js';

const T0 = new Date('2025-03-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const LEASE = 60_000;

export function describeNotificationOutboxContract(
  name: string,
  factory: () => RepositoryUnderTest | Promise<RepositoryUnderTest>,
): void {
  describe(`NotificationOutbox contract: ${name}`, () => {
    let made: RepositoryUnderTest;
    let repo: TicketRepository;
    let outbox: NotificationOutbox;

    beforeEach(async () => {
      made = await factory();
      repo = made.repository;
      outbox = made.outbox;
    });
    afterEach(() => made.dispose?.());

    async function ticket(): Promise<TicketId> {
      return (await repo.findOrCreateOpen(newTicket(), null)).ticket.id;
    }

    /** Queues a notification for `ticketId` as a change at `when` would. */
    async function queue(ticketId: TicketId, when: Date, kind: NotificationKind = 'verified'): Promise<OutboxNotification> {
      await repo.update(ticketId, (c) =>
        workChange(c, { notification: { kind, params: {} }, history: { ...workChange(c).history, at: when.toISOString() } }),
      );
      const rows = await outbox.listForTicket(ticketId);
      const last = rows[rows.length - 1];
      if (!last) throw new Error('nothing queued');
      return last;
    }

    async function row(n: OutboxNotification): Promise<OutboxNotification | undefined> {
      return (await outbox.listForTicket(n.ticketId)).find((r) => r.id === n.id);
    }

    describe('claimDue', () => {
      it('claims nothing from an empty outbox', async () => {
        expect(await outbox.claimDue(at(0), 10, LEASE)).toEqual([]);
      });

      it('claims what is due, oldest first, up to the limit, counting the attempt', async () => {
        const id = await ticket();
        const third = await queue(id, at(3_000));
        const first = await queue(id, at(1_000), 'resolved');
        const second = await queue(await ticket(), at(2_000), 'closed');
        const notYet = await queue(id, at(10_000));

        const batch = await outbox.claimDue(at(5_000), 2, LEASE);
        expect(batch.map((n) => n.id)).toEqual([first.id, second.id]);
        expect(batch[0]).toEqual({ ...first, status: 'sending', attempts: 1 });
        expect(batch.map((n) => n.kind)).toEqual(['resolved', 'closed']);

        expect((await outbox.claimDue(at(5_000), 10, LEASE)).map((n) => n.id)).toEqual([third.id]);
        expect(await outbox.claimDue(at(5_000), 10, LEASE)).toEqual([]);
        expect((await outbox.claimDue(at(10_000), 10, LEASE)).map((n) => n.id)).toEqual([notYet.id]);
      });

      it('a claimed notification is not claimed again until its lease expires, then it is (one more attempt)', async () => {
        const n = await queue(await ticket(), at(0));
        expect(await outbox.claimDue(at(0), 10, LEASE)).toHaveLength(1);
        expect(await outbox.claimDue(at(LEASE - 1), 10, LEASE)).toEqual([]);
        const again = await outbox.claimDue(at(LEASE), 10, LEASE);
        expect(again).toEqual([{ ...n, status: 'sending', attempts: 2 }]);
        expect(await outbox.claimDue(at(LEASE + 1), 10, LEASE)).toEqual([]);
      });

      it('never hands one notification to two concurrent claims', async () => {
        const id = await ticket();
        for (let i = 0; i < 10; i++) await queue(id, at(i));
        const batches = await Promise.all(Array.from({ length: 4 }, () => outbox.claimDue(at(100), 3, LEASE)));
        const claimed = batches.flat().map((n) => n.id);
        expect(claimed).toHaveLength(10);
        expect(new Set(claimed).size).toBe(10);
      });
    });

    describe('settling', () => {
      it('markDelivered records the delivery; a delivered notification is never claimed again', async () => {
        const n = await queue(await ticket(), at(0));
        await outbox.claimDue(at(0), 10, LEASE);
        await outbox.markDelivered(n.id, at(500));
        expect(await row(n)).toEqual({ ...n, status: 'delivered', attempts: 1, deliveredAt: at(500).toISOString(), lastError: null });
        expect(await outbox.claimDue(at(10 * LEASE), 10, LEASE)).toEqual([]);
      });

      it('markAttemptFailed with a retry time keeps it pending until then, with the error', async () => {
        const n = await queue(await ticket(), at(0));
        await outbox.claimDue(at(0), 10, LEASE);
        await outbox.markAttemptFailed(n.id, 'RestError: Service Unavailable', at(5_000));
        expect(await row(n)).toMatchObject({
          status: 'pending',
          attempts: 1,
          nextAttemptAt: at(5_000).toISOString(),
          lastError: 'RestError: Service Unavailable',
          deliveredAt: null,
        });
        expect(await outbox.claimDue(at(4_999), 10, LEASE)).toEqual([]);
        expect(await outbox.claimDue(at(5_000), 10, LEASE)).toMatchObject([{ id: n.id, attempts: 2, status: 'sending' }]);
        await outbox.markDelivered(n.id, at(5_100));
        expect(await row(n)).toMatchObject({ status: 'delivered', lastError: null, attempts: 2 });
      });

      it('markAttemptFailed without a retry time gives up: failed, never claimed again', async () => {
        const n = await queue(await ticket(), at(0));
        await outbox.claimDue(at(0), 10, LEASE);
        await outbox.markAttemptFailed(n.id, 'Error: gone', null);
        expect(await row(n)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'Error: gone', deliveredAt: null });
        expect(await outbox.claimDue(at(100 * LEASE), 10, LEASE)).toEqual([]);
      });

      it('settles only a claimed notification: conflict for pending, delivered, failed or unknown ones', async () => {
        const pending = await queue(await ticket(), at(0));
        await expectAppError(outbox.markDelivered(pending.id, at(1)), 'conflict');
        await expectAppError(outbox.markAttemptFailed(pending.id, 'Error: x', null), 'conflict');
        await expectAppError(outbox.markDelivered(999_999, at(1)), 'conflict');
        expect(await row(pending)).toEqual(pending);

        await outbox.claimDue(at(0), 10, LEASE);
        await outbox.markDelivered(pending.id, at(1));
        await expectAppError(outbox.markDelivered(pending.id, at(2)), 'conflict');
        await expectAppError(outbox.markAttemptFailed(pending.id, 'Error: late', at(3)), 'conflict');
        expect(await row(pending)).toMatchObject({ status: 'delivered', deliveredAt: at(1).toISOString(), lastError: null });

        const failed = await queue(await ticket(), at(10));
        await outbox.claimDue(at(10), 10, LEASE);
        await outbox.markAttemptFailed(failed.id, 'Error: gone', null);
        await expectAppError(outbox.markDelivered(failed.id, at(11)), 'conflict');
        expect(await row(failed)).toMatchObject({ status: 'failed' });
      });
    });

    describe('requeue', () => {
      it('sends a failed notification again: pending from now, attempts counted afresh', async () => {
        const n = await queue(await ticket(), at(0));
        await outbox.claimDue(at(0), 10, LEASE);
        await outbox.markAttemptFailed(n.id, 'Error: gone', null);
        const requeued = await outbox.requeue(n.id, at(3_600_000));
        expect(requeued).toMatchObject({ id: n.id, status: 'pending', attempts: 0, nextAttemptAt: at(3_600_000).toISOString() });
        expect(await row(n)).toEqual(requeued);
        expect(await outbox.claimDue(at(3_599_999), 10, LEASE)).toEqual([]);
        expect(await outbox.claimDue(at(3_600_000), 10, LEASE)).toMatchObject([{ id: n.id, attempts: 1 }]);
      });

      it('refuses anything but a failed notification (illegal_transition), and an unknown id (not_found)', async () => {
        const id = await ticket();
        const pending = await queue(id, at(0));
        await expectAppError(outbox.requeue(pending.id, at(1)), 'illegal_transition');
        await outbox.claimDue(at(0), 10, LEASE);
        await expectAppError(outbox.requeue(pending.id, at(1)), 'illegal_transition');
        await outbox.markDelivered(pending.id, at(1));
        await expectAppError(outbox.requeue(pending.id, at(2)), 'illegal_transition');
        expect(await row(pending)).toMatchObject({ status: 'delivered', attempts: 1 });
        await expectAppError(outbox.requeue(999_999, at(1)), 'not_found');
      });
    });

    describe('countUndelivered', () => {
      it('counts what waits, what is being sent and what failed for good, over every ticket; delivered ones not at all', async () => {
        expect(await outbox.countUndelivered()).toEqual({ pending: 0, sending: 0, failed: 0 });
        const a = await ticket();
        const b = await ticket();
        const delivered = await queue(a, at(0));
        const failed = await queue(b, at(1));
        const sending = await queue(a, at(2));
        await queue(b, at(3));
        await queue(a, at(10_000));
        expect(await outbox.claimDue(at(2), 3, LEASE)).toHaveLength(3);
        await outbox.markDelivered(delivered.id, at(5));
        await outbox.markAttemptFailed(failed.id, 'Error: gone', null);
        expect((await row(sending))?.status).toBe('sending');
        expect(await outbox.countUndelivered()).toEqual({ pending: 2, sending: 1, failed: 1 });
      });
    });

    describe('listForTicket', () => {
      it("lists one ticket's notifications oldest first with their delivery state; none for others", async () => {
        const a = await ticket();
        const b = await ticket();
        const a1 = await queue(a, at(0), 'verified');
        await queue(b, at(1), 'closed');
        const a2 = await queue(a, at(2), 'resolved');
        await outbox.claimDue(at(0), 1, LEASE);
        await outbox.markDelivered(a1.id, at(5));
        const list = await outbox.listForTicket(a);
        expect(list.map((n) => [n.kind, n.status])).toEqual([
          ['verified', 'delivered'],
          ['resolved', 'pending'],
        ]);
        expect(list[1]).toEqual(a2);
        expect(list.every((n) => n.ticketId === a)).toBe(true);
        expect(await outbox.listForTicket('TFA-00000000' as TicketId)).toEqual([]);
      });

      it('hands out copies', async () => {
        const id = await ticket();
        const n = await queue(id, at(0));
        (n as { status: string }).status = 'delivered';
        (n.params as Record<string, unknown>)['message'] = 'forged';
        expect(await outbox.listForTicket(id)).toMatchObject([{ status: 'pending', params: {} }]);
      });
    });
  });
}
