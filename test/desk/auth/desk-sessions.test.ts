import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiTokens } from '../../../src/desk/auth/api-tokens.js';
import { createDeskSessions } from '../../../src/desk/auth/desk-sessions.js';
import { deskDb, dumpDeskTables, HOUR, MINUTE } from '../helpers/desk-fixtures.js';

async function setUp(idleMinutes = 30) {
  const { db, agents, clock } = deskDb();
  const sessions = createDeskSessions({ agents, idleMinutes, maxHours: 12, now: clock.now });
  const agent = await agents.create({ displayName: 'Desk Agent', email: 'agent@example.com', role: 'agent' });
  return { db, agents, clock, sessions, agent };
}

const sessionRows = (db: ReturnType<typeof deskDb>['db']) => (db.prepare('SELECT COUNT(*) AS n FROM desk_sessions').get() as { n: number }).n;

describe('console sessions', () => {
  it('starts a session whose id only the cookie holds (the store keeps its SHA-256) and resolves it to the agent', async () => {
    const { db, sessions, agent } = await setUp();
    const started = await sessions.start(agent.id);
    expect(started.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.csrfToken).not.toBe(started.sessionId);
    const dump = dumpDeskTables(db);
    expect(dump).not.toContain(started.sessionId);
    expect(dump).toContain(createHash('sha256').update(started.sessionId).digest('hex'));
    expect(await sessions.resolve(started.sessionId)).toMatchObject({ agent: { id: agent.id }, csrfToken: started.csrfToken });
    expect(await sessions.resolve(started.sessionId.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toBeNull();
  });

  it('ends after the idle time without requests', async () => {
    const { db, sessions, agent, clock } = await setUp(30);
    const { sessionId } = await sessions.start(agent.id);
    clock.advance(29 * MINUTE);
    expect(await sessions.resolve(sessionId)).not.toBeNull();
    clock.advance(29 * MINUTE);
    expect(await sessions.resolve(sessionId)).not.toBeNull();
    clock.advance(30 * MINUTE);
    expect(await sessions.resolve(sessionId)).toBeNull();
    expect(sessionRows(db)).toBe(0);
  });

  it('a check that is not activity (the live queue\'s heartbeat) does not keep an idle session alive', async () => {
    const { sessions, agent, clock } = await setUp(30);
    const { sessionId } = await sessions.start(agent.id);
    for (let i = 0; i < 5; i++) {
      clock.advance(5 * MINUTE);
      expect(await sessions.resolve(sessionId, { touch: false })).not.toBeNull();
    }
    clock.advance(5 * MINUTE);
    expect(await sessions.resolve(sessionId, { touch: false })).toBeNull();
  });

  it('honours a configured idle time', async () => {
    const { sessions, agent, clock } = await setUp(5);
    const { sessionId } = await sessions.start(agent.id);
    clock.advance(5 * MINUTE);
    expect(await sessions.resolve(sessionId)).toBeNull();
  });

  it('ends after 12 hours however busy the agent is', async () => {
    const { sessions, agent, clock } = await setUp(30);
    const { sessionId, expiresAt } = await sessions.start(agent.id);
    expect(expiresAt.getTime() - clock.now().getTime()).toBe(12 * HOUR);
    for (let i = 0; i < 35; i++) {
      clock.advance(20 * MINUTE);
      expect(await sessions.resolve(sessionId)).not.toBeNull();
    }
    clock.advance(20 * MINUTE);
    expect(await sessions.resolve(sessionId)).toBeNull();
  });

  it('ends at sign-out, and leaves the agent\'s other sessions alone', async () => {
    const { sessions, agent } = await setUp();
    const laptop = await sessions.start(agent.id);
    const desktop = await sessions.start(agent.id);
    await sessions.end(laptop.sessionId);
    expect(await sessions.resolve(laptop.sessionId)).toBeNull();
    expect(await sessions.resolve(desktop.sessionId)).not.toBeNull();
    await sessions.end('not a session id');
  });

  it('ends every session of an agent who is disabled, for good (re-enabling does not revive them)', async () => {
    const { db, sessions, agents, agent } = await setUp();
    const { sessionId } = await sessions.start(agent.id);
    await agents.setActive(agent.id, false);
    expect(sessionRows(db)).toBe(0);
    expect(await sessions.resolve(sessionId)).toBeNull();
    await agents.setActive(agent.id, true);
    expect(await sessions.resolve(sessionId)).toBeNull();
  });

  it('sweeps stale sessions when someone signs in', async () => {
    const { db, sessions, agent, clock } = await setUp();
    await sessions.start(agent.id);
    clock.advance(HOUR);
    await sessions.start(agent.id);
    expect(sessionRows(db)).toBe(1);
  });

  describe('started by token sign-in', () => {
    async function withToken(expiresInMs: number | null = null) {
      const set = await setUp(30);
      const tokens = createApiTokens({ agents: set.agents, now: set.clock.now });
      const issued = await tokens.create(set.agent.id, expiresInMs === null ? {} : { expiresAt: new Date(set.clock.now().getTime() + expiresInMs) });
      return { ...set, tokens, issued };
    }

    it('revoking the token ends the session at once (and only the sessions started with it)', async () => {
      const { db, sessions, tokens, agent, issued } = await withToken();
      const viaToken = await sessions.start(agent.id, { token: issued.token });
      const viaOidc = await sessions.start(agent.id);
      expect(await sessions.resolve(viaToken.sessionId)).not.toBeNull();
      await tokens.revoke(issued.token.id);
      expect(sessionRows(db)).toBe(1);
      expect(await sessions.resolve(viaToken.sessionId)).toBeNull();
      expect(await sessions.resolve(viaOidc.sessionId)).not.toBeNull();
    });

    it('a session whose token was revoked behind the service\'s back fails to resolve and is deleted', async () => {
      const { db, sessions, agent, issued } = await withToken();
      const { sessionId } = await sessions.start(agent.id, { token: issued.token });
      db.prepare('UPDATE desk_api_tokens SET revoked_at = ? WHERE id = ?').run('2026-11-30T09:00:00.000Z', issued.token.id);
      expect(await sessions.resolve(sessionId, { touch: false })).toBeNull();
      expect(sessionRows(db)).toBe(0);
    });

    it("never outlives the token's expiry", async () => {
      const { db, sessions, agent, issued, clock } = await withToken(2 * HOUR);
      const { sessionId, expiresAt } = await sessions.start(agent.id, { token: issued.token });
      expect(expiresAt.toISOString()).toBe(issued.token.expiresAt);
      for (let i = 0; i < 5; i++) {
        clock.advance(20 * MINUTE);
        expect(await sessions.resolve(sessionId)).not.toBeNull();
      }
      clock.advance(20 * MINUTE);
      expect(await sessions.resolve(sessionId)).toBeNull();
      expect(sessionRows(db)).toBe(0);
    });

    it('fails once the token has expired even if the stored session end says otherwise', async () => {
      const { db, sessions, agent, issued, clock } = await withToken(HOUR);
      const { sessionId } = await sessions.start(agent.id, { token: issued.token });
      db.prepare('UPDATE desk_sessions SET expires_at = ?').run('2026-12-31T00:00:00.000Z');
      clock.advance(HOUR);
      expect(await sessions.resolve(sessionId, { touch: false })).toBeNull();
      expect(sessionRows(db)).toBe(0);
    });

    it('a token without expiry keeps the usual 12-hour limit', async () => {
      const { sessions, agent, issued, clock } = await withToken();
      const { expiresAt } = await sessions.start(agent.id, { token: issued.token });
      expect(expiresAt.getTime() - clock.now().getTime()).toBe(12 * HOUR);
    });
  });
});
