/**
 * The desk's audit trail in PostgreSQL. Append-only as in SQLite: a trigger refuses UPDATE and
 * DELETE of any row, and TRUNCATE, whoever sends them.
 */
import type { PgMigration, PgPool } from '../../storage/postgres/index.js';
import type { AuditEntry, AuditFilter, AuditLog, NewAuditEntry } from './audit-log.js';
import { auditEntryFromRow, type AuditRow } from './audit-row.js';

export const postgresAuditMigrations: readonly PgMigration[] = [
  {
    id: 'pg-desk-audit-001',
    sql: `
      CREATE TABLE desk_audit (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        agent_id TEXT,
        action TEXT NOT NULL,
        ticket_id TEXT,
        subject_id TEXT,
        source_address TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
        code TEXT
      );
      CREATE INDEX desk_audit_by_at ON desk_audit (at);
      CREATE INDEX desk_audit_by_agent ON desk_audit (agent_id, id);
      CREATE INDEX desk_audit_by_ticket ON desk_audit (ticket_id, id);
      CREATE FUNCTION desk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'desk_audit is append-only'; END $$;
      CREATE TRIGGER desk_audit_no_change BEFORE UPDATE OR DELETE ON desk_audit
        FOR EACH ROW EXECUTE FUNCTION desk_audit_append_only();
      CREATE TRIGGER desk_audit_no_truncate BEFORE TRUNCATE ON desk_audit
        FOR EACH STATEMENT EXECUTE FUNCTION desk_audit_append_only();
    `,
  },
];

export class PostgresAuditLog implements AuditLog {
  readonly #pool: PgPool;

  /** `pool` must have had {@link postgresAuditMigrations} applied. */
  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  async record(entry: NewAuditEntry): Promise<void> {
    await this.#pool.query(
      `INSERT INTO desk_audit (at, agent_id, action, ticket_id, subject_id, source_address, outcome, code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [entry.at, entry.agentId, entry.action, entry.ticketId, entry.subjectId, entry.sourceAddress, entry.outcome, entry.code],
    );
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      if (value === undefined) return;
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    add((p) => `agent_id = ${p}`, filter.agentId);
    add((p) => `action = ${p}`, filter.action);
    add((p) => `ticket_id = ${p}`, filter.ticketId);
    add((p) => `outcome = ${p}`, filter.outcome);
    add((p) => `at >= ${p}`, filter.since);
    add((p) => `at < ${p}`, filter.until);
    add((p) => `id < ${p}`, filter.beforeId);
    params.push(filter.limit);
    const { rows } = await this.#pool.query<AuditRow>(
      `SELECT * FROM desk_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(auditEntryFromRow);
  }
}
