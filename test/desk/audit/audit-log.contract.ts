/**
 * What every AuditLog must do, whatever stores it: keep each entry as given, list newest first
 * with filters and a cursor. Run by each implementation's test with a factory giving an empty log.
 */
import { describe, expect, it } from 'vitest';
import type { AuditLog, NewAuditEntry } from '../../../src/desk/audit/audit-log.js';

const entry = (overrides: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  at: '2026-11-30T09:00:00.000Z',
  agentId: 'agt_a',
  action: 'tickets.read',
  ticketId: 'TFA-AAAA1111',
  subjectId: null,
  sourceAddress: '203.0.113.7',
  outcome: 'ok',
  code: null,
  ...overrides,
});

export function auditLogContract(name: string, make: () => AuditLog): void {
  describe(`AuditLog contract: ${name}`, () => {
    it('keeps every field as given, ids increasing, listed newest first', async () => {
      const log = make();
      await log.record(entry());
      await log.record(entry({ agentId: null, action: 'agents.token.revoke', ticketId: null, subjectId: 'agt_b', sourceAddress: null, outcome: 'refused', code: 'forbidden' }));
      const listed = await log.list({ limit: 10 });
      expect(listed).toEqual([
        { id: expect.any(Number), ...entry({ agentId: null, action: 'agents.token.revoke', ticketId: null, subjectId: 'agt_b', sourceAddress: null, outcome: 'refused', code: 'forbidden' }) },
        { id: expect.any(Number), ...entry() },
      ]);
      expect(listed[0]!.id).toBeGreaterThan(listed[1]!.id);
    });

    it('filters by agent, action, ticket, outcome and time, alone and combined', async () => {
      const log = make();
      await log.record(entry({ at: '2026-11-30T09:00:00.000Z' }));
      await log.record(entry({ at: '2026-11-30T10:00:00.000Z', agentId: 'agt_b' }));
      await log.record(entry({ at: '2026-11-30T11:00:00.000Z', action: 'tickets.verify', outcome: 'refused', code: 'conflict' }));
      await log.record(entry({ at: '2026-11-30T12:00:00.000Z', ticketId: 'TFA-BBBB2222' }));
      const times = async (filter: Parameters<AuditLog['list']>[0]) => (await log.list(filter)).map((e) => e.at.slice(11, 13));
      expect(await times({ limit: 10, agentId: 'agt_b' })).toEqual(['10']);
      expect(await times({ limit: 10, action: 'tickets.verify' })).toEqual(['11']);
      expect(await times({ limit: 10, ticketId: 'TFA-BBBB2222' })).toEqual(['12']);
      expect(await times({ limit: 10, outcome: 'refused' })).toEqual(['11']);
      expect(await times({ limit: 10, since: '2026-11-30T10:00:00.000Z', until: '2026-11-30T12:00:00.000Z' })).toEqual(['11', '10']);
      expect(await times({ limit: 10, agentId: 'agt_a', action: 'tickets.read' })).toEqual(['12', '09']);
      expect(await times({ limit: 10, agentId: 'agt_a', outcome: 'ok', since: '2026-11-30T10:00:00.000Z' })).toEqual(['12']);
      expect(await times({ limit: 10, agentId: 'nobody' })).toEqual([]);
    });

    it('pages with limit and beforeId, without gaps or repeats', async () => {
      const log = make();
      for (let i = 0; i < 7; i++) await log.record(entry({ at: `2026-11-30T0${i}:00:00.000Z` }));
      const seen: string[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await log.list({ limit: 3, ...(beforeId === undefined ? {} : { beforeId }) });
        if (page.length === 0) break;
        seen.push(...page.map((e) => e.at.slice(11, 13)));
        beforeId = page[page.length - 1]!.id;
      }
      expect(seen).toEqual(['06', '05', '04', '03', '02', '01', '00']);
    });

    it('offers no way to change or delete an entry', () => {
      const log = make();
      const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(log)).filter((k) => k !== 'constructor');
      expect(methods.sort()).toEqual(['list', 'record']);
    });
  });
}
