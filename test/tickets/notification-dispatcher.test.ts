/**
 * The dispatcher as the customer experiences it: a message arrives exactly once, even when the
 * connector is down for a while or two bot instances deliver from one database; failures are
 * retried on the configured schedule and end as `failed`, visible to agents. Time is injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/logger.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { NotificationDispatcher, type DispatcherOptions } from '../../src/tickets/outbox/notification-dispatcher.js';
import type { NotificationOutbox } from '../../src/tickets/outbox/notification-outbox.js';
import type { OutboxNotification } from '../../src/tickets/outbox/notification.js';
import { SqliteNotificationOutbox } from '../../src/tickets/outbox/sqlite-notification-outbox.js';
import { SqliteTicketRepository, migrations } from '../../src/tickets/sqlite-ticket-repository.js';
import type { TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { TicketId } from '../../src/tickets/ticket.js';
import { newTicket, tempDatabase } from './fixtures.js';
import { workChange } from './repository-under-test.js';

const T0 = Date.parse('2025-04-01T00:00:00.000Z');
const MESSAGE = '登録のメールアドレスに届いた確認番号ではなく、生年月日を教えてください。';

/** A clock the test moves by hand. */
function manualClock(start = T0) {
  let ms = start;
  return { now: () => new Date(ms), advance: (d: number) => (ms += d), get ms() { return ms; } };
}

/** Queues one info request for a fresh ticket, as an agent's change would. */
async function queueInfoRequest(repository: TicketRepository, when: number = T0): Promise<TicketId> {
  const { ticket } = await repository.findOrCreateOpen(newTicket(), null);
  await repository.update(ticket.id, (c) =>
    workChange(c, {
      notification: { kind: 'info_requested', params: { message: MESSAGE } },
      history: { ...workChange(c).history, event: 'info.requested', note: MESSAGE, at: new Date(when).toISOString() },
    }),
  );
  return ticket.id;
}

/**
 * A connector that is down for the first `failures` attempts, recording when each attempt came
 * and what the customer actually received.
 */
function flakyConnector(clock: { now: () => Date }, failures: number, error: () => Error = () => new Error('connector down')) {
  const attempts: number[] = [];
  const received: OutboxNotification[] = [];
  return {
    attempts,
    received,
    deliver: async (n: OutboxNotification) => {
      attempts.push(clock.now().getTime() - T0);
      if (attempts.length <= failures) throw error();
      received.push(n);
    },
  };
}

/** Calls runOnce every `stepMs` from now until `untilMs` after T0. */
async function runFor(dispatcher: NotificationDispatcher, clock: ReturnType<typeof manualClock>, untilMs: number, stepMs = 250) {
  for (; clock.ms <= T0 + untilMs; clock.advance(stepMs)) await dispatcher.runOnce();
}

function dispatcher(outbox: NotificationOutbox, options: Partial<DispatcherOptions> & Pick<DispatcherOptions, 'deliver' | 'now'>) {
  return new NotificationDispatcher({ outbox, logger: silentLogger, baseDelayMs: 1_000, maxDelayMs: 60_000, leaseMs: 30_000, ...options });
}

