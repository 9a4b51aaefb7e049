import { describe, expect, it } from 'vitest';
import { auditMigrations, SqliteAuditLog } from '../../../src/desk/audit/sqlite-audit-log.js';
import { openDatabase } from '../../../src/storage/database.js';
import { auditLogContract } from './audit-log.contract.js';

auditLogContract('SQLite', () => new SqliteAuditLog(openDatabase(':memory:', auditMigrations)));

describe('SqliteAuditLog', () => {
  it('refuses UPDATE and DELETE even through raw SQL', async () => {
    const db = openDatabase(':memory:', auditMigrations);
    await new SqliteAuditLog(db).record({ at: '2026-11-30T09:00:00.000Z', agentId: null, action: 'x', ticketId: null, subjectId: null, sourceAddress: null, outcome: 'ok', code: null });
    expect(() => db.prepare("UPDATE desk_audit SET action = 'forged'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM desk_audit').run()).toThrow(/append-only/);
    db.close();
  });
});
