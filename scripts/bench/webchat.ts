/**
 * Web chat as its client sees it, over the local Direct Line routes, both ways a client can read:
 *
 * - polling: the time from posting a message to the first reply of the bot seen when reading the
 *   conversation's activities (read right after the post returns, then every 5 ms until the reply
 *   is there). A real polling client reads every `pollingInterval` (1 s in Web Chat), which adds up
 *   to that much on top.
 * - stream (what Web Chat uses): the conversation's WebSocket (`streamUrl`) is open; the time from
 *   posting to the ActivitySet carrying the bot's reply. No reads: the server pushes it.
 */
import WebSocket from 'ws';

const BASE = '/v3/directline';

interface Activity {
  readonly from?: { id?: string; role?: string };
  readonly type?: string;
}

export interface WebChatLatency {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly readsPerReply: number;
  /** Post to the reply arriving over the conversation's WebSocket stream. */
  readonly stream: { readonly samples: number; readonly p50: number; readonly p99: number };
}

const TEXTS = ['SMS code not arriving', 'SMSが届きません', 'start over', 'I lost my phone', '最初から', 'the code is rejected'];
const isReply = (userId: string) => (a: Activity) => a.from?.role === 'bot' || (a.from?.id !== userId && a.type === 'message');

export async function webChatLatency(origin: string, samples: number): Promise<WebChatLatency> {
  const polled = await pollingLatency(origin, samples);
  const stream = await streamLatency(origin, samples);
  return { ...polled, stream };
}

function client(origin: string) {
  return async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(`${origin}${BASE}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
}

/** A conversation per five messages, as customers come and go. */
async function startConversation(json: ReturnType<typeof client>, i: number) {
  const token = (await json('/tokens/generate', { method: 'POST' })) as { token: string; conversationId: string; userId: string };
  const started = (await json('/conversations', { method: 'POST', token: token.token, body: JSON.stringify({ locale: i % 2 ? 'ja-JP' : 'en-US' }) })) as { conversationId: string; streamUrl: string };
  return { token: token.token, userId: token.userId, id: started.conversationId, streamUrl: started.streamUrl };
}

async function pollingLatency(origin: string, samples: number): Promise<Omit<WebChatLatency, 'stream'>> {
  const json = client(origin);
  const times: number[] = [];
  let reads = 0;
  for (let i = 0; times.length < samples; i++) {
    const c = await startConversation(json, i);
    let watermark = String((await json(`/conversations/${c.id}/activities`, { token: c.token })).watermark);
    for (let m = 0; m < 5 && times.length < samples; m++) {
      const begin = performance.now();
      await json(`/conversations/${c.id}/activities`, {
        method: 'POST',
        token: c.token,
        body: JSON.stringify({ type: 'message', from: { id: c.userId }, text: TEXTS[(i + m) % TEXTS.length] }),
      });
      for (;;) {
        reads++;
        const page = (await json(`/conversations/${c.id}/activities?watermark=${watermark}`, { token: c.token })) as { activities: Activity[]; watermark: string };
        watermark = page.watermark;
        if (page.activities.some(isReply(c.userId))) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - begin);
    }
  }
  return { samples: times.length, ...percentiles(times), readsPerReply: reads / times.length };
}

async function streamLatency(origin: string, samples: number): Promise<WebChatLatency['stream']> {
  const json = client(origin);
  const times: number[] = [];
  for (let i = 0; times.length < samples; i++) {
    const c = await startConversation(json, i);
    const ws = new WebSocket(c.streamUrl);
    let waiting: (() => void) | undefined;
    let replies = 0;
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === '') return;
      const set = JSON.parse(text) as { activities: Activity[] };
      replies += set.activities.filter(isReply(c.userId)).length;
      waiting?.();
    });
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    // The welcome first: it was stored before the stream opened and comes at once.
    await until(() => replies > 0, () => new Promise<void>((r) => (waiting = r)));
    for (let m = 0; m < 5 && times.length < samples; m++) {
      const seen = replies;
      const begin = performance.now();
      const arrived = until(() => replies > seen, () => new Promise<void>((r) => (waiting = r)));
      await json(`/conversations/${c.id}/activities`, {
        method: 'POST',
        token: c.token,
        body: JSON.stringify({ type: 'message', from: { id: c.userId }, text: TEXTS[(i + m) % TEXTS.length] }),
      });
      await arrived;
      times.push(performance.now() - begin);
    }
    ws.close();
  }
  return { samples: times.length, ...percentiles(times) };
}

/** Waits (next message at a time) until `done`; 10 s at most, which would be a failure of the stream. */
async function until(done: () => boolean, next: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('web chat stream: no reply within 10 s');
    await Promise.race([next(), new Promise((r) => setTimeout(r, 1000))]);
  }
}

function percentiles(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}
