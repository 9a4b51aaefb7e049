/**
 * tickets-004: tickets opened in the local web chat before it had its own channel id
 * ('directline' then, 'local-webchat' now) keep reaching their customer. Azure Direct Line's
 * tickets, which share the old id, are left as they are.
 */
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/storage/database.js';
import { SqliteTicketRepository, migrations } from '../../src/tickets/sqlite-ticket-repository.js';
import { newTicket, tempDatabase } from './fixtures.js';

describe('tickets-004: the local web chat channel id', () => {
  it('moves local web chat tickets, their activity keys and pending notifications to local-webchat, and leaves Azure Direct Line alone', async () => {
    const { db, cleanup } = tempDatabase();
    try {
      // tempDatabase applied every migration; start again from a database as it was before tickets-004.
      db.exec("DELETE FROM schema_migrations WHERE id = 'tickets-004'");
      const repo = new SqliteTicketRepository(db);
      const reference = (serviceUrl: string) => ({ conversation: { id: 'c' }, serviceUrl, channelId: 'directline', user: { id: 'dl_u' }, bot: { id: 'bot' } });
      const local = newTicket({ channelId: 'directline', userId: 'dl_u', conversationReference: reference('https://chat.example.com/v3/directline') });
      const azure = newTicket({ channelId: 'directline', userId: 'dl_u', conversationReference: reference('https://directline.botframework.com/') });
      await repo.findOrCreateOpen(local, 'act-local');
      await repo.findOrCreateOpen(azure, 'act-azure');
      const notify = db.prepare(
        `INSERT INTO ticket_notifications (ticket_id, kind, params, language, channel_id, conversation_reference, status, created_at, next_attempt_at)
         VALUES (?, 'ticket.verified', '{}', 'ja', 'directline', ?, 'pending', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
      );
      for (const t of [local, azure]) notify.run(t.id, JSON.stringify(t.conversationReference));

      applyMigrations(db, migrations);

      const stored = await repo.get(local.id);
      expect(stored?.channelId).toBe('local-webchat');
      expect(stored?.conversationReference).toMatchObject({ channelId: 'local-webchat', serviceUrl: 'https://chat.example.com/v3/directline' });
      expect((await repo.get(azure.id))?.channelId).toBe('directline');
      expect((await repo.get(azure.id))?.conversationReference).toMatchObject({ channelId: 'directline' });
      const channels = db.prepare('SELECT ticket_id, channel_id, json_extract(conversation_reference, \'$.channelId\') AS ref FROM ticket_notifications ORDER BY id').all();
      expect(channels).toEqual([
        { ticket_id: local.id, channel_id: 'local-webchat', ref: 'local-webchat' },
        { ticket_id: azure.id, channel_id: 'directline', ref: 'directline' },
      ]);
      expect(db.prepare('SELECT channel_id, activity_id FROM ticket_activity_keys ORDER BY activity_id').all()).toEqual([
        { channel_id: 'directline', activity_id: 'act-azure' },
        { channel_id: 'local-webchat', activity_id: 'act-local' },
      ]);
      // The customer's "ticket status" in the web chat (asked under the new id) finds the old ticket.
      expect((await repo.listForCustomer({ channelId: 'local-webchat', userId: 'dl_u' })).map((t) => t.id)).toEqual([local.id]);
    } finally {
      cleanup();
    }
  });
});
