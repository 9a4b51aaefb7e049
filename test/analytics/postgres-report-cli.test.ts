/** `npm run report` with DATABASE_URL: the same figures from PostgreSQL as from SQLite (the seeded data set). */
import { describe, expect, it } from 'vitest';
import { runReportScript } from '../../scripts/report.js';
import { PostgresAnalyticsStore } from '../../src/analytics/postgres-analytics-store.js';
import type { Report } from '../../src/analytics/report.js';
import { ALL_POSTGRES_MIGRATIONS } from '../../src/app-foundation.js';
import { PostgresTicketRepository } from '../../src/tickets/postgres-ticket-repository.js';
import { skipPostgres, TEST_DATABASE_URL, usePostgresSchema } from '../helpers/postgres.js';
import { NOW, seedSessions, seedTickets, SINCE } from './report-data.js';

describe.skipIf(skipPostgres())('npm run report on PostgreSQL (DATABASE_URL set)', () => {
  const db = usePostgresSchema(ALL_POSTGRES_MIGRATIONS);

  it('prints the hand-computed figures of the seeded data set', async () => {
    await seedSessions(new PostgresAnalyticsStore(db.pool));
    await seedTickets(new PostgresTicketRepository(db.pool));
    let out = '';
    let err = '';
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-csearch_path=${db.schema}`)}`;
    const code = await runReportScript(['--since', SINCE.toISOString(), '--format', 'json'], {
      out: (t) => (out += t),
      err: (t) => (err += t),
      env: { DATABASE_URL: url, DATABASE_FILE: 'not-read.sqlite', LOG_LEVEL: 'silent' },
      now: () => NOW,
    });
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expect(report.outcomes).toEqual({ resolved: 2, handoff: 2, out_of_scope: 1, abandoned: 4, open: 2 });
    expect(report.abandonmentByStep).toEqual([
      { step: 'codeRejectedExpired', count: 2 },
      { step: 'checkApp', count: 1 },
      { step: 'resolvedZ', count: 1 },
    ]);
    expect(report.satisfaction).toEqual({
      solvedYes: 2,
      solvedNo: 1,
      resolutionRating: { count: 2, average: 4, distribution: [0, 0, 1, 0, 1] },
      ticketRating: { count: 1, average: 4, distribution: [0, 0, 0, 1, 0] },
    });
    expect(report.ticketWaiting).toEqual({ slaHours: 48, opened: 7, decidedWithinSla: 3, decidedOverSla: 1, waiting: 2, waitingOverSla: 1, medianHours: 10, p90Hours: 72 });
    expect(report.notUnderstood).toHaveLength(2);
  });
});
