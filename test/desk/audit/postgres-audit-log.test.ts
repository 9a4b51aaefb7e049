/** The audit log contract on PostgreSQL, and its append-only trigger against raw SQL. */
import { describe, expect, it } from 'vitest';
import { PostgresAuditLog, postgresAuditMigrations } from '../../../src/desk/audit/postgres-audit-log.js';
import { skipPostgres, usePostgresSchema } from '../../helpers/postgres.js';
import { auditLogContract } from './audit-log.contract.js';

describe.skipIf(skipPostgres())('PostgresAuditLog', () => {
  const db = usePostgresSchema(postgresAuditMigrations);

  auditLogContract('PostgreSQL', () => new PostgresAuditLog(db.pool));

  it('refuses UPDATE, DELETE and TRUNCATE even through raw SQL', async () => {
    await new PostgresAuditLog(db.pool).record({ at: '2026-11-30T09:00:00.000Z', agentId: null, action: 'x', ticketId: null, subjectId: null, sourceAddress: null, outcome: 'ok', code: null });
    await expect(db.pool.query("UPDATE desk_audit SET action = 'forged'")).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM desk_audit')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE desk_audit')).rejects.toThrow(/append-only/);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM desk_audit')).rows).toEqual([{ n: 1 }]);
  });
});