describe('connector down, then up', () => {
  it('the customer gets the message exactly once, after retries at 1 s, 2 s and 4 s', async () => {
    const repository = new MemoryTicketRepository();
    const ticketId = await queueInfoRequest(repository);
    const clock = manualClock();
    const connector = flakyConnector(clock, 3);
    const d = dispatcher(repository.outbox, { deliver: connector.deliver, now: clock.now, maxAttempts: 5 });

    await runFor(d, clock, 60 * 60_000);

    expect(connector.attempts).toEqual([0, 1_000, 3_000, 7_000]);
    expect(connector.received).toHaveLength(1);
    expect(connector.received[0]).toMatchObject({ ticketId, kind: 'info_requested', params: { message: MESSAGE } });
    expect(await repository.outbox.listForTicket(ticketId)).toMatchObject([
      { status: 'delivered', attempts: 4, deliveredAt: new Date(T0 + 7_000).toISOString(), lastError: null },
    ]);
  });

  it('caps the backoff at maxDelayMs, gives up after maxAttempts with the last error, and delivers no more', async () => {
    const repository = new MemoryTicketRepository();
    const ticketId = await queueInfoRequest(repository);
    const clock = manualClock();
    let n = 0;
    const connector = flakyConnector(clock, Infinity, () => new Error(`connector down (${++n})`));
    const d = dispatcher(repository.outbox, { deliver: connector.deliver, now: clock.now, maxAttempts: 6, maxDelayMs: 3_000 });

    await runFor(d, clock, 60 * 60_000);

    expect(connector.attempts).toEqual([0, 1_000, 3_000, 6_000, 9_000, 12_000]);
    expect(connector.received).toEqual([]);
    expect(await repository.outbox.listForTicket(ticketId)).toMatchObject([
      { status: 'failed', attempts: 6, lastError: 'Error: connector down (6)', deliveredAt: null },
    ]);
    const queue = await repository.listQueue({}, { limit: 10 });
    expect(queue.tickets[0]).toMatchObject({ id: ticketId, failedNotifications: 1 });
  });

  it('an agent requeues a failed notification and it is delivered once the connector is back', async () => {
    const repository = new MemoryTicketRepository();
    const ticketId = await queueInfoRequest(repository);
    const clock = manualClock();
    const connector = flakyConnector(clock, 2);
    const d = dispatcher(repository.outbox, { deliver: connector.deliver, now: clock.now, maxAttempts: 2 });
    await runFor(d, clock, 10_000);
    const [failed] = await repository.outbox.listForTicket(ticketId);
    expect(failed?.status).toBe('failed');

    await repository.outbox.requeue(failed!.id, clock.now());
    await runFor(d, clock, 20_000);

    expect(connector.received).toHaveLength(1);
    expect(connector.attempts).toHaveLength(3);
    expect((await repository.listQueue({}, { limit: 1 })).tickets[0]?.failedNotifications).toBe(0);
  });

  it('delivers after the lease when a dispatcher died holding the claim', async () => {
    const repository = new MemoryTicketRepository();
    const ticketId = await queueInfoRequest(repository);
    await repository.outbox.claimDue(new Date(T0), 10, 30_000); // claimed, then the process died
    const clock = manualClock();
    const connector = flakyConnector(clock, 0);
    const d = dispatcher(repository.outbox, { deliver: connector.deliver, now: clock.now, leaseMs: 30_000 });

    await runFor(d, clock, 60_000);

    expect(connector.attempts).toEqual([30_000]);
    expect(await repository.outbox.listForTicket(ticketId)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
  });
});

describe('what is stored and logged about a failure', () => {
  it('keeps the error name and message, never the text the connector was asked to send', async () => {
    const repository = new MemoryTicketRepository();
    const ticketId = await queueInfoRequest(repository);
    const clock = manualClock();
    // Shaped like a Bot Connector RestError: the request and response bodies carry the activity text.
    const restError = (): Error =>
      Object.assign(new Error('Conversation not found.'), {
        name: 'RestError',
        statusCode: 404,
        request: { body: JSON.stringify({ type: 'message', text: MESSAGE }) },
        response: { bodyAsText: JSON.stringify({ error: { message: 'not found' }, echo: MESSAGE }) },
      });
    const logLines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
    const connector = flakyConnector(clock, Infinity, restError);
    const d = new NotificationDispatcher({
      outbox: repository.outbox,
      deliver: connector.deliver,
      logger,
      now: clock.now,
      maxAttempts: 2,
      baseDelayMs: 1_000,
    });

    await runFor(d, clock, 10_000);

    const [stored] = await repository.outbox.listForTicket(ticketId);
    expect(stored).toMatchObject({ status: 'failed', lastError: 'RestError: Conversation not found.' });
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of [stored?.lastError ?? '', ...logLines]) {
      expect(text).not.toContain(MESSAGE);
      expect(text).not.toContain('生年月日');
    }
  });
});

describe('two dispatchers on one SQLite file', () => {
  let cleanup: (() => void) | undefined;
  let second: SqliteDatabase | undefined;
  afterEach(() => {
    second?.close();
    cleanup?.();
    second = undefined;
    cleanup = undefined;
  });

  it('running concurrently, they deliver each notification exactly once, retries included', async () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    second = openDatabase(temp.file, migrations);
    const repository = new SqliteTicketRepository(temp.db);
    const tickets: TicketId[] = [];
    for (let i = 0; i < 30; i++) tickets.push(await queueInfoRequest(repository));

    const clock = manualClock();
    const deliveries = new Map<number, string[]>();
    const attemptsSeen = new Map<number, number>();
    const deliverAs = (who: string) => async (n: OutboxNotification) => {
      // Yield so the other dispatcher runs while this delivery is in flight.
      await new Promise((resolve) => setImmediate(resolve));
      const attempt = (attemptsSeen.get(n.id) ?? 0) + 1;
      attemptsSeen.set(n.id, attempt);
      // Every third notification hits a connector hiccup on its first attempt.
      if (n.id % 3 === 0 && attempt === 1) throw new Error('connector hiccup');
      deliveries.set(n.id, [...(deliveries.get(n.id) ?? []), who]);
    };
    const options = { now: clock.now, batchSize: 4, maxAttempts: 3 };
    const a = dispatcher(new SqliteNotificationOutbox(temp.db), { ...options, deliver: deliverAs('a') });
    const b = dispatcher(new SqliteNotificationOutbox(second), { ...options, deliver: deliverAs('b') });

    for (let round = 0; round < 8; round++, clock.advance(1_000)) await Promise.all([a.runOnce(), b.runOnce()]);

    const outbox = new SqliteNotificationOutbox(second);
    const rows = (await Promise.all(tickets.map((t) => outbox.listForTicket(t)))).flat();
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(deliveries.size).toBe(30);
    expect([...deliveries.values()].every((by) => by.length === 1)).toBe(true);
    const by = [...deliveries.values()].flat();
    expect(by.filter((w) => w === 'a').length).toBeGreaterThan(0);
    expect(by.filter((w) => w === 'b').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(10);
  });
});

describe('running on its own', () => {
  it('start() delivers what is due at once, not at the next poll; stop() waits for the round to settle', async () => {
    const repository = new MemoryTicketRepository();
    const ticketId = await queueInfoRequest(repository);
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    const d = dispatcher(repository.outbox, {
      now: () => new Date(T0),
      pollMs: 3_600_000,
      deliver: async () => delivered(),
    });
    d.start();
    await done;
    await d.stop();
    expect(await repository.outbox.listForTicket(ticketId)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });
});
