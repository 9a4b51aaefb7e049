/**
 * The agents' queue part of the TicketRepository contract (listQueue, countByStatus), run from
 * describeTicketRepositoryContract against every implementation.
 */
import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import type { QueueFilter, QueuePageRequest, TicketSummary } from '../../src/tickets/ticket-queue.js';
import type { NewTicket, Ticket, TicketId, TicketStatus } from '../../src/tickets/ticket.js';
import { CLAIMS, newTicket } from './fixtures.js';
import { change, workChange, type RepositoryUnderTest } from './repository-under-test.js';

const day = (d: number): string => `2025-01-${String(d).padStart(2, '0')}T00:00:00.000Z`;

export function describeTicketQueueContract(current: () => RepositoryUnderTest): void {
  const repo = () => current().repository;

  async function open(overrides: Partial<NewTicket> = {}): Promise<Ticket> {
    return (await repo().findOrCreateOpen(newTicket(overrides), null)).ticket;
  }

  async function moveTo(id: TicketId, status: TicketStatus): Promise<Ticket> {
    return repo().update(id, (c) => change(c, { status, history: { ...change(c).history, to: status } }));
  }

  async function assign(id: TicketId, assigneeId: string | null): Promise<Ticket> {
    return repo().update(id, (c) =>
      workChange(c, { assigneeId, history: { ...workChange(c).history, event: 'ticket.assigned', note: null, detail: { assigneeId } } }),
    );
  }

  async function ids(filter: QueueFilter, page: QueuePageRequest = { limit: 100 }): Promise<string[]> {
    const result = await repo().listQueue(filter, page);
    return result.tickets.map((t) => t.id);
  }

  /** Every page of a query, following `next` until it is null. */
  async function allPages(filter: QueueFilter, limit: number): Promise<{ ids: string[]; pages: number }> {
    const seen: string[] = [];
    let after: QueuePageRequest['after'];
    for (let pages = 1; pages <= 50; pages++) {
      const page = await repo().listQueue(filter, after ? { limit, after } : { limit });
      expect(page.tickets.length).toBeLessThanOrEqual(limit);
      seen.push(...page.tickets.map((t) => t.id));
      if (page.next === null) return { ids: seen, pages };
      const last = page.tickets[page.tickets.length - 1];
      expect(page.next).toEqual({ createdAt: last?.createdAt, id: last?.id });
      after = page.next;
    }
    throw new Error('paging never ended');
  }

  describe('listQueue', () => {
    it('an empty store has an empty queue and no next page', async () => {
      expect(await repo().listQueue({}, { limit: 10 })).toEqual({ tickets: [], next: null });
    });

    it('shows a ticket as a summary without claims or history', async () => {
      const ticket = await open({ language: 'en', channelId: 'msteams', reason: 'login_lockout', createdAt: day(3) });
      const assigned = await assign(ticket.id, 'agent-a');
      const page = await repo().listQueue({}, { limit: 10 });
      const expected: TicketSummary = {
        id: ticket.id,
        reason: 'login_lockout',
        language: 'en',
        channelId: 'msteams',
        status: 'awaiting_verification',
        assigneeId: 'agent-a',
        createdAt: day(3),
        updatedAt: assigned.updatedAt,
        version: 2,
        failedNotifications: 0,
      };
      expect(page).toEqual({ tickets: [expected], next: null });
    });

    it('lists newest first, tickets created at the same time by id, highest first', async () => {
      await open({ id: 'TFA-00000003' as TicketId, createdAt: day(2) });
      await open({ id: 'TFA-00000001' as TicketId, createdAt: day(1) });
      await open({ id: 'TFA-0000000Z' as TicketId, createdAt: day(2) });
      await open({ id: 'TFA-00000009' as TicketId, createdAt: day(3) });
      await open({ id: 'TFA-00000002' as TicketId, createdAt: day(1) });
      expect(await ids({})).toEqual(['TFA-00000009', 'TFA-0000000Z', 'TFA-00000003', 'TFA-00000002', 'TFA-00000001']);
    });

    describe('filters, alone and combined', () => {
      /** Five tickets that differ in every filtered attribute. */
      async function dataset() {
        const t1 = await open({ reason: 'phone_lost_no_backup', language: 'ja', channelId: 'webchat', createdAt: day(1) });
        const t2 = await open({ reason: 'login_lockout', language: 'en', channelId: 'msteams', createdAt: day(2) });
        const t3 = await open({ reason: 'customer_requested', language: 'en', channelId: 'webchat', createdAt: day(3) });
        const t4 = await open({ reason: 'app_lost_no_backup', language: 'ja', channelId: 'msteams', createdAt: day(4) });
        const t5 = await open({ reason: 'phone_number_changed', language: 'en', channelId: 'webchat', createdAt: day(5) });
        await moveTo(t2.id, 'verified');
        await moveTo(t3.id, 'closed');
        await moveTo(t4.id, 'verification_failed');
        await moveTo(t5.id, 'change_approved');
        await assign(t2.id, 'agent-a');
        await assign(t3.id, 'agent-b');
        await assign(t5.id, 'agent-a');
        return { t1: t1.id, t2: t2.id, t3: t3.id, t4: t4.id, t5: t5.id };
      }
      type Names = keyof Awaited<ReturnType<typeof dataset>>;

      const cases: { name: string; filter: QueueFilter; expected: Names[] }[] = [
        { name: 'no filter', filter: {}, expected: ['t5', 't4', 't3', 't2', 't1'] },
        { name: 'status (any of)', filter: { status: ['verified', 'closed'] }, expected: ['t3', 't2'] },
        { name: 'one status', filter: { status: ['awaiting_verification'] }, expected: ['t1'] },
        { name: 'reason (any of)', filter: { reason: ['login_lockout', 'app_lost_no_backup'] }, expected: ['t4', 't2'] },
        { name: 'language', filter: { language: 'en' }, expected: ['t5', 't3', 't2'] },
        { name: 'channel', filter: { channelId: 'msteams' }, expected: ['t4', 't2'] },
        { name: 'assignee', filter: { assigneeId: 'agent-a' }, expected: ['t5', 't2'] },
        { name: 'unassigned (null)', filter: { assigneeId: null }, expected: ['t4', 't1'] },
        { name: 'created from (inclusive)', filter: { createdFrom: day(4) }, expected: ['t5', 't4'] },
        { name: 'created to (exclusive)', filter: { createdTo: day(2) }, expected: ['t1'] },
        { name: 'created range', filter: { createdFrom: day(2), createdTo: day(4) }, expected: ['t3', 't2'] },
        {
          name: 'language + assignee + status',
          filter: { language: 'en', assigneeId: 'agent-a', status: ['verified', 'change_approved'] },
          expected: ['t5', 't2'],
        },
        {
          name: 'language + assignee + status + channel',
          filter: { language: 'en', assigneeId: 'agent-a', status: ['verified', 'change_approved'], channelId: 'webchat' },
          expected: ['t5'],
        },
        { name: 'reason + unassigned', filter: { reason: ['phone_lost_no_backup', 'login_lockout'], assigneeId: null }, expected: ['t1'] },
        { name: 'channel + created range', filter: { channelId: 'webchat', createdFrom: day(2), createdTo: day(6) }, expected: ['t5', 't3'] },
        { name: 'contradicting filters', filter: { language: 'ja', status: ['closed'] }, expected: [] },
      ];

      it.each(cases)('$name', async ({ filter, expected }) => {
        const t = await dataset();
        expect(await ids(filter)).toEqual(expected.map((n) => t[n]));
      });
    });

    describe('search (q)', () => {
      async function people() {
        const ja = await open({
          id: 'TFA-7K3M9Q2P' as TicketId,
          createdAt: day(3),
          claims: { ...CLAIMS, fullName: '山田 太郎', email: 'hanako.sato@example.com' },
        });
        const en = await open({
          id: 'TFA-7K3M0000' as TicketId,
          createdAt: day(2),
          claims: { ...CLAIMS, fullName: 'Taro Yamada', email: 'K.Tanaka@Example.org' },
        });
        const both = await open({
          id: 'TFA-AAAA1111' as TicketId,
          createdAt: day(1),
          claims: { ...CLAIMS, fullName: 'Ichiro Suzuki', email: 'ichiro@example.net' },
        });
        const kana = await open({
          id: 'TFA-BBBB2222' as TicketId,
          createdAt: day(4),
          claims: { ...CLAIMS, fullName: 'ヤマダ・タロウ', email: 'yamada.t@example.jp' },
        });
        return { ja: ja.id, en: en.id, both: both.id, kana: kana.id };
      }
      type Who = keyof Awaited<ReturnType<typeof people>>;

      const cases: { q: string; expected: Who[]; why: string }[] = [
        { q: 'TFA-7K3M9Q2P', expected: ['ja'], why: 'whole ticket number' },
        { q: 'tfa-7k3m', expected: ['ja', 'en'], why: 'ticket number prefix, lower case' },
        { q: 'ＴＦＡ－７Ｋ３Ｍ９', expected: ['ja'], why: 'ticket number prefix typed full-width' },
        { q: 'TFA-7K3M9Q2PX', expected: [], why: 'longer than any ticket number' },
        { q: 'hanako.sato@example.com', expected: ['ja'], why: 'whole e-mail' },
        { q: 'HANAKO.SATO@', expected: ['ja'], why: 'e-mail prefix, upper case' },
        { q: 'ｈａｎａｋｏ．ｓａｔｏ＠ｅｘａｍｐｌｅ．ｃｏｍ', expected: ['ja'], why: 'e-mail typed full-width' },
        { q: 'k.tanaka@example.org', expected: ['en'], why: 'e-mail stored with capitals' },
        { q: 'example.com', expected: [], why: 'the middle of an e-mail is not a prefix' },
        { q: '太郎', expected: ['ja'], why: 'given name part' },
        { q: '山田', expected: ['ja'], why: 'family name part' },
        { q: '山田太郎', expected: ['ja'], why: 'whole name without the space' },
        { q: '山田 太郎', expected: ['ja'], why: 'whole name as stored' },
        { q: '山田　太郎', expected: ['ja'], why: 'whole name with an ideographic space' },
        { q: '郎', expected: [], why: 'not the start of a name part' },
        { q: 'タロウ', expected: ['kana'], why: 'part after a middle dot' },
        { q: 'taro', expected: ['en'], why: 'English given name, lower case' },
        { q: 'YAM', expected: ['kana', 'en'], why: 'prefix of a family name and of an e-mail' },
        { q: 'Taro Yamada', expected: ['en'], why: 'whole English name' },
        { q: 'ｔａｒｏ', expected: ['en'], why: 'English name typed full-width' },
        { q: 'amada', expected: [], why: 'not a prefix' },
        { q: 'ichiro', expected: ['both'], why: 'name part and e-mail both match: listed once' },
        { q: '%', expected: [], why: 'SQL wildcard taken literally' },
        { q: '_', expected: [], why: 'SQL wildcard taken literally' },
        { q: "o'brien", expected: [], why: 'a quote is just a character' },
      ];

      it.each(cases)('q=$q finds $expected ($why)', async ({ q, expected }) => {
        const who = await people();
        expect(await ids({ q })).toEqual(expected.map((n) => who[n]));
      });

      it('combines with the other filters', async () => {
        const who = await people();
        await moveTo(who.en, 'verified');
        expect(await ids({ q: 'yam', status: ['verified'] })).toEqual([who.en]);
        expect(await ids({ q: 'yam', status: ['awaiting_verification'] })).toEqual([who.kana]);
        expect(await ids({ q: 'tfa-', createdFrom: day(2), createdTo: day(4) })).toEqual([who.ja, who.en]);
      });

      it('finds a ticket by its new claims after the customer resubmitted them, and not by the old ones', async () => {
        const who = await people();
        await repo().update(who.ja, (c) =>
          change(c, {
            status: 'awaiting_verification',
            verifiedBy: null,
            claims: { ...c.claims, fullName: '佐藤 花子', email: 'new.address@example.com' },
            history: { ...change(c).history, event: 'claims.resubmitted', to: 'awaiting_verification', actor: { kind: 'customer', id: 'user-1' } },
          }),
        );
        expect(await ids({ q: '花子' })).toEqual([who.ja]);
        expect(await ids({ q: 'new.address@' })).toEqual([who.ja]);
        expect(await ids({ q: '太郎' })).toEqual([]);
        expect(await ids({ q: 'hanako.sato' })).toEqual([]);
        expect(await ids({ q: 'TFA-7K3M9' })).toEqual([who.ja]);
      });
    });

    describe('paging', () => {
      /** Nine tickets, several sharing a creation time. */
      async function nine(): Promise<string[]> {
        const made: Ticket[] = [];
        const times = [day(1), day(2), day(2), day(2), day(3), day(4), day(4), day(5), day(2)];
        for (const [i, createdAt] of times.entries()) made.push(await open({ createdAt, language: i % 2 === 0 ? 'ja' : 'en' }));
        return made
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1))
          .map((t) => t.id);
      }

      it.each([1, 2, 3, 4, 8])('walks every ticket exactly once with limit %i, in order', async (limit) => {
        const expected = await nine();
        const { ids: seen, pages } = await allPages({}, limit);
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.ceil(expected.length / limit));
      });

      it('has no next page when the rest fits exactly', async () => {
        const expected = await nine();
        const page = await repo().listQueue({}, { limit: 9 });
        expect(page.tickets.map((t) => t.id)).toEqual(expected);
        expect(page.next).toBeNull();
        const bigger = await repo().listQueue({}, { limit: 100 });
        expect(bigger.next).toBeNull();
      });

      it('returns at most limit tickets and a cursor at the last one', async () => {
        const expected = await nine();
        const page = await repo().listQueue({}, { limit: 4 });
        expect(page.tickets.map((t) => t.id)).toEqual(expected.slice(0, 4));
        expect(page.next?.id).toBe(expected[3]);
      });

      it('pages a filtered query without gaps', async () => {
        await nine();
        const all = await ids({ language: 'en' });
        expect(all.length).toBe(4);
        expect((await allPages({ language: 'en' }, 3)).ids).toEqual(all);
      });

      it('stays stable while new tickets arrive: no duplicates, no gaps', async () => {
        const expected = await nine();
        const first = await repo().listQueue({}, { limit: 3 });
        const arrived = await open({ createdAt: day(9) });
        const seen = [...first.tickets.map((t) => t.id)];
        let after = first.next;
        while (after) {
          const page = await repo().listQueue({}, { limit: 3, after });
          seen.push(...page.tickets.map((t) => t.id));
          after = page.next;
        }
        expect(seen).toEqual(expected);
        expect(seen).not.toContain(arrived.id);
        expect((await ids({}))[0]).toBe(arrived.id);
      });
    });

    it('counts failed notifications per ticket (pending and delivered ones are not failures)', async () => {
      const { outbox } = current();
      const a = await open({ createdAt: day(2) });
      const b = await open({ createdAt: day(1) });
      for (const kind of ['verified', 'resolved', 'closed'] as const) {
        await repo().update(a.id, (c) => workChange(c, { notification: { kind, params: {} } }));
      }
      await repo().update(b.id, (c) => workChange(c, { notification: { kind: 'verified', params: {} } }));
      await repo().update(b.id, (c) => workChange(c, { notification: { kind: 'resolved', params: {} } }));
      const claimed = await outbox.claimDue(new Date('2030-01-01T00:00:00.000Z'), 100, 60_000);
      expect(claimed).toHaveLength(5);
      const [a1, a2, a3, b1, b2] = claimed;
      await outbox.markAttemptFailed(a1!.id, 'Error: down', null);
      await outbox.markDelivered(a2!.id, new Date('2030-01-01T00:00:01.000Z'));
      await outbox.markAttemptFailed(a3!.id, 'Error: down', new Date('2030-01-01T00:01:00.000Z'));
      await outbox.markAttemptFailed(b1!.id, 'Error: down', null);
      await outbox.markAttemptFailed(b2!.id, 'Error: down', null);
      const page = await repo().listQueue({}, { limit: 10 });
      expect(page.tickets.map((t) => [t.id, t.failedNotifications])).toEqual([
        [a.id, 1],
        [b.id, 2],
      ]);
      await outbox.requeue(b1!.id, new Date('2030-01-02T00:00:00.000Z'));
      expect((await repo().listQueue({ q: b.id }, { limit: 1 })).tickets[0]?.failedNotifications).toBe(1);
    });
  });

  describe('countByStatus', () => {
    const zero = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0]));

    it('reports every status, zero in an empty store', async () => {
      expect(await repo().countByStatus()).toEqual(zero);
    });

    it('follows creates and status changes, not work events or refused changes', async () => {
      const tickets = [await open(), await open(), await open(), await open()];
      expect(await repo().countByStatus()).toEqual({ ...zero, awaiting_verification: 4 });
      const [a, b, c] = tickets.map((t) => t.id);
      await moveTo(a!, 'verified');
      await moveTo(b!, 'verification_failed');
      await moveTo(a!, 'change_approved');
      await moveTo(c!, 'closed');
      expect(await repo().countByStatus()).toEqual({
        ...zero,
        awaiting_verification: 1,
        verification_failed: 1,
        change_approved: 1,
        closed: 1,
      });
      await assign(b!, 'agent-a');
      await repo()
        .update(a!, () => {
          throw new Error('refused');
        })
        .catch(() => undefined);
      await moveTo(a!, 'resolved');
      await moveTo(b!, 'awaiting_verification');
      expect(await repo().countByStatus()).toEqual({ ...zero, awaiting_verification: 2, resolved: 1, closed: 1 });
    });
  });
}
