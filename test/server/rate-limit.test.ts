/**
 * Rate limits: the limiter itself with an injected clock, the client address rules, and the web
 * chat routes through the whole app with requests from two loopback source addresses (on Linux
 * all of 127.0.0.0/8 is local, so a test can be two clients).
 */
import type { Request } from 'restify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { DeskService } from '../../src/desk/desk-service.js';
import { silentLogger } from '../../src/logger.js';
import { createDeskExecutor } from '../../src/server/desk-api-routes.js';
import { clientAddress, createRateLimits, RateLimiter } from '../../src/server/rate-limit.js';
import { startApp, tempDatabase, TEST_SECRET, type RunningApp } from '../channel/directline-server.js';
import { configRefusal } from '../helpers/config-refusal.js';
import { from } from '../helpers/from-address.js';

describe('RateLimiter', () => {
  it('allows a burst up to the limit, then refuses with the seconds until the next request is allowed', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
    // Another key has its own budget.
    expect(limiter.take('b').allowed).toBe(true);
    now += 15_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 5 });
    now += 5_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    // Refused requests do not dig the hole deeper: one refill later, one more is allowed.
    now += 20_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('never limits a customer typing quickly with the default settings (5 messages in 2 s, 30 in a minute)', () => {
    let now = 0;
    const limits = createRateLimits(loadConfig({}).rateLimits, () => now);
    const decisions: boolean[] = [];
    // Six bursts of five messages, each within two seconds, over one minute: 30 messages.
    for (let burst = 0; burst < 6; burst++) {
      for (let i = 0; i < 5; i++) {
        decisions.push(limits.messagesPerConversation.take('c:one').allowed && limits.messagesPerAddress.take('a:home').allowed);
        now += 400;
      }
      now += 8_000;
    }
    expect(decisions).toHaveLength(30);
    expect(decisions.every(Boolean)).toBe(true);
  });

  it('keeps memory bounded: idle keys are dropped first, then the least recently seen', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 2, windowMs: 1_000, maxKeys: 100, now: () => now });
    for (let i = 0; i < 1_000; i++) limiter.take(`flood-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // A key that used its budget long ago is full again: it holds nothing worth keeping.
    now += 10_000;
    limiter.take('busy');
    limiter.take('busy');
    for (let i = 0; i < 100; i++) limiter.take(`later-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.take('later-99').allowed).toBe(true);
    expect(limiter.take('later-99').allowed).toBe(false);
  });
});

describe('rate limit settings', () => {
  it('default to limits no normal use reaches, and refuse a zero, a negative or a fraction naming the key', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      tokensPerMinute: 60,
      conversationsPerMinute: 60,
      messagesPerMinute: 60,
      messagesPerMinutePerAddress: 600,
      deskSignInPerMinute: 30,
      trustProxy: 0,
    });
    expect(loadConfig({ RATE_LIMIT_MESSAGES_PER_MINUTE: '120', TRUST_PROXY: '1' }).rateLimits).toMatchObject({ messagesPerMinute: 120, trustProxy: 1 });
    expect(configRefusal({ RATE_LIMIT_MESSAGES_PER_MINUTE: '0' })).toContain('RATE_LIMIT_MESSAGES_PER_MINUTE');
    expect(configRefusal({ RATE_LIMIT_TOKENS_PER_MINUTE: '2.5' })).toContain('RATE_LIMIT_TOKENS_PER_MINUTE');
    expect(configRefusal({ TRUST_PROXY: '-1' })).toContain('TRUST_PROXY');
    expect(configRefusal({ RATE_LIMIT_DESK_SIGNIN_PER_MINUTE: 'many' })).toContain('RATE_LIMIT_DESK_SIGNIN_PER_MINUTE');
  });
});

describe('the desk audit budget for requests without a credential (the same limiter)', () => {
  it('records 60 anonymous refusals a minute per address and no more; another address and agents are recorded', async () => {
    const recorded: { agentId: string | null; sourceAddress: string | null }[] = [];
    const desk = { record: async (entry: { agentId: string | null; sourceAddress: string | null }) => void recorded.push(entry) } as unknown as DeskService;
    const executor = createDeskExecutor({ routes: [], desk, logger: silentLogger });
    for (let i = 0; i < 70; i++) await executor.refuse('listTickets', null, null, '203.0.113.1', 'unauthorized');
    await executor.refuse('listTickets', null, null, '203.0.113.2', 'unauthorized');
    await executor.refuse('listTickets', 'agt_known', null, '203.0.113.1', 'forbidden');
    expect(recorded.filter((e) => e.sourceAddress === '203.0.113.1' && e.agentId === null)).toHaveLength(60);
    expect(recorded.filter((e) => e.sourceAddress === '203.0.113.2')).toHaveLength(1);
    expect(recorded.filter((e) => e.agentId === 'agt_known')).toHaveLength(1);
  });
});

describe('clientAddress', () => {
  const req = (remoteAddress: string, xff?: string) => ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as Request;

  it('uses the connection’s address and ignores X-Forwarded-For unless told to trust proxies', () => {
    expect(clientAddress(req('10.0.0.5', '203.0.113.9'), 0)).toBe('10.0.0.5');
    expect(clientAddress(req('10.0.0.5'), 1)).toBe('10.0.0.5');
  });

  it('behind trusted proxies, takes the entry the outermost one wrote, never what the client wrote before it', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4" itself; our one proxy appended the real peer.
    expect(clientAddress(req('10.0.0.1', '1.2.3.4, 198.51.100.7'), 1)).toBe('198.51.100.7');
    expect(clientAddress(req('10.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.2'), 2)).toBe('198.51.100.7');
    // Fewer entries than proxies: the leftmost there is.
    expect(clientAddress(req('10.0.0.1', '198.51.100.7'), 2)).toBe('198.51.100.7');
  });
});

