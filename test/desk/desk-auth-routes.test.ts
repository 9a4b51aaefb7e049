/**
 * The sign-in pages and routes through the whole app (createApp on a random port): token
 * sign-in, the session cookie, /desk, /api/desk/me and sign-out, as a browser and a script see them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { from } from '../helpers/from-address.js';
import { startApp, type RunningApp } from '../helpers/http-app.js';

let running: RunningApp | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const CSP = "default-src 'none'; style-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async function appWithAgent(env: Record<string, string> = {}, displayName = 'Desk Supervisor') {
  running = await startApp(env);
  const { agents, tokens } = running.app.deskAuth;
  const agent = await agents.create({ displayName, email: 'supervisor@example.com', role: 'supervisor' });
  const { secret } = await tokens.create(agent.id);
  return { base: running.baseUrl, agent, secret, app: running };
}

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

/** Signs in with the token form; returns the `desk_session=…` pair and the whole Set-Cookie. */
async function signIn(base: string, secret: string): Promise<{ cookie: string; setCookie: string }> {
  const res = await fetch(`${base}/desk/login/token`, form({ token: secret, lang: 'en' }));
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/desk');
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

describe('desk sign-in page', () => {
  it('shows the token form (no identity provider configured) with a strict CSP and no script, in English or Japanese', async () => {
    const { base } = await appWithAgent();
    const en = await fetch(`${base}/desk/login`, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-security-policy')).toBe(CSP);
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en">');
    expect(enHtml).toContain('Sign in with a personal API token');
    expect(enHtml).toContain('action="/desk/login/token"');
    expect(enHtml).not.toContain('<script');
    expect(enHtml).not.toContain('/desk/login/oidc');
    const ja = await (await fetch(`${base}/desk/login`, { headers: { 'Accept-Language': 'ja,en;q=0.5' } })).text();
    expect(ja).toContain('<html lang="ja">');
    expect(ja).toContain('個人用 API トークンでサインイン');
    const chosen = await (await fetch(`${base}/desk/login?lang=en`, { headers: { 'Accept-Language': 'ja' } })).text();
    expect(chosen).toContain('<html lang="en">');
  });

  it('serves its stylesheet', async () => {
    const { base } = await appWithAgent();
    const css = await fetch(`${base}/desk/assets/desk.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('says there is no way in when token sign-in is turned off and no provider is set, and refuses the form', async () => {
    const { base, secret } = await appWithAgent({ DESK_TOKEN_SIGNIN: 'false' });
    const html = await (await fetch(`${base}/desk/login?lang=en`)).text();
    expect(html).toContain('No way to sign in is set up');
    expect(html).not.toContain('action="/desk/login/token"');
    const res = await fetch(`${base}/desk/login/token`, form({ token: secret }));
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('token sign-in and the session', () => {
  it('signs in with a token: a Strict, HttpOnly session cookie that opens /desk and /api/desk/me', async () => {
    const { base, secret, agent } = await appWithAgent();
    const { cookie, setCookie } = await signIn(base, secret);
    expect(setCookie).toMatch(/^desk_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const desk = await fetch(`${base}/desk?lang=en`, { headers: { Cookie: cookie } });
    expect(desk.status).toBe(200);
    const html = await desk.text();
    expect(html).toContain('Signed in as Desk Supervisor (supervisor)');
    const me = await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { agent: unknown; via: string; csrfToken: string };
    expect(body.agent).toEqual({ id: agent.id, displayName: 'Desk Supervisor', email: 'supervisor@example.com', role: 'supervisor' });
    expect(body.via).toBe('session');
    expect(html).toContain(`name="csrf" value="${body.csrfToken}"`);
  });

  it('revoking the token used to sign in ends that console session at once', async () => {
    const { base, secret, agent, app } = await appWithAgent();
    const { cookie } = await signIn(base, secret);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(200);
    const [token] = await app.app.deskAuth.tokens.list(agent.id);
    await app.app.deskAuth.tokens.revoke(token!.id);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(401);
    const desk = await fetch(`${base}/desk`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(desk.status).toBe(302);
    expect(desk.headers.get('location')).toMatch(/^\/desk\/login/);
  });

  it('refuses a wrong token with the form again, an error and 401, and no cookie', async () => {
    const { base } = await appWithAgent();
    const res = await fetch(`${base}/desk/login/token`, form({ token: `tfa_${'x'.repeat(43)}`, lang: 'ja' }));
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('このトークンは使えません');
    expect(html).toContain('action="/desk/login/token"');
  });

  it('limits sign-in attempts from one address (429 page with Retry-After), while another address can still sign in', async () => {
    const { base, secret } = await appWithAgent({ RATE_LIMIT_DESK_SIGNIN_PER_MINUTE: '3' });
    const guess = () => fetch(`${base}/desk/login/token`, form({ token: `tfa_${'x'.repeat(43)}`, lang: 'en' }));
    expect([(await guess()).status, (await guess()).status, (await guess()).status]).toEqual([401, 401, 401]);
    const limited = await guess();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect(await limited.text()).toContain('Too many sign-in attempts');
    // Even the right token waits: the limit is on attempts, not on failures.
    expect((await fetch(`${base}/desk/login/token`, form({ token: secret, lang: 'en' }))).status).toBe(429);
    const elsewhere = await from('127.0.0.2', `${base}/desk/login/token`, {
      rawBody: new URLSearchParams({ token: secret, lang: 'en' }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(elsewhere.status).toBe(303);
    expect(String(elsewhere.headers['set-cookie'])).toMatch(/^desk_session=/);
  });

  it('refuses a sign-in form posted from another site', async () => {
    const { base, secret } = await appWithAgent();
    const init = form({ token: secret });
    const res = await fetch(`${base}/desk/login/token`, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: 'https://evil.example.net' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers /api/desk/me for a bearer token without a CSRF token, and 401 JSON without credentials', async () => {
    const { base, secret, agent } = await appWithAgent();
    const me = await fetch(`${base}/api/desk/me`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(await me.json()).toMatchObject({ agent: { id: agent.id }, via: 'token', csrfToken: null });
    const anonymous = await fetch(`${base}/api/desk/me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('sends a visitor without a session to the sign-in page', async () => {
    const { base } = await appWithAgent();
    const res = await fetch(`${base}/desk`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/desk/login');
  });

  it('escapes an agent name that looks like markup', async () => {
    const { base, secret } = await appWithAgent({}, '<img src=x onerror=alert(1)>');
    const { cookie } = await signIn(base, secret);
    const html = await (await fetch(`${base}/desk`, { headers: { Cookie: cookie } })).text();
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('marks the cookie Secure when the desk is served over https', async () => {
    const { base, secret } = await appWithAgent({ PUBLIC_BASE_URL: 'https://desk.example.com' });
    expect((await signIn(base, secret)).setCookie).toContain('; Secure');
  });

  it('never logs the token or the session id', async () => {
    const { base, secret, app } = await appWithAgent();
    const { cookie } = await signIn(base, secret);
    await fetch(`${base}/desk/login/token`, form({ token: `${secret.slice(0, -2)}zz` }));
    const logs = app.logs.join('');
    expect(logs).toContain('desk sign-in');
    expect(logs).not.toContain(secret.slice(4, 30));
    expect(logs).not.toContain(cookie.split('=')[1]!);
  });
});

describe('sign-out', () => {
  it('refuses sign-out without the CSRF token, and keeps the session', async () => {
    const { base, secret } = await appWithAgent();
    const { cookie } = await signIn(base, secret);
    const init = form({});
    const res = await fetch(`${base}/desk/logout`, { ...init, body: 'lang=en', headers: { ...(init.headers as Record<string, string>), Cookie: cookie } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This form is no longer valid');
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('signs out with the form from our own origin: the cookie is cleared and the old session no longer works', async () => {
    // The browser's Origin is the public one (PUBLIC_BASE_URL), not the test's loopback address.
    const { base, secret } = await appWithAgent({ PUBLIC_BASE_URL: 'http://desk.test:8080' });
    const { cookie } = await signIn(base, secret);
    const { csrfToken } = (await (await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).json()) as { csrfToken: string };
    const init = form({ csrf: csrfToken });
    const post = (origin: string) => fetch(`${base}/desk/logout`, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookie, Origin: origin } });
    expect((await post('http://evil.test:8080')).status).toBe(403);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(200);
    const res = await post('http://desk.test:8080');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/desk/login');
    expect(res.headers.get('set-cookie')).toMatch(/^desk_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await fetch(`${base}/desk`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(302);
  });

  it('signs out a script with the header instead of the form field (JSON body)', async () => {
    const { base, secret } = await appWithAgent();
    const { cookie } = await signIn(base, secret);
    const { csrfToken } = (await (await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).json()) as { csrfToken: string };
    const res = await fetch(`${base}/desk/logout`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(303);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('ends the sessions of an agent who is disabled', async () => {
    const { base, secret, agent, app } = await appWithAgent();
    const { cookie } = await signIn(base, secret);
    await app.app.deskAuth.agents.setActive(agent.id, false);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await fetch(`${base}/api/desk/me`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
  });
});

describe('form bodies', () => {
  it('are still refused everywhere but the two desk forms', async () => {
    const { base } = await appWithAgent();
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'type=message' });
    expect(res.status).toBe(415);
  });
});
