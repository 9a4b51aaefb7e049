/**
 * What every AgentRepository must do, whatever stores it. Run by each implementation's test
 * (sqlite-agent-repository.test.ts) with a factory giving a fresh, empty repository.
 */
import { describe, expect, it } from 'vitest';
import type { AgentRepository } from '../../../src/desk/agents/agent-repository.js';

export interface RepositoryUnderTest {
  readonly agents: AgentRepository;
  /** Moves the repository's clock. */
  advance(ms: number): void;
}

const supervisor = { displayName: 'Desk Supervisor', email: 'Supervisor@Example.com', role: 'supervisor' } as const;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'AppError', code });
}

export function agentRepositoryContract(name: string, make: () => RepositoryUnderTest): void {
  describe(`AgentRepository contract: ${name}`, () => {
    it('adds an active agent with a lower-cased e-mail and no subject, and finds it by id and by e-mail in any case', async () => {
      const { agents } = make();
      const agent = await agents.create(supervisor);
      expect(agent).toMatchObject({ displayName: 'Desk Supervisor', email: 'supervisor@example.com', role: 'supervisor', active: true, oidcSubject: null });
      expect(agent.id).toMatch(/^agt_[A-Za-z0-9_-]{16}$/);
      expect(agent.createdAt).toBe(agent.updatedAt);
      expect(await agents.get(agent.id)).toEqual(agent);
      expect(await agents.findByEmail('SUPERVISOR@example.COM')).toEqual(agent);
      expect(await agents.findByEmail('someone@example.com')).toBeNull();
    });

    it('refuses a second agent with the same e-mail, whatever its case', async () => {
      const { agents } = make();
      await agents.create(supervisor);
      await expectCode(agents.create({ ...supervisor, email: 'SUPERVISOR@EXAMPLE.COM', displayName: 'Other' }), 'conflict');
      expect(await agents.list()).toHaveLength(1);
    });

    it.each([
      ['an empty name', { ...supervisor, displayName: '   ' }],
      ['a name over 100 characters', { ...supervisor, displayName: 'x'.repeat(101) }],
      ['an invalid e-mail', { ...supervisor, email: 'not-an-email' }],
      ['an unknown role', { ...supervisor, role: 'root' }],
    ])('refuses %s as invalid input', async (_what, input) => {
      const { agents } = make();
      await expectCode(agents.create(input as never), 'invalid_input');
      expect(await agents.list()).toEqual([]);
    });

    it('answers not_found for an unknown agent', async () => {
      const { agents } = make();
      await expectCode(agents.get('agt_nobody'), 'not_found');
      await expectCode(agents.setRole('agt_nobody', 'admin'), 'not_found');
      await expectCode(agents.setActive('agt_nobody', false), 'not_found');
      await expectCode(agents.bindSubject('agt_nobody', 'sub'), 'not_found');
    });

    it('binds a subject once: again with the same subject is fine, another subject or another agent is a conflict', async () => {
      const { agents, advance } = make();
      const a = await agents.create(supervisor);
      const b = await agents.create({ displayName: 'Agent B', email: 'b@example.com', role: 'agent' });
      advance(1000);
      const bound = await agents.bindSubject(a.id, 'sub-a');
      expect(bound.oidcSubject).toBe('sub-a');
      expect(bound.updatedAt > a.updatedAt).toBe(true);
      expect(await agents.findBySubject('sub-a')).toEqual(bound);
      expect(await agents.bindSubject(a.id, 'sub-a')).toEqual(bound);
      await expectCode(agents.bindSubject(a.id, 'sub-other'), 'conflict');
      await expectCode(agents.bindSubject(b.id, 'sub-a'), 'conflict');
      expect((await agents.get(b.id)).oidcSubject).toBeNull();
      expect(await agents.findBySubject('sub-other')).toBeNull();
    });

    it('lists agents by display name', async () => {
      const { agents } = make();
      await agents.create({ displayName: 'carol', email: 'c@example.com', role: 'agent' });
      await agents.create({ displayName: 'Alice', email: 'a@example.com', role: 'admin' });
      await agents.create({ displayName: 'bob', email: 'b@example.com', role: 'agent' });
      expect((await agents.list()).map((a) => a.displayName)).toEqual(['Alice', 'bob', 'carol']);
    });

    it('changes the role and the active flag', async () => {
      const { agents, advance } = make();
      const a = await agents.create(supervisor);
      advance(1000);
      const promoted = await agents.setRole(a.id, 'admin');
      expect(promoted.role).toBe('admin');
      expect(promoted.updatedAt > a.updatedAt).toBe(true);
      expect((await agents.setActive(a.id, false)).active).toBe(false);
      expect((await agents.get(a.id)).active).toBe(false);
      expect((await agents.setActive(a.id, true)).active).toBe(true);
    });

    it("ends a disabled agent's sessions and keeps everyone else's", async () => {
      const { agents } = make();
      const a = await agents.create(supervisor);
      const b = await agents.create({ displayName: 'Agent B', email: 'b@example.com', role: 'agent' });
      const session = (agentId: string, idHash: string) => ({
        idHash,
        agentId,
        csrfToken: `csrf-${idHash}`,
        createdAt: '2026-11-30T09:00:00.000Z',
        lastSeenAt: '2026-11-30T09:00:00.000Z',
        expiresAt: '2026-11-30T21:00:00.000Z',
        tokenId: null,
      });
      await agents.insertSession(session(a.id, 'hash-a'));
      await agents.insertSession(session(b.id, 'hash-b'));
      await agents.setActive(a.id, false);
      expect(await agents.findSession('hash-a')).toBeNull();
      expect(await agents.findSession('hash-b')).toMatchObject({ agentId: b.id, csrfToken: 'csrf-hash-b' });
    });

    it('stores tokens by hash, lists them newest first without the hash, and revokes once', async () => {
      const { agents, advance } = make();
      const a = await agents.create(supervisor);
      const token = (id: string, hash: string, createdAt: string) => ({
        id,
        agentId: a.id,
        label: `label ${id}`,
        prefix: 'tfa_AbCd',
        hash,
        createdAt,
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      await agents.insertToken(token('tok_1', 'h1', '2026-11-30T09:00:00.000Z'));
      await agents.insertToken(token('tok_2', 'h2', '2026-11-30T10:00:00.000Z'));
      await expectCode(agents.insertToken({ ...token('tok_3', 'h3', '2026-11-30T10:00:00.000Z'), agentId: 'agt_nobody' }), 'not_found');
      const listed = await agents.listTokens(a.id);
      expect(listed.map((t) => t.id)).toEqual(['tok_2', 'tok_1']);
      expect(listed.every((t) => !('hash' in t))).toBe(true);
      expect(await agents.findTokenByHash('h1')).toMatchObject({ id: 'tok_1', hash: 'h1' });
      expect(await agents.findTokenByHash('nope')).toBeNull();
      advance(1000);
      expect((await agents.revokeToken('tok_1', '2026-11-30T11:00:00.000Z')).revokedAt).toBe('2026-11-30T11:00:00.000Z');
      expect((await agents.revokeToken('tok_1', '2026-11-30T12:00:00.000Z')).revokedAt).toBe('2026-11-30T11:00:00.000Z');
      await expectCode(agents.revokeToken('tok_nope', '2026-11-30T12:00:00.000Z'), 'not_found');
    });

    it('revoking a token deletes the sessions started with it, and no other', async () => {
      const { agents } = make();
      const a = await agents.create(supervisor);
      const token = (id: string) => ({
        id,
        agentId: a.id,
        label: id,
        prefix: 'tfa_AbCd',
        hash: `hash-${id}`,
        createdAt: '2026-11-30T09:00:00.000Z',
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
      });
      await agents.insertToken(token('tok_1'));
      await agents.insertToken(token('tok_2'));
      const base = { agentId: a.id, csrfToken: 'c', createdAt: '2026-11-30T09:00:00.000Z', lastSeenAt: '2026-11-30T09:00:00.000Z', expiresAt: '2026-11-30T21:00:00.000Z' };
      await agents.insertSession({ ...base, idHash: 's-tok1', tokenId: 'tok_1' });
      await agents.insertSession({ ...base, idHash: 's-tok2', tokenId: 'tok_2' });
      await agents.insertSession({ ...base, idHash: 's-oidc', tokenId: null });
      expect(await agents.findSession('s-tok1')).toMatchObject({ tokenId: 'tok_1' });
      await agents.revokeToken('tok_1', '2026-11-30T10:00:00.000Z');
      expect(await agents.findSession('s-tok1')).toBeNull();
      expect(await agents.findSession('s-tok2')).toMatchObject({ tokenId: 'tok_2' });
      expect(await agents.findSession('s-oidc')).toMatchObject({ tokenId: null });
      expect(await agents.findToken('tok_1')).toMatchObject({ id: 'tok_1', revokedAt: '2026-11-30T10:00:00.000Z' });
      expect(await agents.findToken('tok_nope')).toBeNull();
    });

    it('deletes stale sessions only', async () => {
      const { agents } = make();
      const a = await agents.create(supervisor);
      const base = { agentId: a.id, csrfToken: 'c', createdAt: '2026-11-30T09:00:00.000Z', tokenId: null };
      await agents.insertSession({ ...base, idHash: 'fresh', lastSeenAt: '2026-11-30T09:50:00.000Z', expiresAt: '2026-11-30T21:00:00.000Z' });
      await agents.insertSession({ ...base, idHash: 'idle', lastSeenAt: '2026-11-30T09:10:00.000Z', expiresAt: '2026-11-30T21:00:00.000Z' });
      await agents.insertSession({ ...base, idHash: 'over', lastSeenAt: '2026-11-30T09:55:00.000Z', expiresAt: '2026-11-30T09:59:00.000Z' });
      expect(await agents.deleteStaleSessions('2026-11-30T10:00:00.000Z', '2026-11-30T09:30:00.000Z')).toBe(2);
      expect(await agents.findSession('fresh')).not.toBeNull();
      expect(await agents.findSession('idle')).toBeNull();
      expect(await agents.findSession('over')).toBeNull();
    });
  });
}