describe('rate limits on the web chat routes', () => {
  let running: RunningApp | undefined;
  let db: ReturnType<typeof tempDatabase> | undefined;
  afterEach(async () => {
    await running?.stop();
    db?.remove();
    running = undefined;
  });
  const start = async (env: Record<string, string>) => {
    db = tempDatabase();
    running = await startApp(db.file, env);
    return running.baseUrl;
  };

  it('limits a burst of token requests from one address with 429 and Retry-After, while another address is served', async () => {
    const base = await start({ RATE_LIMIT_TOKENS_PER_MINUTE: '3' });
    const generate = `${base}/v3/directline/tokens/generate`;
    for (let i = 0; i < 3; i++) expect((await from('127.0.0.2', generate)).status).toBe(200);
    const limited = await from('127.0.0.2', generate);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited', message: expect.any(String) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(20);
    expect(JSON.stringify(limited.body)).not.toMatch(/token"/);

    const other = await from('127.0.0.3', generate);
    expect(other.status).toBe(200);
    expect(other.body.token).toEqual(expect.any(String));
  });

  it('limits messages per conversation (not the customer’s other conversation) and per address', async () => {
    const base = await start({ RATE_LIMIT_MESSAGES_PER_MINUTE: '4', RATE_LIMIT_MESSAGES_PER_MINUTE_PER_ADDRESS: '8' });
    const open = async (address: string) => {
      const { token, conversationId } = (await from(address, `${base}/v3/directline/tokens/generate`)).body as { token: string; conversationId: string };
      expect((await from(address, `${base}/v3/directline/conversations`, { token, body: { locale: 'en-US' } })).status).toBe(201);
      return (text: string) => from(address, `${base}/v3/directline/conversations/${conversationId}/activities`, { token, body: { type: 'message', text } });
    };
    const first = await open('127.0.0.4');
    const second = await open('127.0.0.4');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await first(`help ${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // Same address, another conversation: its own budget, until the address's runs out (8 requests,
    // the refused one included: it reached the server all the same).
    expect((await second('help')).status).toBe(200);
    expect((await second('help')).status).toBe(200);
    expect((await second('help')).status).toBe(200);
    const byAddress = await second('help');
    expect(byAddress.status).toBe(429);
    expect(byAddress.headers['retry-after']).toMatch(/^\d+$/);
    // Another customer elsewhere is not affected.
    expect((await (await open('127.0.0.5'))('help')).status).toBe(200);
  });

  it('limits conversation starts per address', async () => {
    const base = await start({ RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '2' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await from('127.0.0.6', `${base}/v3/directline/conversations`, { token: TEST_SECRET })).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect((await from('127.0.0.7', `${base}/v3/directline/conversations`, { token: TEST_SECRET })).status).toBe(201);
  });

  it('believes X-Forwarded-For only with TRUST_PROXY', async () => {
    const generate = (base: string, client: string) => from('127.0.0.8', `${base}/v3/directline/tokens/generate`, { headers: { 'X-Forwarded-For': client } });
    let base = await start({ RATE_LIMIT_TOKENS_PER_MINUTE: '1', TRUST_PROXY: '1' });
    expect((await generate(base, '198.51.100.1')).status).toBe(200);
    expect((await generate(base, '198.51.100.1')).status).toBe(429);
    expect((await generate(base, '198.51.100.2')).status).toBe(200);
    await running!.stop();
    db!.remove();

    // Without it, a client cannot escape its limit by sending a different header each time.
    base = await start({ RATE_LIMIT_TOKENS_PER_MINUTE: '1' });
    expect((await generate(base, '198.51.100.1')).status).toBe(200);
    expect((await generate(base, '198.51.100.2')).status).toBe(429);
  });
});

describe('rate limit on /api/messages (Bot Framework channels)', () => {
  it('limits messages per conversation with 429 and Retry-After; another conversation is served', async () => {
    const db = tempDatabase();
    const running = await startApp(db.file, { RATE_LIMIT_MESSAGES_PER_MINUTE: '3' });
    try {
      const post = async (conversation: string, n: number) => {
        const res = await fetch(`${running.baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `${conversation}-${n}`,
            channelId: 'emulator',
            serviceUrl: 'http://127.0.0.1:1',
            deliveryMode: 'expectReplies',
            conversation: { id: conversation },
            from: { id: `user-${conversation}`, role: 'user' },
            recipient: { id: 'bot', role: 'bot' },
            locale: 'en-US',
            text: 'help',
          }),
        });
        await res.text();
        return { status: res.status, retryAfter: res.headers.get('retry-after') };
      };
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await post('busy', i)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await post('busy', 5)).retryAfter).toMatch(/^\d+$/);
      expect((await post('calm', 0)).status).toBe(200);
    } finally {
      await running.stop();
      db.remove();
    }
  });
});

describe('the desk audit trail behind trusted proxies', () => {
  it('records the address the proxy saw (X-Forwarded-For) with TRUST_PROXY, and the connection’s own without it', async () => {
    for (const [trust, expected] of [['1', '203.0.113.7'], ['0', '127.0.0.1']] as const) {
      const db = tempDatabase();
      const running = await startApp(db.file, { TRUST_PROXY: trust });
      try {
        const res = await fetch(`${running.baseUrl}/api/desk/tickets`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
        expect(res.status).toBe(401);
        const rows = running.app.db.prepare("SELECT source_address AS address FROM desk_audit WHERE outcome = 'refused'").all() as { address: string }[];
        expect(rows.map((r) => r.address.replace(/^::ffff:/, ''))).toEqual([expected]);
      } finally {
        await running.stop();
        db.remove();
      }
    }
  });
});
