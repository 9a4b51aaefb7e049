/**
 * The change feed as the live queue and the agents' alerts read it: every new or changed ticket is
 * told once per version, in order, from every repository; a change stamped before one already read
 * (a slower writer) is still told; a failing listener does not stop the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { TicketFeed } from '../../src/tickets/ticket-feed.js';
import type { TicketSummary } from '../../src/tickets/ticket-queue.js';
import { AGENT_A, harness, IMPLEMENTATIONS, type Harness } from './service-harness.js';

describe.each(IMPLEMENTATIONS)('ticket feed over the %s repository', (_name, makeStore) => {
  let h: Harness;
  afterEach(() => h.dispose());

  function follow(from: 'start' | 'now' = 'start') {
    const seen: TicketSummary[] = [];
    const feed = new TicketFeed({
      repository: h.repository,
      logger: silentLogger,
      now: () => new Date(Date.parse(h.tick(0))),
      ...(from === 'start' ? { from: null } : {}),
    });
    feed.subscribe((t) => void seen.push(t));
    return { feed, seen };
  }

  it('tells each new ticket and each change once, with its version, oldest first', async () => {
    h = harness(makeStore());
    const { feed, seen } = follow();
    const first = await h.ticketIn('awaiting_verification');
    h.tick();
    const second = await h.ticketIn('awaiting_verification');
    await feed.poll();
    expect(seen.map((t) => [t.id, t.version])).toEqual([
      [first.id, 1],
      [second.id, 1],
    ]);
    h.tick();
    await h.agents.verifyIdentity(first.id, AGENT_A);
    await feed.poll();
    await feed.poll();
    expect(seen.slice(2).map((t) => [t.id, t.status, t.version])).toEqual([[first.id, 'verified', 2]]);
  });

  it('starting "now" skips what happened before; a change stamped just before the last read is still told', async () => {
    h = harness(makeStore());
    await h.ticketIn('awaiting_verification');
    h.tick();
    const { feed, seen } = follow('now');
    await feed.poll();
    expect(seen).toEqual([]);
    h.tick(1000);
    const late = await h.ticketIn('awaiting_verification');
    await feed.poll();
    expect(seen.map((t) => t.id)).toEqual([late.id]);
  });

  it('a listener that throws does not keep the others from hearing', async () => {
    h = harness(makeStore());
    const { feed, seen } = follow();
    feed.subscribe(() => {
      throw new Error('boom');
    });
    await h.ticketIn('awaiting_verification');
    await feed.poll();
    expect(seen).toHaveLength(1);
  });
});
