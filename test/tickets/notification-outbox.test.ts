import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { SqliteNotificationOutbox } from '../../src/tickets/outbox/sqlite-notification-outbox.js';
import { SqliteTicketRepository } from '../../src/tickets/sqlite-ticket-repository.js';
import { describeNotificationOutboxContract } from './notification-outbox.contract.js';
import { tempDatabase } from './fixtures.js';

describeNotificationOutboxContract('memory', () => {
  const repository = new MemoryTicketRepository();
  return { repository, outbox: repository.outbox };
});

describeNotificationOutboxContract('sqlite (temp file)', () => {
  const { db, cleanup } = tempDatabase();
  return { repository: new SqliteTicketRepository(db), outbox: new SqliteNotificationOutbox(db), dispose: cleanup };
});
