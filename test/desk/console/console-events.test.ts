/**
 * Issue 11, the live queue's event stream (`GET /desk/events`): a changed ticket reaches open
 * queue pages as a `ticket` event (the row rendered for the agent, whether it fits the page's
 * filters, the new counts); heartbeats end streams whose session is over; no session, no stream;
 * stopping the app ends open streams instead of hanging. The feed is polled by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../helpers/http-app.js';
import { insertTicket, RAW_MARKUP, signedInAgent, startConsoleApp, XSS, type SignedInAgent } from './console-fixtures.js';

let running: RunningApp;
let agent: SignedInAgent;

beforeAll(async () => {
  running = await startConsoleApp();
  agent = await signedInAgent(running.app, 'agent', 'Live Agent');
});
afterAll(async () => running?.stop());

interface Stream {
  readonly status: number;
  readonly contentType: string;
  /** Resolves with the events read so far once `done` holds for them. */
  until(done: (events: StreamEvent[]) => boolean): Promise<StreamEvent[]>;
  close(): void;
}

interface StreamEvent {
  readonly event: string;
  readonly data: any;
}

async function openStream(base: string, who: SignedInAgent | null, query = ''): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/desk/events${query}`, { headers: who ? { Cookie: `${who.cookie}; desk_lang=en` } : {}, signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: StreamEvent[] = [];
  let ended = false;
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    async until(done) {
      while (!done(events)) {
        if (ended) throw new Error(`stream ended; events: ${JSON.stringify(events.map((e) => e.event))}`);
        const { value, done: finished } = await reader.read();
        if (finished) {
          ended = true;
          continue;
        }
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
      return events;
    },
    close: () => abort.abort(),
  };
}

describe('the live queue', () => {
  it('sends each changed ticket as a row for the page, with its fit to the filters and the counts', async () => {
    const all = await openStream(running.baseUrl, agent);
    const resolvedOnly = await openStream(running.baseUrl, agent, '?status=resolved');
    expect(all.status).toBe(200);
    expect(all.contentType).toContain('text/event-stream');
    try {
      const id = await insertTicket(running.app, { fullName: 'Live Customer', description: 'new' });
      await running.app.deskConsole.feed.poll();
      const [event] = (await all.until((events) => events.some((e) => e.data?.ticket?.id === id))).filter((e) => e.data?.ticket?.id === id);
      expect(event!.event).toBe('ticket');
      expect(event!.data).toMatchObject({ ticket: { id, status: 'awaiting_verification', version: 1 }, matches: true, added: `New ticket ${id}: Phone lost or broken (no backup)` });
      expect(event!.data.row).toMatch(new RegExp(`^<tr id="row-${id}" data-ticket-id="${id}" data-version="1"`));
      expect(event!.data.row).toContain('Awaiting verification');
      expect(event!.data.counts.open).toBeGreaterThanOrEqual(1);
      const other = (await resolvedOnly.until((events) => events.some((e) => e.data?.ticket?.id === id))).find((e) => e.data?.ticket?.id === id);
      expect(other!.data.matches).toBe(false);

      // A change to the same ticket: the row again, with the assignee by name (escaped like every name).
      const marked = await signedInAgent(running.app, 'agent', XSS.img);
      await running.app.agentTickets.assign(id, marked.id, marked.id);
      await running.app.deskConsole.feed.poll();
      const changed = (await all.until((events) => events.some((e) => e.data?.ticket?.id === id && e.data.ticket.version === 2))).find((e) => e.data?.ticket?.version === 2);
      expect(changed!.data.updated).toBe(`Ticket ${id} changed: Awaiting verification`);
      for (const raw of RAW_MARKUP) expect(changed!.data.row).not.toContain(raw);
      expect(changed!.data.row).toContain('&lt;img src=x onerror=alert(1)>');
    } finally {
      all.close();
      resolvedOnly.close();
    }
  });

  it('ends the stream of a session that ended (at the heartbeat), and refuses one without a session', async () => {
    const who = await signedInAgent(running.app, 'agent', 'Leaving Agent');
    const stream = await openStream(running.baseUrl, who);
    try {
      await running.app.deskConsole.events.heartbeat();
      await running.app.deskAuth.sessions.end(who.cookie.split('=')[1]!);
      await running.app.deskConsole.events.heartbeat();
      const events = await stream.until((all) => all.some((e) => e.event === 'end'));
      expect(events.find((e) => e.event === 'end')!.data).toEqual({ reason: 'signed_out' });
    } finally {
      stream.close();
    }
    const anonymous = await openStream(running.baseUrl, null);
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });

  it('stopping the app ends open streams instead of waiting for them', async () => {
    const other = await startConsoleApp();
    const who = await signedInAgent(other.app, 'agent');
    const stream = await openStream(other.baseUrl, who);
    expect(other.app.deskConsole.events.size).toBe(1);
    await other.stop();
    const events = await stream.until((all) => all.some((e) => e.event === 'end'));
    expect(events.at(-1)).toEqual({ event: 'end', data: { reason: 'shutdown' } });
  });
});
