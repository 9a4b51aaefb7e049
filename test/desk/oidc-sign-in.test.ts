/**
 * OpenID sign-in end to end: the whole app against a real OpenID provider (oidc-provider) on a
 * loopback port, driven like a browser. The app's public address is http://desk.test; the
 * provider's redirect back is delivered to the app's real loopback address with the same path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadServiceUrl, startApp, type RunningApp } from '../helpers/http-app.js';
import { dumpDeskTables } from './helpers/desk-fixtures.js';
import { startTestIdentityProvider, type TestIdentityProvider } from './helpers/test-identity-provider.js';

const PUBLIC = 'http://desk.test';
const REDIRECT = `${PUBLIC}/desk/auth/callback`;

let idp: TestIdentityProvider;
let running: RunningApp;

beforeAll(async () => {
  idp = await startTestIdentityProvider(REDIRECT, {
    alice: { email: 'Alice@Example.com' },
    'alice-other-account': { email: 'alice@example.com' },
    mallory: { email: 'mallory@example.com' },
    dave: { email: 'dave@example.com' },
    unverified: { email: 'erin@example.com', emailVerified: false },
  });
  running = await startApp({
    PUBLIC_BASE_URL: PUBLIC,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_REDIRECT_URL: REDIRECT,
  });
  const { agents } = running.app.deskAuth;
  await agents.create({ displayName: 'Alice Agent', email: 'alice@example.com', role: 'agent' });
  const dave = await agents.create({ displayName: 'Dave Former', email: 'dave@example.com', role: 'supervisor' });
  await agents.setActive(dave.id, false);
  await agents.create({ displayName: 'Erin', email: 'erin@example.com', role: 'agent' });
});

afterAll(async () => {
  await running?.stop();
  await idp?.stop();
});

interface CallbackAnswer {
  readonly status: number;
  readonly html: string;
  /** `desk_session=…` when a session was started. */
  readonly session: string | null;
  readonly callbackUrl: URL;
  readonly loginCookie: string;
}

