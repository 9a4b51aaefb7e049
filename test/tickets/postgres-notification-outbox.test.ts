/**
 * The notification outbox contract on PostgreSQL, and dispatchers on two instances claiming from
 * one outbox at once: every notification is claimed exactly once (FOR UPDATE SKIP LOCKED).
 */
import { describe, expect, it } from 'vitest';
import { PostgresNotificationOutbox } from '../../src/tickets/outbox/postgres-notification-outbox.js';
import { PostgresTicketRepository, postgresTicketMigrations } from '../../src/tickets/postgres-ticket-repository.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { newTicket } from './fixtures.js';
import { describeNotificationOutboxContract } from './notification-outbox.contract.js';
import { workChange } from './repository-under-test.js';

describe.skipIf(skipPostgres())('PostgresNotificationOutbox', () => {
  const db = usePostgresSchema(postgresTicketMigrations);

  describeNotificationOutboxContract('postgres', () => ({
    repository: new PostgresTicketRepository(db.pool),
    outbox: new PostgresNotificationOutbox(db.pool),
  }));

  it('dispatchers on two instances never claim one notification twice', async () => {
    const other = poolIn(db.schema);
    try {
      const repo = new PostgresTicketRepository(db.pool);
      for (let t = 0; t < 5; t++) {
        const { ticket } = await repo.findOrCreateOpen(newTicket(), null);
        for (let i = 0; i < 8; i++) {
          await repo.update(ticket.id, (c) => workChange(c, { notification: { kind: 'verified', params: {} } }));
        }
      }
      const outboxes = [new PostgresNotificationOutbox(db.pool), new PostgresNotificationOutbox(other)];
      const now = new Date('2030-01-01T00:00:00.000Z');
      const claimed: number[] = [];
      // Each round, six claims of three race across both instances until nothing is left.
      for (let round = 0; round < 10; round++) {
        const batches = await Promise.all(Array.from({ length: 6 }, (_, i) => outboxes[i % 2]!.claimDue(now, 3, 60_000)));
        const ids = batches.flat().map((n) => n.id);
        if (ids.length === 0) break;
        claimed.push(...ids);
      }
      expect(claimed).toHaveLength(40);
      expect(new Set(claimed).size).toBe(40);
    } finally {
      await other.end();
    }
  });
});
