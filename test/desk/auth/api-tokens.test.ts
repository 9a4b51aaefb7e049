import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deskAuthMigrations } from '../../../src/desk/agents/desk-auth-migrations.js';
import { SqliteAgentRepository } from '../../../src/desk/agents/sqlite-agent-repository.js';
import { createApiTokens } from '../../../src/desk/auth/api-tokens.js';
import { openDatabase } from '../../../src/storage/database.js';
import { needles } from '../../helpers/secret-needles.js';
import { DAY, deskDb, dumpDeskTables, MINUTE } from '../helpers/desk-fixtures.js';

async function setUp() {
  const { db, agents, clock } = deskDb();
  const tokens = createApiTokens({ agents, now: clock.now });
  const agent = await agents.create({ displayName: 'Desk Supervisor', email: 'supervisor@example.com', role: 'supervisor' });
  return { db, agents, clock, tokens, agent };
}

describe('personal API tokens', () => {
  it('issues a tfa_ secret once, and lists the token by id, label and prefix only', async () => {
    const { tokens, agent } = await setUp();
    const { token, secret } = await tokens.create(agent.id, { label: 'laptop' });
    expect(secret).toMatch(/^tfa_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ agentId: agent.id, label: 'laptop', prefix: secret.slice(0, 8), expiresAt: null, lastUsedAt: null, revokedAt: null });
    expect(token.id).toMatch(/^tok_[0-9a-f]{12}$/);
    const listed = await tokens.list(agent.id);
    expect(listed).toEqual([token]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(8));
    expect(JSON.stringify(listed)).not.toContain(createHash('sha256').update(secret).digest('hex'));
  });

  it('stores only the SHA-256 of the secret: no table row holds the secret', async () => {
    const { db, tokens, agent } = await setUp();
    const { secret } = await tokens.create(agent.id);
    const dump = dumpDeskTables(db);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(4));
    expect(dump).toContain(createHash('sha256').update(secret).digest('hex'));
  });

  it('leaves no trace of the secret in the database file or its WAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-tokens-'));
    try {
      const file = join(dir, 'bot.sqlite');
      const db = openDatabase(file, deskAuthMigrations);
      const agents = new SqliteAgentRepository(db);
      const tokens = createApiTokens({ agents });
      const agent = await agents.create({ displayName: 'A', email: 'a@example.com', role: 'agent' });
      const { secret } = await tokens.create(agent.id);
      expect(await tokens.verify(secret)).not.toBeNull();
      const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f));
      db.close();
      for (const needle of [...needles(secret), ...needles(secret.slice(4))]) {
        for (const b of bytes) expect(b.includes(needle)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies the secret to its agent, and nothing else', async () => {
    const { tokens, agent } = await setUp();
    const { secret, token } = await tokens.create(agent.id);
    expect(await tokens.verify(secret)).toMatchObject({ agent: { id: agent.id }, token: { id: token.id } });
    const lastChar = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(await tokens.verify(secret.slice(0, -1) + lastChar)).toBeNull();
    expect(await tokens.verify(secret.slice(4))).toBeNull();
    expect(await tokens.verify(`${secret} `)).toBeNull();
    expect(await tokens.verify('')).toBeNull();
  });

  it('stops working when it expires', async () => {
    const { tokens, agent, clock } = await setUp();
    const { secret } = await tokens.create(agent.id, { expiresAt: new Date(clock.now().getTime() + DAY) });
    clock.advance(DAY - 1000);
    expect(await tokens.verify(secret)).not.toBeNull();
    clock.advance(1000);
    expect(await tokens.verify(secret)).toBeNull();
  });

  it('stops working when revoked, and other tokens of the agent keep working', async () => {
    const { tokens, agent } = await setUp();
    const first = await tokens.create(agent.id, { label: 'old' });
    const second = await tokens.create(agent.id, { label: 'new' });
    const revoked = await tokens.revoke(first.token.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await tokens.verify(first.secret)).toBeNull();
    expect(await tokens.verify(second.secret)).not.toBeNull();
  });

  it('does not work for a disabled agent, and works again once re-enabled', async () => {
    const { tokens, agents, agent } = await setUp();
    const { secret } = await tokens.create(agent.id);
    await agents.setActive(agent.id, false);
    expect(await tokens.verify(secret)).toBeNull();
    await expect(tokens.create(agent.id)).rejects.toMatchObject({ code: 'conflict' });
    await agents.setActive(agent.id, true);
    expect(await tokens.verify(secret)).not.toBeNull();
  });

  it('records lastUsedAt at most once a minute', async () => {
    const { tokens, agent, clock } = await setUp();
    const { secret } = await tokens.create(agent.id);
    const start = clock.now().toISOString();
    await tokens.verify(secret);
    expect((await tokens.list(agent.id))[0]!.lastUsedAt).toBe(start);
    clock.advance(59_000);
    await tokens.verify(secret);
    expect((await tokens.list(agent.id))[0]!.lastUsedAt).toBe(start);
    clock.advance(MINUTE);
    await tokens.verify(secret);
    expect((await tokens.list(agent.id))[0]!.lastUsedAt).toBe(clock.now().toISOString());
  });

  it('refuses a bad label or an expiry in the past', async () => {
    const { tokens, agent, clock } = await setUp();
    await expect(tokens.create(agent.id, { label: 'x'.repeat(101) })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(tokens.create(agent.id, { expiresAt: clock.now() })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(tokens.create('agt_nobody')).rejects.toMatchObject({ code: 'not_found' });
    expect(await tokens.list(agent.id)).toEqual([]);
  });

  it("lists one agent's tokens only", async () => {
    const { tokens, agents, agent } = await setUp();
    const other = await agents.create({ displayName: 'Other', email: 'other@example.com', role: 'agent' });
    await tokens.create(agent.id, { label: 'mine' });
    await tokens.create(other.id, { label: 'theirs' });
    expect((await tokens.list(agent.id)).map((t) => t.label)).toEqual(['mine']);
  });
});

