/**
 * Issue 11, the live queue's event stream (`GET /desk/events`): a changed ticket reaches open
 * queue pages as a `ticket` event (the row rendered for the agent, whether it fits the page's
 * filters, the new counts); heartbeats end streams whose session is over; no session, no stream;
 * stopping the app ends open streams instead of hanging. The feed is polled by the test.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
      expect(event!.data).toMatchObject({ ticket: { id, status: 'awaiting_verification', version: 1 }, matches: true, added: `New ticket ${id}: Phone lost or broken (no usable backup)` });
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

  it('a disabled agent gets no further ticket: the session is checked before each event, not only at the heartbeat', async () => {
    const who = await signedInAgent(running.app, 'agent', 'Disabled Agent');
    const stream = await openStream(running.baseUrl, who);
    try {
      await running.app.deskConsole.events.heartbeat();
      await running.app.deskAuth.agents.setActive(who.id, false);
      const id = await insertTicket(running.app, { fullName: 'Not For Disabled', description: 'after disabling' });
      await running.app.deskConsole.feed.poll();
      await running.app.deskConsole.events.heartbeat();
      const events = await stream.until((all) => all.some((e) => e.event === 'end'));
      expect(events.filter((e) => e.event === 'ticket' && e.data.ticket.id === id)).toEqual([]);
      expect(events.find((e) => e.event === 'end')!.data).toEqual({ reason: 'signed_out' });
    } finally {
      stream.close();
    }
  });

  it('a session keeps at most 3 streams: a 4th ends the oldest, and other sessions keep theirs', async () => {
    const who = await signedInAgent(running.app, 'agent', 'Many Tabs');
    const other = await signedInAgent(running.app, 'agent', 'One Tab');
    const { events } = running.app.deskConsole;
    const before = events.size;
    const otherStream = await openStream(running.baseUrl, other);
    const tabs = [];
    try {
      for (let i = 0; i < 4; i++) tabs.push(await openStream(running.baseUrl, who));
      const first = await tabs[0]!.until((all) => all.some((e) => e.event === 'end'));
      expect(first.find((e) => e.event === 'end')!.data).toEqual({ reason: 'too_many_streams' });
      expect(events.size).toBe(before + 4);
      // The others (and the other session's stream) still get changes.
      const id = await insertTicket(running.app, { fullName: 'Tab Customer', description: 'tabs' });
      await running.app.deskConsole.feed.poll();
      for (const s of [...tabs.slice(1), otherStream]) await s.until((all) => all.some((e) => e.data?.ticket?.id === id));
    } finally {
      for (const s of [...tabs, otherStream]) s.close();
    }
  });

  it('computes the counts and the agent list once per change, not once per stream', async () => {
    const streams = [];
    for (let i = 0; i < 3; i++) streams.push(await openStream(running.baseUrl, await signedInAgent(running.app, 'agent')));
    const run = vi.spyOn(running.app.deskApi, 'run');
    const list = vi.spyOn(running.app.deskAuth.agents, 'list');
    try {
      const id = await insertTicket(running.app, { fullName: 'Shared Customer', description: 'shared' });
      await running.app.deskConsole.feed.poll();
      for (const s of streams) await s.until((all) => all.some((e) => e.data?.ticket?.id === id));
      expect(run.mock.calls.filter(([op]) => op === 'listTickets')).toHaveLength(1);
      expect(list).toHaveBeenCalledTimes(1);
    } finally {
      run.mockRestore();
      list.mockRestore();
      for (const s of streams) s.close();
    }
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

describe('refused console requests are audited like the API', () => {
  const refusals = async () => {
    const admin = { agent: { id: 'agt_audit_reader', role: 'admin' as const, displayName: 'a' }, sourceAddress: null };
    return running.app.desk.listAudit(admin as never, { outcome: 'refused', limit: 500 });
  };

  it('a stream asked for without a session (401) is recorded as a refused listTickets', async () => {
    const before = (await refusals()).filter((e) => e.action === 'listTickets' && e.code === 'unauthorized').length;
    const anonymous = await openStream(running.baseUrl, null);
    expect(anonymous.status).toBe(401);
    anonymous.close();
    const after = (await refusals()).filter((e) => e.action === 'listTickets' && e.code === 'unauthorized');
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({ agentId: null, ticketId: null, outcome: 'refused' });
  });

  it('a form posted without a valid session is recorded with its operation, and the ticket only when the id is one', async () => {
    const id = await insertTicket(running.app, { fullName: 'No Session', description: 'form' });
    const post = (path: string) =>
      fetch(`${running.baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: `desk_session=${'A'.repeat(43)}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'version=1',
      });
    const verify = await post(`/desk/tickets/${id.toLowerCase()}/verify`);
    expect(verify.status).toBe(303);
    expect(verify.headers.get('location')).toMatch(/^\/desk\/login/);
    expect((await post('/desk/tickets/not-a-ticket/note')).status).toBe(303);
    expect((await post(`/desk/agents/${agent.id}`)).status).toBe(303);
    const entries = await refusals();
    expect(entries.find((e) => e.action === 'verifyIdentity' && e.code === 'unauthorized')).toMatchObject({ agentId: null, ticketId: id });
    expect(entries.find((e) => e.action === 'addNote' && e.code === 'unauthorized')).toMatchObject({ agentId: null, ticketId: null });
    expect(entries.find((e) => e.action === 'updateAgent' && e.code === 'unauthorized')).toMatchObject({ agentId: null, ticketId: null });
  });
});
