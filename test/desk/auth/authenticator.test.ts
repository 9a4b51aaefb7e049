import { describe, expect, it } from 'vitest';
import { createApiTokens } from '../../../src/desk/auth/api-tokens.js';
import { createDeskAuthenticator, type DeskRequest } from '../../../src/desk/auth/authenticator.js';
import { createDeskSessions } from '../../../src/desk/auth/desk-sessions.js';
import { requireRole } from '../../../src/desk/auth/require-role.js';
import { deskDb, HOUR } from '../helpers/desk-fixtures.js';

const BASE = 'https://desk.example.com';

function req(method: string, headers: Record<string, string> = {}): DeskRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, header: (name) => lower[name.toLowerCase()] };
}

async function setUp() {
  const { agents, clock } = deskDb();
  const tokens = createApiTokens({ agents, now: clock.now });
  const sessions = createDeskSessions({ agents, idleMinutes: 30, maxHours: 12, now: clock.now });
  const auth = createDeskAuthenticator({ tokens, sessions, publicBaseUrl: BASE });
  const agent = await agents.create({ displayName: 'Desk Agent', email: 'agent@example.com', role: 'agent' });
  const { secret } = await tokens.create(agent.id);
  const session = await sessions.start(agent.id);
  return { agents, clock, auth, agent, secret, session, cookie: `theme=dark; desk_session=${session.sessionId}` };
}

const unauthorized = { name: 'AppError', code: 'unauthorized' };
const csrfFailure = { name: 'AppError', code: 'forbidden', details: { reason: 'csrf' } };

describe('desk authentication', () => {
  it('accepts a bearer API token, without a CSRF token', async () => {
    const { auth, agent, secret } = await setUp();
    const result = await auth.authenticate(req('GET', { Authorization: `Bearer ${secret}` }));
    expect(result).toMatchObject({ agent: { id: agent.id, role: 'agent' }, via: 'token', csrfToken: null });
  });

  it('accepts the session cookie and hands out its CSRF token', async () => {
    const { auth, agent, cookie, session } = await setUp();
    expect(await auth.authenticate(req('GET', { Cookie: cookie }))).toMatchObject({ agent: { id: agent.id }, via: 'session', csrfToken: session.csrfToken });
  });

  it.each([
    ['no credential at all', {}],
    ['a wrong bearer token', { Authorization: `Bearer tfa_${'A'.repeat(43)}` }],
    ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['an unknown session cookie', { Cookie: `desk_session=${'A'.repeat(43)}` }],
  ])('refuses %s with 401 unauthorized', async (_what, headers) => {
    const { auth } = await setUp();
    await expect(auth.authenticate(req('GET', headers))).rejects.toMatchObject(unauthorized);
  });

  it('does not fall back to the cookie when the Authorization header is wrong', async () => {
    const { auth, cookie } = await setUp();
    await expect(auth.authenticate(req('GET', { Cookie: cookie, Authorization: 'Bearer nope' }))).rejects.toMatchObject(unauthorized);
  });

  it('refuses an expired session and a disabled agent', async () => {
    const { auth, agents, agent, secret, cookie, clock } = await setUp();
    await agents.setActive(agent.id, false);
    await expect(auth.authenticate(req('GET', { Authorization: `Bearer ${secret}` }))).rejects.toMatchObject(unauthorized);
    await expect(auth.authenticate(req('GET', { Cookie: cookie }))).rejects.toMatchObject(unauthorized);
    await agents.setActive(agent.id, true);
    clock.advance(HOUR);
    await expect(auth.authenticate(req('GET', { Cookie: cookie }))).rejects.toMatchObject(unauthorized);
  });
});

describe('CSRF check', () => {
  it('refuses a session POST without X-CSRF-Token, with a wrong one, or from another origin', async () => {
    const { auth, cookie, session } = await setUp();
    const signedIn = await auth.authenticate(req('POST', { Cookie: cookie }));
    const attempts: Record<string, string>[] = [
      { Cookie: cookie },
      { Cookie: cookie, 'X-CSRF-Token': 'wrong' },
      { Cookie: cookie, 'X-CSRF-Token': session.csrfToken, Origin: 'https://evil.example.net' },
      { Cookie: cookie, 'X-CSRF-Token': session.csrfToken, Origin: 'http://desk.example.com' },
    ];
    for (const headers of attempts) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        expect(() => auth.checkCsrf(req(method, headers), signedIn), `${method} ${JSON.stringify(headers)}`).toThrow(expect.objectContaining(csrfFailure));
      }
    }
  });

  it('lets a session request through with the right token (from the header or a form field) and our Origin', async () => {
    const { auth, cookie, session } = await setUp();
    const signedIn = await auth.authenticate(req('POST', { Cookie: cookie }));
    expect(() => auth.checkCsrf(req('POST', { 'X-CSRF-Token': session.csrfToken, Origin: BASE }), signedIn)).not.toThrow();
    expect(() => auth.checkCsrf(req('DELETE', { 'X-CSRF-Token': session.csrfToken }), signedIn)).not.toThrow();
    expect(() => auth.checkCsrf(req('POST', { Origin: BASE }), signedIn, session.csrfToken)).not.toThrow();
    expect(() => auth.checkCsrf(req('GET', {}), signedIn)).not.toThrow();
  });

  it('needs no CSRF token for a bearer request', async () => {
    const { auth, secret } = await setUp();
    const viaToken = await auth.authenticate(req('POST', { Authorization: `Bearer ${secret}` }));
    expect(() => auth.checkCsrf(req('POST', { Authorization: `Bearer ${secret}`, Origin: 'https://evil.example.net' }), viaToken)).not.toThrow();
  });
});

describe('requireRole', () => {
  it.each([
    ['agent', 'agent', true],
    ['agent', 'supervisor', false],
    ['agent', 'admin', false],
    ['supervisor', 'agent', true],
    ['supervisor', 'supervisor', true],
    ['supervisor', 'admin', false],
    ['admin', 'supervisor', true],
    ['admin', 'admin', true],
  ] as const)('%s for a %s action: allowed=%s', (role, required, allowed) => {
    const check = () => requireRole({ role }, required);
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
