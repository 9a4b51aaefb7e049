/**
 * Child process for the multi-process idempotency test: opens the shared database file and, from
 * `startAt` (epoch ms, so the processes collide), calls findOrCreateOpen for `count` handoffs in
 * order (`<prefix>-0`, `<prefix>-1`…), twice each. Prints conversation, id and created flag as JSON.
 */
import { openDatabase } from '../../../src/storage/database.js';
import { SqliteTicketRepository, migrations } from '../../../src/tickets/sqlite-ticket-repository.js';
import { newTicket } from '../fixtures.js';

const [file, prefix, countText, startAtText] = process.argv.slice(2);
if (!file || !prefix || !countText || !startAtText) throw new Error('usage: file prefix count startAt');

const db = openDatabase(file, migrations);
const repository = new SqliteTicketRepository(db);
while (Date.now() < Number(startAtText)) {
  // Busy-wait: timers are too coarse to line the processes up.
}
const results: { conversationId: string; id: string; created: boolean }[] = [];
for (let i = 0; i < Number(countText); i++) {
  const conversationId = `${prefix}-${i}`;
  for (const activityId of [`${conversationId}-a`, `${conversationId}-b`]) {
    const r = await repository.findOrCreateOpen(newTicket({ conversationId }), activityId);
    results.push({ conversationId, id: r.ticket.id, created: r.created });
  }
}
db.close();
process.stdout.write(JSON.stringify(results));
