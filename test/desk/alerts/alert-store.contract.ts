/**
 * What every TicketAlertStore must do, whatever stores it: the feed position per channel, which
 * cards are due (a newer version, a deadline passed on a card that does not show it), leases,
 * retries. Run by each implementation's test with a factory giving a store on an empty database.
 */
import { describe, expect, it } from 'vitest';
import type { TicketAlertStore } from '../../../src/desk/alerts/alert-store.js';
import type { TicketSummary } from '../../../src/tickets/ticket-queue.js';
import type { TicketId } from '../../../src/tickets/ticket.js';

const T0 = Date.parse('2026-11-30T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const iso = (ms: number) => at(ms).toISOString();
const LEASE = 60_000;

function summary(id: string, version: number, overrides: Partial<TicketSummary> = {}): TicketSummary {
  return {
    id: id as TicketId,
    reason: 'phone_lost_no_backup',
    language: 'ja',
    channelId: 'webchat',
    status: 'awaiting_verification',
    assigneeId: null,
    createdAt: iso(1_000),
    updatedAt: iso(1_000 + version),
    version,
    failedNotifications: 0,
    ...overrides,
  };
}

/** `make(channel)`: a store of that channel; stores made in one test share their database. */
export function alertStoreContract(name: string, make: (channel: string) => TicketAlertStore): void {
  describe(`TicketAlertStore contract: ${name}`, () => {
    it('starts the feed at the first begin and keeps it at later ones', async () => {
      const store = make('chan-a');
      const first = await store.begin(at(0));
      expect(first).toEqual({ enabledAt: iso(0), cursor: { updatedAt: iso(0), id: '' } });
      expect(await make('chan-a').begin(at(99_000))).toEqual(first);
    });

    it('moves the cursor forward only, and skips tickets opened before alerts were switched on', async () => {
      const store = make('chan-a');
      await store.begin(at(0));
      expect(await store.record(summary('TFA-00000002', 1, { updatedAt: iso(5_000) }))).toBe(true);
      expect(await store.record(summary('TFA-00000001', 1, { updatedAt: iso(4_000) }))).toBe(true);
      expect(await store.record(summary('TFA-OLD00000', 3, { createdAt: iso(-1), updatedAt: iso(3_000) }))).toBe(false);
      expect((await make('chan-a').begin(at(0))).cursor).toEqual({ updatedAt: iso(5_000), id: 'TFA-00000002' });
      expect((await store.claimDue(at(10_000), LEASE, 10)).map((d) => d.ticket.id)).toEqual(['TFA-00000002', 'TFA-00000001']);
    });

    it('wants a ticket once per newer version, with its newest summary', async () => {
      const store = make('chan-a');
      await store.begin(at(0));
      expect(await store.record(summary('TFA-00000001', 1))).toBe(true);
      expect(await store.record(summary('TFA-00000001', 1))).toBe(false);
      expect(await store.record(summary('TFA-00000001', 2, { status: 'verified' }))).toBe(true);
      expect(await store.record(summary('TFA-00000001', 1))).toBe(false);
      expect(await store.claimDue(at(10_000), LEASE, 10)).toEqual([{ ticket: summary('TFA-00000001', 2, { status: 'verified' }), activityId: null, attempts: 0 }]);
    });

    it('leases what it claims until the lease ends; a delivery settles it until a newer version', async () => {
      const store = make('chan-a');
      await store.begin(at(0));
      await store.record(summary('TFA-00000001', 1));
      expect(await store.claimDue(at(10_000), LEASE, 10)).toHaveLength(1);
      expect(await store.claimDue(at(10_000 + LEASE - 1), LEASE, 10)).toEqual([]);
      expect(await store.claimDue(at(10_000 + LEASE), LEASE, 10)).toHaveLength(1);
      await store.delivered({ ticketId: 'TFA-00000001', version: 1, activityId: 'act-1', overdue: false, verificationDueAt: null });
      expect(await store.claimDue(at(999_000), LEASE, 10)).toEqual([]);
      await store.record(summary('TFA-00000001', 2));
      expect(await store.claimDue(at(999_000), LEASE, 10)).toMatchObject([{ activityId: 'act-1', attempts: 0, ticket: { version: 2 } }]);
    });

    it('is due again when the verification deadline of a posted card passes, until a card shows it overdue', async () => {
      const store = make('chan-a');
      await store.begin(at(0));
      await store.record(summary('TFA-00000001', 1));
      await store.claimDue(at(0), LEASE, 10);
      await store.delivered({ ticketId: 'TFA-00000001', version: 1, activityId: 'act-1', overdue: false, verificationDueAt: iso(100_000) });
      expect(await store.claimDue(at(99_999), LEASE, 10)).toEqual([]);
      expect(await store.claimDue(at(100_000), LEASE, 10)).toMatchObject([{ activityId: 'act-1', ticket: { version: 1 } }]);
      await store.delivered({ ticketId: 'TFA-00000001', version: 1, activityId: 'act-1', overdue: true, verificationDueAt: iso(100_000) });
      expect(await store.claimDue(at(900_000), LEASE, 10)).toEqual([]);
    });

    it('counts failures and waits until the retry time; a newer version cuts the wait short', async () => {
      const store = make('chan-a');
      await store.begin(at(0));
      await store.record(summary('TFA-00000001', 1));
      await store.record(summary('TFA-00000002', 1));
      await store.claimDue(at(0), LEASE, 10);
      expect(await store.failed('TFA-00000001', at(30_000))).toBe(1);
      await store.claimDue(at(30_000), LEASE, 10);
      expect(await store.failed('TFA-00000001', at(90_000))).toBe(2);
      expect(await store.failed('TFA-UNKNOWN0', at(90_000))).toBe(0);
      // TFA-00000002's lease ended at 60 000 and it has no retry time: it comes first.
      expect((await store.claimDue(at(89_999), LEASE, 10)).map((d) => d.ticket.id)).toEqual(['TFA-00000002']);
      expect(await store.claimDue(at(90_000), LEASE, 10)).toMatchObject([{ ticket: { id: 'TFA-00000001' }, attempts: 2 }]);
      await store.record(summary('TFA-00000001', 2));
      await store.failed('TFA-00000001', at(500_000));
      await store.record(summary('TFA-00000001', 3));
      // Both are due: neither waits for a retry (the new version cleared it), oldest wanted first.
      const due = await store.claimDue(at(200_000), LEASE, 10);
      expect(due.map((d) => [d.ticket.id, d.ticket.version, d.attempts])).toEqual([['TFA-00000001', 3, 3], ['TFA-00000002', 1, 0]]);
    });

    it('keeps channels apart, and never hands one alert to two concurrent claims', async () => {
      const a = make('chan-a');
      const b = make('chan-b');
      await a.begin(at(0));
      await b.begin(at(0));
      for (let i = 0; i < 9; i++) await a.record(summary(`TFA-0000000${i}`, 1));
      expect(await b.claimDue(at(0), LEASE, 10)).toEqual([]);
      const claims = await Promise.all([a, make('chan-a'), make('chan-a')].map((s) => s.claimDue(at(0), LEASE, 4)));
      const ids = claims.flat().map((d) => d.ticket.id);
      expect(ids).toHaveLength(9);
      expect(new Set(ids).size).toBe(9);
    });
  });
}
