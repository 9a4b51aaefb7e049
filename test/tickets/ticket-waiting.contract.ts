/**
 * The reports' waiting-time query of the TicketRepository contract (listWaitingTimes), run from
 * describeTicketRepositoryContract against every implementation.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Ticket, TicketStatus } from '../../src/tickets/ticket.js';
import { newTicket } from './fixtures.js';
import { change, workChange, type RepositoryUnderTest } from './repository-under-test.js';

const at = (day: number, hour = 0): string => `2025-02-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export function describeTicketWaitingContract(current: () => RepositoryUnderTest): void {
  const repo = () => current().repository;

  async function open(createdAt: string, overrides: Parameters<typeof newTicket>[0] = {}): Promise<Ticket> {
    return (await repo().findOrCreateOpen(newTicket({ createdAt, ...overrides }), null)).ticket;
  }

  async function move(ticket: Ticket, event: HistoryEntry['event'], to: TicketStatus, when: string, actor: HistoryEntry['actor'] = { kind: 'agent', id: 'agent-a' }): Promise<void> {
    await repo().update(ticket.id, (c) => change(c, { status: to, history: { at: when, actor, event, from: c.status, to, note: null, detail: null } }));
  }

  describe('listWaitingTimes', () => {
    it('gives each ticket opened in the period its first agent decision, oldest first', async () => {
      const verified = await open(at(3, 9));
      await repo().update(verified.id, (c) => workChange(c, { assigneeId: 'agent-a', history: { ...workChange(c).history, at: at(3, 10), event: 'ticket.assigned' } }));
      await move(verified, 'identity.verified', 'verified', at(3, 12));
      await move(verified, 'ticket.closed', 'closed', at(4, 12));
      const rejected = await open(at(2, 8), { language: 'en', channelId: 'msteams' });
      await move(rejected, 'identity.rejected', 'verification_failed', at(5, 8));
      const waiting = await open(at(6));
      const cancelled = await open(at(7));
      await move(cancelled, 'ticket.closed', 'closed', at(7, 1), { kind: 'customer', id: 'user-1' });
      await open(at(1, 23)); // before the period
      await open(at(10)); // at its end: excluded

      const rows = await repo().listWaitingTimes({ since: at(2), until: at(10) });
      expect(rows).toEqual([
        { id: rejected.id, language: 'en', channelId: 'msteams', status: 'verification_failed', createdAt: at(2, 8), firstDecisionAt: at(5, 8) },
        { id: verified.id, language: 'ja', channelId: 'webchat', status: 'closed', createdAt: at(3, 9), firstDecisionAt: at(3, 12) },
        { id: waiting.id, language: 'ja', channelId: 'webchat', status: 'awaiting_verification', createdAt: at(6), firstDecisionAt: null },
        // The customer's own cancellation is no agent decision.
        { id: cancelled.id, language: 'ja', channelId: 'webchat', status: 'closed', createdAt: at(7), firstDecisionAt: null },
      ]);
    });

    it('filters by language and channel', async () => {
      const ja = await open(at(3));
      const en = await open(at(3, 1), { language: 'en', channelId: 'msteams' });
      await open(at(3, 2), { language: 'en' });
      const ids = async (filter: { language?: 'ja' | 'en'; channelId?: string }) =>
        (await repo().listWaitingTimes({ since: at(1), until: at(28), ...filter })).map((r) => r.id);
      expect(await ids({ language: 'ja' })).toEqual([ja.id]);
      expect(await ids({ channelId: 'msteams' })).toEqual([en.id]);
      expect(await ids({ language: 'en', channelId: 'webchat' })).toHaveLength(1);
      expect(await ids({ language: 'ja', channelId: 'msteams' })).toEqual([]);
    });
  });
}
