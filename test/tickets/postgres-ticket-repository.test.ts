/**
 * The ticket repository contract (with the queue and the change feed) on PostgreSQL, and what only
 * a shared server adds: two pools standing for two bot instances racing for one handoff and one
 * ticket, the append-only history and the one-open-ticket rule enforced by the schema itself.
 */
import { describe, expect, it } from 'vitest';
import { PostgresNotificationOutbox } from '../../src/tickets/outbox/postgres-notification-outbox.js';
import { PostgresTicketRepository, postgresTicketMigrations } from '../../src/tickets/postgres-ticket-repository.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { newConversationId, newTicket } from './fixtures.js';
import { change, closeChange } from './repository-under-test.js';
import { describeTicketRepositoryContract } from './ticket-repository.contract.js';

describe.skipIf(skipPostgres())('PostgresTicketRepository', () => {
  const db = usePostgresSchema(postgresTicketMigrations);

  describeTicketRepositoryContract('postgres', () => ({
    repository: new PostgresTicketRepository(db.pool),
    outbox: new PostgresNotificationOutbox(db.pool),
  }));

  describe('on a shared server', () => {
    it('two instances opening the same handoff at once make one ticket', async () => {
      const other = poolIn(db.schema);
      try {
        const a = new PostgresTicketRepository(db.pool);
        const b = new PostgresTicketRepository(other);
        const conversationId = newConversationId();
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).findOrCreateOpen(newTicket({ conversationId }), `act-${i}`)),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      } finally {
        await other.end();
      }
    });

    it('two instances changing one ticket from the same version: one wins, one history line', async () => {
      const other = poolIn(db.schema);
      try {
        const a = new PostgresTicketRepository(db.pool);
        const b = new PostgresTicketRepository(other);
        const { ticket } = await a.findOrCreateOpen(newTicket(), null);
        const results = await Promise.allSettled([
          a.update(ticket.id, (c) => change(c), { expectedVersion: 1 }),
          b.update(ticket.id, closeChange, { expectedVersion: 1 }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await b.get(ticket.id))?.history).toHaveLength(2);
      } finally {
        await other.end();
      }
    });

    it('refuses UPDATE, DELETE and TRUNCATE of ticket_history even through raw SQL', async () => {
      await new PostgresTicketRepository(db.pool).findOrCreateOpen(newTicket(), null);
      await expect(db.pool.query("UPDATE ticket_history SET note = 'forged'")).rejects.toThrow(/append-only/);
      await expect(db.pool.query('DELETE FROM ticket_history')).rejects.toThrow(/append-only/);
      await expect(db.pool.query('TRUNCATE ticket_history CASCADE')).rejects.toThrow(/append-only/);
      expect((await db.pool.query('SELECT count(*)::int AS n FROM ticket_history')).rows).toEqual([{ n: 1 }]);
    });

    it('enforces one open ticket per conversation and reason in the schema itself', async () => {
      await new PostgresTicketRepository(db.pool).findOrCreateOpen(newTicket(), null);
      await expect(
        db.pool.query(
          `INSERT INTO tickets (id, reason, language, status, channel_id, user_id, conversation_id,
             conversation_reference, claims, path, steps_tried, created_at, updated_at)
           SELECT 'TFA-ZZZZZZZZ', reason, language, status, channel_id, user_id, conversation_id,
             conversation_reference, claims, path, steps_tried, created_at, updated_at FROM tickets`,
        ),
      ).rejects.toMatchObject({ code: '23505', constraint: 'tickets_one_open_per_handoff' });
    });
  });
});
