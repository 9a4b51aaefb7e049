/**
 * The desk's audit trail: one entry for every desk request that reads personal data or changes
 * anything, refused ones included. Append-only: the SQLite table refuses UPDATE and DELETE.
 */

export const AUDIT_OUTCOMES = ['ok', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  readonly id: number;
  /** ISO 8601. */
  readonly at: string;
  /** `null` when the request had no valid credential. */
  readonly agentId: string | null;
  /** What was attempted, e.g. `tickets.verify`, `tickets.read`, `agents.token.revoke`. */
  readonly action: string;
  readonly ticketId: string | null;
  /** For agent administration: the agent acted on (whose role or tokens changed). */
  readonly subjectId: string | null;
  /** The client address as the server saw it (behind a proxy, the proxy's). */
  readonly sourceAddress: string | null;
  readonly outcome: AuditOutcome;
  /** For a refusal: the stable error code (`forbidden`, `conflict`, `same_agent`…). */
  readonly code: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  readonly agentId?: string;
  readonly action?: string;
  readonly ticketId?: string;
  readonly outcome?: AuditOutcome;
  /** ISO times, `since <= at < until`. */
  readonly since?: string;
  readonly until?: string;
  /** Entries with a smaller id (the cursor of the previous page). */
  readonly beforeId?: number;
  /** 1..500. */
  readonly limit: number;
}

export interface AuditLog {
  record(entry: NewAuditEntry): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditEntry[]>;
}
