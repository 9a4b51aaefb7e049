/**
 * The ticket alerter's memory in PostgreSQL (see alert-store.ts), same semantics as
 * SqliteTicketAlertStore (one contract suite). Every instance may run the alerter: a claim leases
 * its rows with `FOR UPDATE SKIP LOCKED` in one statement, so two instances never post one card twice.
 */
import { inTransaction, type PgMigration, type PgPool } from '../../storage/postgres/index.js';
import type { ChangeCursor, TicketSummary } from '../../tickets/ticket-queue.js';
import type { AlertFeedState, Delivery, DueAlert, TicketAlertStore } from './alert-store.js';

export const postgresAlertMigrations: readonly PgMigration[] = [
  {
    id: 'pg-desk-alerts-001',
    sql: `
      -- One row per agents' channel: when alerts were switched on there, and how far the feed was read.
      CREATE TABLE desk_alert_feeds (
        channel TEXT PRIMARY KEY,
        enabled_at TEXT NOT NULL,
        cursor_at TEXT COLLATE "C" NOT NULL,
        cursor_id TEXT COLLATE "C" NOT NULL
      );
      -- One row per ticket with a card; ticket holds the queue summary of wanted_version (no personal
      -- data). seq keeps the order rows were first wanted in (SQLite's rowid).
      CREATE TABLE desk_ticket_alerts (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        channel TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        activity_id TEXT,
        last_version_posted INTEGER NOT NULL DEFAULT 0,
        wanted_version INTEGER NOT NULL,
        ticket TEXT NOT NULL,
        overdue_shown BOOLEAN NOT NULL DEFAULT FALSE,
        verification_due_at TEXT COLLATE "C",
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT COLLATE "C",
        lease_until TEXT COLLATE "C",
        PRIMARY KEY (channel, ticket_id)
      );
      CREATE INDEX desk_ticket_alerts_due ON desk_ticket_alerts (channel, next_attempt_at)
        WHERE last_version_posted < wanted_version OR (NOT overdue_shown AND verification_due_at IS NOT NULL);
    `,
  },
];

interface DueRow {
  ticket_id: string;
  activity_id: string | null;
  ticket: string;
  attempts: number;
  next_attempt_at: string | null;
  seq: string;
}

export class PostgresTicketAlertStore implements TicketAlertStore {
  readonly #pool: PgPool;
  readonly #channel: string;
  #enabledAt: string | null = null;

  /** `channel`: the agents' conversation id; each channel keeps its own cards and feed position. */
  constructor(pool: PgPool, channel: string) {
    this.#pool = pool;
    this.#channel = channel;
  }

  async begin(now: Date): Promise<AlertFeedState> {
    const at = now.toISOString();
    await this.#pool.query(
      `INSERT INTO desk_alert_feeds (channel, enabled_at, cursor_at, cursor_id) VALUES ($1, $2, $2, '') ON CONFLICT (channel) DO NOTHING`,
      [this.#channel, at],
    );
    const { rows } = await this.#pool.query<{ enabled_at: string; cursor_at: string; cursor_id: string }>(
      'SELECT enabled_at, cursor_at, cursor_id FROM desk_alert_feeds WHERE channel = $1',
      [this.#channel],
    );
    const row = rows[0]!;
    this.#enabledAt = row.enabled_at;
    return { enabledAt: row.enabled_at, cursor: { updatedAt: row.cursor_at, id: row.cursor_id as ChangeCursor['id'] } };
  }

  async record(ticket: TicketSummary): Promise<boolean> {
    const enabledAt = this.#enabledAt ?? (await this.begin(new Date())).enabledAt;
    return inTransaction(this.#pool, async (db) => {
      // The cursor only moves forward, whichever instance read further first.
      await db.query(
        `UPDATE desk_alert_feeds SET cursor_at = $2, cursor_id = $3 WHERE channel = $1 AND (cursor_at, cursor_id) < ($2, $3)`,
        [this.#channel, ticket.updatedAt, ticket.id],
      );
      if (ticket.createdAt < enabledAt) return false;
      const result = await db.query(
        `INSERT INTO desk_ticket_alerts (channel, ticket_id, wanted_version, ticket) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, ticket_id) DO UPDATE SET wanted_version = EXCLUDED.wanted_version, ticket = EXCLUDED.ticket, next_attempt_at = NULL
         WHERE EXCLUDED.wanted_version > desk_ticket_alerts.wanted_version`,
        [this.#channel, ticket.id, ticket.version, JSON.stringify(ticket)],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<DueAlert[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const { rows } = await this.#pool.query<DueRow>(
      `WITH due AS (
         SELECT channel, ticket_id FROM desk_ticket_alerts
         WHERE channel = $1
           AND (last_version_posted < wanted_version OR (NOT overdue_shown AND verification_due_at IS NOT NULL))
           AND (last_version_posted < wanted_version OR (activity_id IS NOT NULL AND verification_due_at <= $2))
           AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
           AND (lease_until IS NULL OR lease_until <= $2)
         ORDER BY next_attempt_at NULLS FIRST, seq LIMIT $3
         FOR UPDATE SKIP LOCKED
       )
       UPDATE desk_ticket_alerts a SET lease_until = $4 FROM due
       WHERE a.channel = due.channel AND a.ticket_id = due.ticket_id
       RETURNING a.ticket_id, a.activity_id, a.ticket, a.attempts, a.next_attempt_at, a.seq`,
      [this.#channel, at, limit, until],
    );
    // RETURNING keeps no order: put the rows back in the order they were chosen in.
    rows.sort((a, b) => (a.next_attempt_at ?? '').localeCompare(b.next_attempt_at ?? '') || Number(a.seq) - Number(b.seq));
    return rows.map((row) => ({ ticket: JSON.parse(row.ticket) as TicketSummary, activityId: row.activity_id, attempts: row.attempts }));
  }

  async delivered(d: Delivery): Promise<void> {
    await this.#pool.query(
      `UPDATE desk_ticket_alerts SET activity_id = $3, last_version_posted = GREATEST(last_version_posted, $4),
         overdue_shown = $5, verification_due_at = $6, attempts = 0, lease_until = NULL
       WHERE channel = $1 AND ticket_id = $2`,
      [this.#channel, d.ticketId, d.activityId, d.version, d.overdue, d.verificationDueAt],
    );
  }

  async failed(ticketId: string, retryAt: Date): Promise<number> {
    const { rows } = await this.#pool.query<{ attempts: number }>(
      `UPDATE desk_ticket_alerts SET attempts = attempts + 1, next_attempt_at = $3, lease_until = NULL
       WHERE channel = $1 AND ticket_id = $2 RETURNING attempts`,
      [this.#channel, ticketId, retryAt.toISOString()],
    );
    return rows[0]?.attempts ?? 0;
  }
}