/** Start at /desk/login/oidc, sign in at the provider as `login`, come back to the callback. */
async function signInAs(login: string, lang: 'ja' | 'en' = 'en'): Promise<CallbackAnswer> {
  const base = running.baseUrl;
  const start = await fetch(`${base}/desk/login/oidc?lang=${lang}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const loginCookie = start.headers.getSetCookie().find((c) => c.startsWith('desk_oidc='))!.split(';')[0]!;
  const callbackUrl = await idp.signIn(start.headers.get('location')!, login);
  expect(callbackUrl.href.startsWith(`${REDIRECT}?`)).toBe(true);
  return { ...(await deliverCallback(callbackUrl, loginCookie)), callbackUrl, loginCookie };
}

async function deliverCallback(callbackUrl: URL, cookie: string) {
  // The browser prefers English: the language chosen at the start must still win where it is known.
  const headers = { Cookie: cookie, 'Accept-Language': 'en' };
  const res = await fetch(`${running.baseUrl}${callbackUrl.pathname}${callbackUrl.search}`, { headers, redirect: 'manual' });
  const session = res.headers.getSetCookie().find((c) => /^desk_session=[^;]+/.test(c));
  return { status: res.status, html: await res.text(), session: session ? session.split(';')[0]! : null };
}

describe('OpenID sign-in', () => {
  it("shows the provider's button instead of the token form", async () => {
    const html = await (await fetch(`${running.baseUrl}/desk/login?lang=en`)).text();
    expect(html).toContain('href="/desk/login/oidc?lang=en"');
    expect(html).toContain('Sign in with your company account');
    expect(html).not.toContain('action="/desk/login/token"');
  });

  it('sends the browser to the provider with PKCE S256, state and nonce, keeping the verifier server-side in a Lax cookie-keyed row', async () => {
    const start = await fetch(`${running.baseUrl}/desk/login/oidc`, { redirect: 'manual' });
    const location = new URL(start.headers.get('location')!);
    expect(location.origin).toBe(idp.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(location.searchParams.has('code_verifier')).toBe(false);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('desk_oidc='))!;
    expect(cookie).toMatch(/^desk_oidc=[A-Za-z0-9_-]{43}; Path=\/desk\/auth\/callback; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(dumpDeskTables(running.app.db)).not.toContain(cookie.split(';')[0]!.split('=')[1]!);
  });

  it('signs a known agent in (e-mail matched in any case), binds the subject, and the session opens /api/desk/me', async () => {
    const answer = await signInAs('alice');
    expect(answer.status).toBe(200);
    // A 200 page that moves on by itself, so the SameSite=Strict cookie is sent on the next request.
    expect(answer.html).toContain('<meta http-equiv="refresh" content="0;url=/desk"');
    expect(answer.html).toContain('href="/desk"');
    expect(answer.session).not.toBeNull();
    const me = await fetch(`${running.baseUrl}/api/desk/me`, { headers: { Cookie: answer.session! } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ agent: { displayName: 'Alice Agent', email: 'alice@example.com', role: 'agent' }, via: 'session' });
    expect((await running.app.deskAuth.agents.findByEmail('alice@example.com'))?.oidcSubject).toBe('alice');
    const code = answer.callbackUrl.searchParams.get('code')!;
    expect(dumpDeskTables(running.app.db)).not.toContain(code);
    expect(running.logs.join('')).not.toContain(code);
  });

  it('refuses the same return from the provider a second time', async () => {
    const first = await signInAs('alice');
    expect(first.session).not.toBeNull();
    const replay = await deliverCallback(first.callbackUrl, first.loginCookie);
    expect(replay.status).toBe(400);
    expect(replay.session).toBeNull();
    expect(replay.html).toContain('expired or was already used');
  });

  it('tells a person who cancels at the provider that the sign-in was cancelled', async () => {
    const start = await fetch(`${running.baseUrl}/desk/login/oidc?lang=en`, { redirect: 'manual' });
    const loginCookie = start.headers.getSetCookie().find((c) => c.startsWith('desk_oidc='))!.split(';')[0]!;
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const cancelled = new URL(`${REDIRECT}?${new URLSearchParams({ error: 'access_denied', state, iss: idp.issuer })}`);
    const answer = await deliverCallback(cancelled, loginCookie);
    expect(answer.status).toBe(403);
    expect(answer.session).toBeNull();
    expect(answer.html).toContain('The sign-in was cancelled or refused');
  });

  it('gives a person who is not an agent a 403 page in their language and no session', async () => {
    const en = await signInAs('mallory', 'en');
    expect(en.status).toBe(403);
    expect(en.session).toBeNull();
    expect(en.html).toContain('Your account is not a support agent of this desk');
    expect(en.html).toContain('<html lang="en">');
    const ja = await signInAs('mallory', 'ja');
    expect(ja.status).toBe(403);
    expect(ja.session).toBeNull();
    expect(ja.html).toContain('このサポートデスクの担当者として登録されていません');
    expect(running.logs.join('')).not.toContain('mallory@example.com');
  });

  it('refuses a disabled agent', async () => {
    const answer = await signInAs('dave');
    expect(answer.status).toBe(403);
    expect(answer.session).toBeNull();
    expect((await running.app.deskAuth.agents.findByEmail('dave@example.com'))?.oidcSubject).toBeNull();
  });

  it('refuses an address the provider marks unverified', async () => {
    const answer = await signInAs('unverified');
    expect(answer.status).toBe(403);
    expect(answer.session).toBeNull();
  });

  it("refuses a second provider account with a bound agent's e-mail", async () => {
    await signInAs('alice');
    const other = await signInAs('alice-other-account');
    expect(other.status).toBe(403);
    expect(other.session).toBeNull();
  });
});

describe('OpenID sign-in with the provider down', () => {
  it('still starts the server and answers a clear 503 page', async () => {
    const app = await startApp({
      PUBLIC_BASE_URL: PUBLIC,
      OIDC_ISSUER: await deadServiceUrl(),
      OIDC_CLIENT_ID: 'desk',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_REDIRECT_URL: REDIRECT,
    });
    try {
      expect((await fetch(`${app.baseUrl}/desk/login`)).status).toBe(200);
      const res = await fetch(`${app.baseUrl}/desk/login/oidc?lang=en`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toContain('cannot be reached right now');
    } finally {
      await app.stop();
    }
  });
});
