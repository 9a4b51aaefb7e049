/** The analytics store contract on PostgreSQL, and two instances writing one conversation's turns at once. */
import { describe, expect, it } from 'vitest';
import { PostgresAnalyticsStore, postgresAnalyticsMigrations } from '../../src/analytics/postgres-analytics-store.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { analyticsStoreContract, minute, turn } from './analytics-store.contract.js';

describe.skipIf(skipPostgres())('PostgresAnalyticsStore', () => {
  const db = usePostgresSchema(postgresAnalyticsMigrations);

  analyticsStoreContract('PostgreSQL', () => new PostgresAnalyticsStore(db.pool));

  it('two instances recording one conversation at once keep one session (the per-conversation lock)', async () => {
    const other = poolIn(db.schema, 4);
    try {
      const a = new PostgresAnalyticsStore(db.pool);
      const b = new PostgresAnalyticsStore(other);
      const batches = Array.from({ length: 10 }, (_, i) => [turn('k1', i, { flow: 'troubleshooting', step: `s${i}` }), turn(`x${i}`, i, { flow: 'troubleshooting', step: 'start' })]);
      await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? a : b).record(batch)));
      const sessions = await a.sessionsStarted({ since: minute(-1), until: minute(100) });
      expect(sessions.filter((s) => s.keyHash === 'k1')).toHaveLength(1);
      expect(sessions.find((s) => s.keyHash === 'k1')!.turns).toBe(10);
      expect(sessions).toHaveLength(11);
    } finally {
      await other.end();
    }
  });
});
