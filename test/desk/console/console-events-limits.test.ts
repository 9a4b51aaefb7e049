/**
 * The live queue's limits, on ConsoleEvents alone (a feed the test drives, responses that record
 * what was written): streams per session, streams in all (503 with Retry-After), the session check
 * before each event, and what every stream shares computed once per change.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { ConsoleEvents, type LiveStream } from '../../../src/desk/console/console-events.js';
import type { TicketFeed } from '../../../src/tickets/ticket-feed.js';
import type { TicketSummary } from '../../../src/tickets/ticket-queue.js';

class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  written = '';
  writableEnded = false;
  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string) {
    this.written += chunk;
    return true;
  }
  end(chunk = '') {
    this.written += chunk;
    this.writableEnded = true;
    this.emit('close');
    return this;
  }
}

function setUp(options: { maxPerSession?: number; maxStreams?: number } = {}) {
  let listener: ((t: TicketSummary) => Promise<void>) | null = null;
  const feed = { subscribe: (l: (t: TicketSummary) => Promise<void>) => ((listener = l), () => (listener = null)) } as unknown as TicketFeed;
  const events = new ConsoleEvents({ feed, logger: silentLogger, heartbeatMs: 3_600_000, ...options });
  events.start();
  const change = (id: string) => listener!({ id } as TicketSummary);
  return { events, change };
}

function stream(sessionKey: string, o: Partial<LiveStream> = {}): LiveStream {
  return { sessionKey, signedIn: async () => true, render: async (ticket) => ({ id: ticket.id }), ...o };
}

const open = (events: ConsoleEvents, s: LiveStream) => {
  const res = new FakeResponse();
  const accepted = events.open(res as unknown as ServerResponse, s);
  return { res, accepted };
};

describe('live queue limits', () => {
  it('a fourth stream of one session ends its oldest with a reason; other sessions are not touched', () => {
    const { events } = setUp();
    const a = [0, 1, 2, 3].map(() => open(events, stream('session-a')));
    const b = open(events, stream('session-b'));
    expect(a.every((x) => x.accepted && x.res.status === 200)).toBe(true);
    expect(a[0]!.res.writableEnded).toBe(true);
    expect(a[0]!.res.written).toContain('event: end\ndata: {"reason":"too_many_streams"}');
    expect(a.slice(1).some((x) => x.res.writableEnded)).toBe(false);
    expect(b.res.writableEnded).toBe(false);
    expect(events.size).toBe(4);
  });

  it('beyond the server-wide limit answers 503 with Retry-After, but a session at its own limit may still replace its oldest', () => {
    const { events } = setUp({ maxStreams: 3, maxPerSession: 2 });
    open(events, stream('a'));
    const a2 = open(events, stream('a'));
    open(events, stream('b'));
    const refused = open(events, stream('c'));
    expect(refused.accepted).toBe(false);
    expect(refused.res.status).toBe(503);
    expect(refused.res.headers['Retry-After']).toBe('30');
    expect(refused.res.writableEnded).toBe(true);
    expect(events.size).toBe(3);
    const a3 = open(events, stream('a'));
    expect(a3.accepted).toBe(true);
    expect(a2.res.writableEnded).toBe(false);
    expect(events.size).toBe(3);
  });

  it('checks the session before each event and ends the stream instead of sending the ticket', async () => {
    const { events, change } = setUp();
    let valid = true;
    let rendered = 0;
    const { res } = open(events, stream('a', { signedIn: async () => valid, render: async (t) => (rendered++, { id: t.id }) }));
    await change('T1');
    expect(res.written).toContain('"id":"T1"');
    valid = false;
    await change('T2');
    expect(res.written).not.toContain('"id":"T2"');
    expect(res.written).toContain('event: end\ndata: {"reason":"signed_out"}');
    expect(rendered).toBe(1);
    expect(events.size).toBe(0);
  });

  it('hands every stream the same per-change cache, fresh for each change', async () => {
    const { events, change } = setUp();
    let computed = 0;
    const s = stream('x', { render: async (t, shared) => ({ id: t.id, n: await shared.once('n', async () => ++computed) }) });
    const responses = [0, 1, 2].map((i) => open(events, { ...s, sessionKey: `s${i}` }).res);
    await change('T1');
    await change('T2');
    expect(computed).toBe(2);
    for (const res of responses) expect(res.written).toContain('"id":"T2","n":2');
  });
});
