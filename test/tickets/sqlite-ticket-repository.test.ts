import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { SqliteNotificationOutbox } from '../../src/tickets/outbox/sqlite-notification-outbox.js';
import { SqliteTicketRepository, migrations } from '../../src/tickets/sqlite-ticket-repository.js';
import { describeTicketRepositoryContract } from './ticket-repository.contract.js';
import { newTicket, tempDatabase } from './fixtures.js';

describeTicketRepositoryContract('sqlite (temp file)', () => {
  const { db, cleanup } = tempDatabase();
  return { repository: new SqliteTicketRepository(db), outbox: new SqliteNotificationOutbox(db), dispose: cleanup };
});

describe('SqliteTicketRepository specifics', () => {
  it('keeps tickets across reopening the file, and migrations apply once', async () => {
    const { db, file, cleanup } = tempDatabase();
    try {
      const draft = newTicket();
      await new SqliteTicketRepository(db).findOrCreateOpen(draft, 'act-1');
      db.close();
      const reopened = openDatabase(file, migrations);
      const stored = await new SqliteTicketRepository(reopened).get(draft.id);
      expect(stored?.claims).toEqual(draft.claims);
      expect(reopened.prepare("SELECT id, count(*) AS n FROM schema_migrations WHERE id LIKE 'tickets-%' GROUP BY id").all()).toEqual([
        { id: 'tickets-001', n: 1 },
        { id: 'tickets-002', n: 1 },
        { id: 'tickets-003', n: 1 },
        { id: 'tickets-004', n: 1 },
      ]);
      reopened.close();
    } finally {
      cleanup();
    }
  });

  it('refuses UPDATE and DELETE on ticket_history even through raw SQL', async () => {
    const { db, cleanup } = tempDatabase();
    try {
      const draft = newTicket();
      await new SqliteTicketRepository(db).findOrCreateOpen(draft, null);
      expect(() => db.prepare("UPDATE ticket_history SET note = 'forged'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM ticket_history').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT count(*) AS n FROM ticket_history').get()).toEqual({ n: 1 });
    } finally {
      cleanup();
    }
  });

  it('enforces one open ticket per conversation and reason in the schema itself', async () => {
    const { db, cleanup } = tempDatabase();
    try {
      const draft = newTicket();
      await new SqliteTicketRepository(db).findOrCreateOpen(draft, null);
      expect(() =>
        db
          .prepare(
            `INSERT INTO tickets (id, reason, language, status, channel_id, user_id, conversation_id,
               conversation_reference, claims, path, steps_tried, created_at, updated_at)
             SELECT 'TFA-ZZZZZZZZ', reason, language, status, channel_id, user_id, conversation_id,
               conversation_reference, claims, path, steps_tried, created_at, updated_at FROM tickets`,
          )
          .run(),
      ).toThrow(/UNIQUE/);
    } finally {
      cleanup();
    }
  });
});
