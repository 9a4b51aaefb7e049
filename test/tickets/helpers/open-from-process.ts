/**
 * Child process for the multi-process idempotency test: opens the shared database file, prints
 * "ready" and waits for a line on stdin (the parent sends it once every process is ready, so they
 * collide), then calls findOrCreateOpen for `count` handoffs in order (`<prefix>-0`, `<prefix>-1`…),
 * twice each. Prints conversation, id and created flag as JSON after the "ready" line.
 */
import { once } from 'node:events';
import { openDatabase } from '../../../src/storage/database.js';
import { SqliteTicketRepository, migrations } from '../../../src/tickets/sqlite-ticket-repository.js';
import { newTicket } from '../fixtures.js';

const [file, prefix, countText] = process.argv.slice(2);
if (!file || !prefix || !countText) throw new Error('usage: file prefix count');

const db = openDatabase(file, migrations);
const repository = new SqliteTicketRepository(db);
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.destroy();
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
