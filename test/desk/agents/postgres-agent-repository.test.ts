/**
 * The agent repository contract on PostgreSQL, what two instances sharing it add (one e-mail, one
 * subject, whichever instance writes), and the OpenID sign-ins in progress taken once.
 */
import { describe, expect, it } from 'vitest';
import { PostgresAgentRepository, postgresDeskAuthMigrations } from '../../../src/desk/agents/postgres-agent-repository.js';
import { PostgresPendingOidcLoginStore } from '../../../src/desk/auth/postgres-pending-oidc-logins.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../../helpers/postgres.js';
import { testClock } from '../helpers/desk-fixtures.js';
import { agentRepositoryContract } from './agent-repository.contract.js';

describe.skipIf(skipPostgres())('PostgresAgentRepository', () => {
  const db = usePostgresSchema(postgresDeskAuthMigrations);

  agentRepositoryContract('PostgreSQL', () => {
    const clock = testClock();
    return { agents: new PostgresAgentRepository(db.pool, { now: clock.now }), advance: clock.advance };
  });

  describe('two instances', () => {
    it('create the same e-mail at once: one agent, the other gets conflict', async () => {
      const other = poolIn(db.schema);
      try {
        const repos = [new PostgresAgentRepository(db.pool), new PostgresAgentRepository(other)];
        const results = await Promise.allSettled(
          repos.map((r, i) => r.create({ displayName: `Agent ${i}`, email: 'same@example.com', role: 'agent' })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
      } finally {
        await other.end();
      }
    });

    it('bind one subject to two agents at once: one binding, the other gets conflict', async () => {
      const other = poolIn(db.schema);
      try {
        const a = new PostgresAgentRepository(db.pool);
        const b = new PostgresAgentRepository(other);
        const first = await a.create({ displayName: 'A', email: 'a@example.com', role: 'agent' });
        const second = await a.create({ displayName: 'B', email: 'b@example.com', role: 'agent' });
        const results = await Promise.allSettled([a.bindSubject(first.id, 'sub-1'), b.bindSubject(second.id, 'sub-1')]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
        expect((await a.list()).filter((x) => x.oidcSubject === 'sub-1')).toHaveLength(1);
      } finally {
        await other.end();
      }
    });
  });

  describe('OpenID sign-ins in progress', () => {
    const login = { state: 's', nonce: 'n', codeVerifier: 'v', language: 'ja', expiresAt: '2026-11-30T09:10:00.000Z' } as const;

    it('are taken once, even by two instances at once, and expire', async () => {
      const other = poolIn(db.schema);
      try {
        const a = new PostgresPendingOidcLoginStore(db.pool);
        const b = new PostgresPendingOidcLoginStore(other);
        await a.save('key-1', login);
        const taken = await Promise.all([a.take('key-1'), b.take('key-1')]);
        expect(taken.filter((t) => t !== null)).toEqual([login]);
        expect(await a.take('unknown')).toBeNull();
        await a.save('key-2', login);
        await a.save('key-3', { ...login, expiresAt: '2026-11-30T10:00:00.000Z' });
        expect(await b.deleteExpired('2026-11-30T09:10:00.000Z')).toBe(1);
        expect(await b.take('key-3')).toMatchObject({ expiresAt: '2026-11-30T10:00:00.000Z' });
      } finally {
        await other.end();
      }
    });
  });
});
