/**
 * A `desk_audit` row as both databases return it, and the entry it stands for: one mapping for
 * SQLite and PostgreSQL.
 */
import type { AuditEntry } from './audit-log.js';

export interface AuditRow {
  /** INTEGER in SQLite; BIGINT in PostgreSQL, which `pg` hands over as a string. */
  id: number | string;
  at: string;
  agent_id: string | null;
  action: string;
  ticket_id: string | null;
  subject_id: string | null;
  source_address: string | null;
  outcome: 'ok' | 'refused';
  code: string | null;
}

export function auditEntryFromRow(r: AuditRow): AuditEntry {
  return {
    id: Number(r.id),
    at: r.at,
    agentId: r.agent_id,
    action: r.action,
    ticketId: r.ticket_id,
    subjectId: r.subject_id,
    sourceAddress: r.source_address,
    outcome: r.outcome,
    code: r.code,
  };
}
