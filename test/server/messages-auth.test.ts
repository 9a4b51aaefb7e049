/**
 * /api/messages in authenticated mode (a MicrosoftAppId set) over real HTTP, without the network:
 * Bot Framework's signing keys come from a key pair made here, handed to botbuilder through its
 * own metadata cache under the real metadata URL (everything else is botbuilder's own validation).
 * Forged tokens of every kind get 401 with one fixed body and a structured log line; keys that
 * cannot be read give 503; a good token for an allowed service URL gets the bot's answer.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postActivity, startApp, type HttpAnswer, type RunningApp } from '../helpers/http-app.js';

const APP_ID = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/jp/';
const KID = 'test-signing-key';

type MetadataCache = Map<string, { getKey(kid: string): Promise<{ key: string; endorsements?: string[] } | null> }>;
// Not exported by the package: botbuilder 4.23's own module (the same instance its validation uses).
const { JwtTokenExtractor } = createRequire(import.meta.url)('botframework-connector/lib/auth/jwtTokenExtractor.js') as {
  JwtTokenExtractor: { openIdMetadataCache: MetadataCache };
};
const metadataCache = JwtTokenExtractor.openIdMetadataCache;

const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** What the fake metadata does: serve the key, or fail as an unreachable login.botframework.com does. */
let keysReachable = true;

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function jwt(claims: Record<string, unknown>, options: { key?: KeyObject | null; kid?: string; alg?: string } = {}): string {
  const alg = options.alg ?? 'RS256';
  const head = `${b64url({ alg, typ: 'JWT', kid: options.kid ?? KID })}.${b64url(claims)}`;
  if (options.key === null) return `${head}.`;
  const signature = createSign('RSA-SHA256').update(head).sign(options.key ?? signing.privateKey);
  return `${head}.${signature.toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
/** The claims of a Bot Framework channel token for this bot and service URL. */
const channelClaims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, nbf: now() - 60, exp: now() + 3600, ...extra });

let running: RunningApp;
let n = 0;

beforeAll(async () => {
  metadataCache.set(METADATA_URL, {
    async getKey(kid) {
      if (!keysReachable) throw Object.assign(new Error('request to https://login.botframework.com failed, reason: getaddrinfo ENOTFOUND'), { name: 'FetchError' });
      if (kid !== KID) return null;
      return { key: signing.publicKey.export({ type: 'spki', format: 'pem' }).toString(), endorsements: ['msteams'] };
    },
  });
  running = await startApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-password' });
});
afterAll(async () => {
  metadataCache.delete(METADATA_URL);
  await running?.stop();
});

function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: 'message',
    id: `auth-${n}`,
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: 'teams-user', name: 'User' },
    recipient: { id: `28:${APP_ID}`, name: 'Bot' },
    conversation: { id: `a:auth-${n}`, conversationType: 'personal' },
    locale: 'en-US',
    text: 'hello',
    deliveryMode: 'expectReplies',
    ...extra,
  };
}

const post = (token: string | null, extra: Record<string, unknown> = {}) =>
  postActivity(running.baseUrl, activity(extra), token === null ? {} : { Authorization: token.startsWith('Bearer') || token === '' ? token : `Bearer ${token}` });

function expectUnauthorized(answer: HttpAnswer): void {
  expect(answer.status, answer.text).toBe(401);
  expect(answer.json).toEqual({ code: 'unauthorized', message: 'Unauthorized' });
}

/** The app's own log: JSON lines only, the refusal among them. */
function refusalsLogged(): Record<string, unknown>[] {
  const lines = running.logs.join('').split('\n').filter((l) => l.trim() !== '');
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'bot framework request refused');
}

describe('forged and invalid tokens → 401 with a fixed body', () => {
  const forged: [string, () => string | null][] = [
    ['no Authorization header', () => null],
    ['an empty Authorization header', () => ''],
    ['"Bearer garbage"', () => 'Bearer garbage'],
    ['another scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['an unsigned token (alg none)', () => jwt(channelClaims(), { key: null, alg: 'none' })],
    ['a token signed with another key under the real key id', () => jwt(channelClaims(), { key: stranger.privateKey })],
    ['a token signed with another key under an unknown key id', () => jwt(channelClaims(), { key: stranger.privateKey, kid: 'unknown' })],
    ['a token not valid yet (nbf in an hour)', () => jwt(channelClaims({ nbf: now() + 3600 }))],
    ['an expired token', () => jwt(channelClaims({ nbf: now() - 7200, exp: now() - 3600 }))],
    ['a token for another bot', () => jwt(channelClaims({ aud: '11111111-2222-4333-8444-555555555555' }))],
    ['a token from another issuer', () => jwt(channelClaims({ iss: 'https://evil.example.com' }))],
    ['a token for another service URL', () => jwt(channelClaims({ serviceurl: 'https://smba.trafficmanager.net/amer/' }))],
  ];

  it.each(forged)('%s', async (name, token) => {
    running.logs.length = 0;
    const value = token();
    const answer = await post(value);
    expectUnauthorized(answer);
    // Nothing of the library's message or the token goes back.
    expect(answer.text).not.toMatch(/jwt|signature|token|Error|claim/i);
    const logged = refusalsLogged();
    expect(logged, name).toHaveLength(1);
    expect(logged[0]).toMatchObject({ status: 401, channel: 'msteams', reason: 'token_refused' });
    if (value && value.length > 20) expect(running.logs.join('')).not.toContain(value.replace(/^Bearer /, ''));
  });

  it('a token whose signing key does not endorse the activity\'s channel (the key is for msteams; the activity says webchat)', async () => {
    expectUnauthorized(await post(jwt(channelClaims()), { channelId: 'webchat' }));
  });

  it('a good token for a service URL the token names, but another one in the activity', async () => {
    expectUnauthorized(await post(jwt(channelClaims()), { serviceUrl: 'https://smba.trafficmanager.net/emea/' }));
  });
});

describe('a good token', () => {
  it('for an allowed service URL → the bot answers (200 with the replies)', async () => {
    const answer = await post(jwt(channelClaims()), { type: 'conversationUpdate', membersAdded: [{ id: 'teams-user' }], text: undefined });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as { activities: unknown[] }).activities.length).toBeGreaterThan(0);
  });

  it('for a service URL off the allow-list (the token names it too) → 403, the bot never runs', async () => {
    const evil = 'https://bots.evil.example/';
    running.logs.length = 0;
    const answer = await post(jwt(channelClaims({ serviceurl: evil })), { serviceUrl: evil });
    expect(answer.status, answer.text).toBe(403);
    expect(answer.json).toEqual({ code: 'forbidden', message: 'Service URL not allowed' });
    expect(refusalsLogged()[0]).toMatchObject({ reason: 'service_url_not_allowed', serviceHost: 'bots.evil.example' });
  });
});

describe('Bot Framework\'s signing keys cannot be read (no network)', () => {
  it('→ 503 with a fixed body and Retry-After, quickly, and 401 again once they can', async () => {
    keysReachable = false;
    try {
      const started = Date.now();
      const res = await fetch(`${running.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt(channelClaims())}` },
        body: JSON.stringify(activity()),
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ code: 'unavailable', message: 'Service unavailable' });
      expect(res.headers.get('retry-after')).toBe('30');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      keysReachable = true;
    }
    expectUnauthorized(await post('Bearer garbage'));
  });
});

describe('in authenticated mode too', () => {
  it('the local web chat\'s channel id is refused before the token is even looked at', async () => {
    const answer = await post(jwt(channelClaims()), { channelId: 'local-webchat' });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ code: 'forbidden', message: 'This channel is not served here' });
  });

  it('a wrongly typed activity is 400 whatever the token', async () => {
    const answer = await post('Bearer garbage', { serviceUrl: 42 });
    expect(answer.status).toBe(400);
    expect(answer.json.details.fields).toContain('serviceUrl');
  });
});
