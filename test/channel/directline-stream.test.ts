/**
 * Web chat's WebSocket stream through the whole app (SQLite): replies arrive without polling,
 * a reconnect from a watermark gets only what is newer, refusals, bounds and shutdown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DirectLine, type Activity as ClientActivity } from 'botframework-directlinejs';
import { call, startApp, tempDatabase, type RunningApp } from './directline-server.js';
import { StreamClient, streamStatus } from './stream-client.js';

let running: RunningApp | undefined;
let removeDb: (() => void) | undefined;
const clients: { close(): void }[] = [];

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await running?.stop();
  running = undefined;
  removeDb?.();
});

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  const db = tempDatabase();
  removeDb = db.remove;
  running = await startApp(db.file, env);
  return running;
}

/** A started conversation: its token and the streamUrl of the start answer. */
async function conversation(app: RunningApp, locale = 'en-US') {
  const generated = await call(app.baseUrl, 'POST', '/v3/directline/tokens/generate');
  const started = await call(app.baseUrl, 'POST', '/v3/directline/conversations', { token: generated.body.token, body: { locale } });
  expect(started.status).toBe(201);
  return { token: generated.body.token as string, userId: generated.body.userId as string, id: started.body.conversationId as string, streamUrl: started.body.streamUrl as string };
}

function open(url: string): StreamClient {
  const client = new StreamClient(url);
  clients.push(client);
  return client;
}

/** Counts the polls (GET …/activities) the server answers. */
function countPolls(app: RunningApp): () => number {
  let polls = 0;
  app.app.server.server.on('request', (req) => {
    if (req.method === 'GET' && /\/activities(\?|$)/.test(req.url ?? '')) polls++;
  });
  return () => polls;
}

const botTexts = (all: readonly { from?: { role?: string }; text?: string; type?: string }[]) =>
  all.filter((a) => a.type === 'message' && a.from?.role === 'bot').map((a) => a.text ?? '');

