/**
 * Web chat as its client sees it: over the local Direct Line routes, the time from posting a
 * message to the first reply of the bot seen when reading the conversation's activities (read
 * right after the post returns, then every 5 ms until the reply is there). Web Chat itself, with
 * polling, reads every `pollingInterval` (1 s by default), which adds up to that much on top.
 */
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
}

export async function webChatLatency(origin: string, samples: number): Promise<WebChatLatency> {
  const json = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const res = await fetch(`${origin}${BASE}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const times: number[] = [];
  let reads = 0;
  const texts = ['SMS code not arriving', 'SMSが届きません', 'start over', 'I lost my phone', '最初から', 'the code is rejected'];
  for (let i = 0; times.length < samples; i++) {
    // A conversation per five messages, as customers come and go.
    const token = (await json('/tokens/generate', { method: 'POST' })) as { token: string; conversationId: string; userId: string };
    const started = (await json('/conversations', { method: 'POST', token: token.token, body: JSON.stringify({ locale: i % 2 ? 'ja-JP' : 'en-US' }) })) as { conversationId: string };
    let watermark = String((await json(`/conversations/${started.conversationId}/activities`, { token: token.token })).watermark);
    for (let m = 0; m < 5 && times.length < samples; m++) {
      const begin = performance.now();
      await json(`/conversations/${started.conversationId}/activities`, {
        method: 'POST',
        token: token.token,
        body: JSON.stringify({ type: 'message', from: { id: token.userId }, text: texts[(i + m) % texts.length] }),
      });
      for (;;) {
        reads++;
        const page = (await json(`/conversations/${started.conversationId}/activities?watermark=${watermark}`, { token: token.token })) as { activities: Activity[]; watermark: string };
        watermark = page.watermark;
        if (page.activities.some((a) => a.from?.role === 'bot' || (a.from?.id !== token.userId && a.type === 'message'))) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - begin);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { samples: times.length, p50: at(0.5), p99: at(0.99), readsPerReply: reads / times.length };
}
