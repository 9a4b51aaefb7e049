/** The audit trail in the bot's SQLite file. */
import type { Migration, SqliteDatabase } from '../../storage/database.js';
import type { AuditEntry, AuditFilter, AuditLog, NewAuditEntry } from './audit-log.js';
import { auditEntryFromRow, type AuditRow } from './audit-row.js';

export const auditMigrations: readonly Migration[] = [
  {
    id: 'desk-audit-001',
    up: (db) => {
      db.exec(`
        CREATE TABLE desk_audit (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          agent_id TEXT,
          action TEXT NOT NULL,
          ticket_id TEXT,
          source_address TEXT,
          outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
          code TEXT
        );
        CREATE INDEX desk_audit_by_at ON desk_audit (at);
        CREATE INDEX desk_audit_by_agent ON desk_audit (agent_id, id);
        CREATE INDEX desk_audit_by_ticket ON desk_audit (ticket_id, id);
        CREATE TRIGGER desk_audit_no_update BEFORE UPDATE ON desk_audit
          BEGIN SELECT RAISE(ABORT, 'desk_audit is append-only'); END;
        CREATE TRIGGER desk_audit_no_delete BEFORE DELETE ON desk_audit
          BEGIN SELECT RAISE(ABORT, 'desk_audit is append-only'); END;
      `);
    },
  },
  {
    // Agent administration names the agent acted on: an admin's token issued to someone else must
    // be traceable to that person's later approvals.
    id: 'desk-audit-002',
    up: (db) => {
      db.exec('ALTER TABLE desk_audit ADD COLUMN subject_id TEXT');
    },
  },
];

export class SqliteAuditLog implements AuditLog {
  readonly #db: SqliteDatabase;
  readonly #insert;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO desk_audit (at, agent_id, action, ticket_id, subject_id, source_address, outcome, code)
       VALUES (@at, @agentId, @action, @ticketId, @subjectId, @sourceAddress, @outcome, @code)`,
    );
  }

  async record(entry: NewAuditEntry): Promise<void> {
    this.#insert.run(entry);
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const eq = (column: string, value: unknown) => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq('agent_id', filter.agentId);
    eq('action', filter.action);
    eq('ticket_id', filter.ticketId);
    eq('outcome', filter.outcome);
    if (filter.since !== undefined) (where.push('at >= ?'), params.push(filter.since));
    if (filter.until !== undefined) (where.push('at < ?'), params.push(filter.until));
    if (filter.beforeId !== undefined) (where.push('id < ?'), params.push(filter.beforeId));
    const rows = this.#db
      .prepare<unknown[], AuditRow>(
        `SELECT * FROM desk_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, filter.limit);
    return rows.map(auditEntryFromRow);
  }
}