describe('web chat stream', () => {
  it('delivers the welcome, the echo and the reply to a posted message without any poll', async () => {
    const app = await start();
    const polls = countPolls(app);
    const c = await conversation(app);
    expect(c.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/v3/directline/conversations/${c.id}/stream\\?t=`));
    // The token itself never goes into a URL.
    expect(c.streamUrl).not.toContain(c.token);
    const stream = open(c.streamUrl);
    await stream.waitFor((all) => botTexts(all).length > 0);
    const welcome = botTexts(stream.activities).length;

    const posted = await call(app.baseUrl, 'POST', `/v3/directline/conversations/${c.id}/activities`, {
      token: c.token,
      body: { type: 'message', text: 'SMS code not arriving', from: { id: c.userId }, channelData: { clientActivityID: 'client-1' } },
    });
    expect(posted.status).toBe(200);
    const all = await stream.waitFor((a) => botTexts(a).length > welcome);
    const echo = all.find((a) => a.from?.id === c.userId);
    expect(echo).toMatchObject({ text: 'SMS code not arriving', channelData: { clientActivityID: 'client-1' } });
    expect(all.findIndex((a) => a === echo)).toBeLessThan(all.findIndex((a, i) => i > 0 && a.from?.role === 'bot' && a.replyToId === echo!.id));
    // Watermarks only go up, and every message says where it ended.
    const marks = stream.sets.map((s) => Number(s.watermark));
    expect(marks).toEqual([...marks].sort((a, b) => a - b));
    expect(app.app.directLine.channel.openStreams()).toBe(1);
    expect(polls()).toBe(0);
  });

  it('behind https (PUBLIC_BASE_URL) the streamUrl is wss on the public host, whatever Host a proxy passed', async () => {
    const app = await start({ PUBLIC_BASE_URL: 'https://chat.example.com' });
    const c = await conversation(app);
    expect(c.streamUrl).toMatch(new RegExp(`^wss://chat\\.example\\.com/v3/directline/conversations/${c.id}/stream\\?t=`));
  });

  it("names the stream's origin in the page's connect-src (older Safari does not count ws: as 'self')", async () => {
    const app = await start();
    const page = await fetch(`${app.baseUrl}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${app.baseUrl.replace('http:', 'ws:')};`);
    await app.stop();
    removeDb?.();
    const https = await start({ PUBLIC_BASE_URL: 'https://chat.example.com' });
    expect((await fetch(`${https.baseUrl}/`)).headers.get('content-security-policy')).toContain("connect-src 'self' wss://chat.example.com;");
  });

  it("works with Microsoft's Direct Line client in its default (WebSocket) mode", async () => {
    const app = await start();
    const polls = countPolls(app);
    const generated = await call(app.baseUrl, 'POST', '/v3/directline/tokens/generate');
    const received: ClientActivity[] = [];
    // The client streams only where a global WebSocket exists (a browser; Node 22), else it polls.
    const g = globalThis as { WebSocket?: unknown };
    const had = g.WebSocket;
    g.WebSocket ??= WebSocket;
    clients.push({ close: () => void (g.WebSocket = had) });
    const dl = new DirectLine({ domain: `${app.baseUrl}/v3/directline`, token: generated.body.token, webSocket: true, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
    const seen = new Promise<void>((resolve) => {
      const sub = dl.activity$.subscribe((a) => {
        received.push(a);
        if (botTexts(received as never).length >= 2 && received.some((r) => r.from.id === generated.body.userId)) resolve();
      });
      clients.push({ close: () => (sub.unsubscribe(), dl.end()) });
    });
    await new Promise<void>((resolve, reject) => {
      dl.postActivity({ type: 'message', text: 'I lost my phone', from: { id: generated.body.userId } } as ClientActivity).subscribe({ next: () => resolve(), error: reject });
    });
    await seen;
    expect(polls()).toBe(0);
  });

  it('a reconnect from a watermark gets only newer activities', async () => {
    const app = await start();
    const c = await conversation(app);
    const first = open(c.streamUrl);
    await first.waitFor((all) => botTexts(all).length > 0);
    const watermark = first.sets.at(-1)!.watermark;
    first.close();
    await call(app.baseUrl, 'POST', `/v3/directline/conversations/${c.id}/activities`, {
      token: c.token,
      body: { type: 'message', text: 'start over', from: { id: c.userId } },
    });
    const resumed = await call(app.baseUrl, 'GET', `/v3/directline/conversations/${c.id}?watermark=${watermark}`, { token: c.token });
    expect(resumed.body.streamUrl).toContain(`watermark=${watermark}`);
    const second = open(resumed.body.streamUrl);
    const all = await second.waitFor((a) => a.some((x) => x.from?.id === c.userId) && botTexts(a).length > 0);
    const oldIds = new Set(first.activities.map((a) => a.id));
    expect(all.filter((a) => oldIds.has(a.id))).toEqual([]);
    expect(all[0]).toMatchObject({ text: 'start over', from: { id: c.userId } });
  });

  it('refuses a missing or forged ticket (401), the token itself (401), another conversation (403), an unknown one (404)', async () => {
    const app = await start();
    const a = await conversation(app);
    const b = await conversation(app);
    const base = a.streamUrl.split('?')[0]!;
    expect(await streamStatus(base)).toBe(401);
    expect(await streamStatus(`${base}?t=not-a-ticket`)).toBe(401);
    expect(await streamStatus(`${base}?t=${a.token}`)).toBe(401);
    const ticketOfB = new URL(b.streamUrl).searchParams.get('t')!;
    expect(await streamStatus(`${base}?t=${ticketOfB}`)).toBe(403);
    const [, rest] = a.streamUrl.split(`/conversations/${a.id}`);
    expect(await streamStatus(`${a.streamUrl.split('/conversations/')[0]}/conversations/AAAAAAAAAAAAAAAAAAAAAAAA${rest}`)).toBe(403);
    // B's stream never carried A's activities, and A's token in a header opens only A's.
    expect(await streamStatus(b.streamUrl.split('?')[0]!, { Authorization: `Bearer ${a.token}` })).toBe(403);
    expect(await streamStatus(base, { Authorization: `Bearer ${a.token}` })).toBe(101);
    expect(app.app.directLine.channel.openStreams()).toBe(0);
  });

  it('an ended conversation closes its streams and refuses new ones (404)', async () => {
    const app = await start();
    const c = await conversation(app);
    const stream = open(c.streamUrl);
    await stream.waitFor((all) => botTexts(all).length > 0);
    await call(app.baseUrl, 'POST', `/v3/directline/conversations/${c.id}/activities`, { token: c.token, body: { type: 'endOfConversation', from: { id: c.userId } } });
    expect(await stream.closed).toBe(1000);
    expect(await streamStatus(c.streamUrl)).toBe(404);
  });

  it('bounds the streams per conversation and in all (429), and gives a place back when a stream closes', async () => {
    const app = await start({ WEBCHAT_STREAMS_PER_CONVERSATION: '1', WEBCHAT_STREAMS_MAX: '2' });
    const a = await conversation(app);
    const first = open(a.streamUrl);
    await first.opened;
    expect(await streamStatus(a.streamUrl)).toBe(429);
    const b = await conversation(app);
    await open(b.streamUrl).opened;
    const c = await conversation(app);
    expect(await streamStatus(c.streamUrl)).toBe(429);
    first.close();
    await first.closed;
    await expect.poll(() => app.app.directLine.channel.openStreams()).toBe(1);
    expect(await streamStatus(c.streamUrl)).toBe(101);
  });

  it('closes open streams on shutdown (1001) without waiting for the grace period', async () => {
    const app = await start();
    const c = await conversation(app);
    const stream = open(c.streamUrl);
    await stream.waitFor((all) => botTexts(all).length > 0);
    const began = Date.now();
    await app.stop();
    running = undefined;
    expect(await stream.closed).toBe(1001);
    expect(Date.now() - began).toBeLessThan(3000);
  });

  it('a client that stops answering pings is closed at the next keep-alive round', async () => {
    const app = await start();
    const c = await conversation(app);
    // A connection that died without closing answers no ping.
    const stream = new StreamClient(c.streamUrl, undefined, { autoPong: false });
    clients.push(stream);
    await stream.opened;
    await app.app.directLine.channel.streams.tick();
    await app.app.directLine.channel.streams.tick();
    await expect.poll(() => app.app.directLine.channel.openStreams()).toBe(0);
  });
});
