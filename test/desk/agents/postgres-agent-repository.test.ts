/**
 * The agent repository contract on PostgreSQL, what two instances sharing it add (one e-mail, one
 * subject, whichever instance writes), and the OpenID sign-ins in progress (their own contract).
 */
import { describe, expect, it } from 'vitest';
import { PostgresAgentRepository, postgresDeskAuthMigrations } from '../../../src/desk/agents/postgres-agent-repository.js';
import { PostgresPendingOidcLoginStore } from '../../../src/desk/auth/postgres-pending-oidc-logins.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../../helpers/postgres.js';
import { testClock } from '../helpers/desk-fixtures.js';
import { agentRepositoryContract } from './agent-repository.contract.js';
import { pendingOidcLoginContract } from '../auth/pending-oidc-logins.contract.js';

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

  pendingOidcLoginContract('PostgreSQL', () => new PostgresPendingOidcLoginStore(db.pool));
});
