/** The ticket alerter's memory in the bot's SQLite file (see alert-store.ts). */
import type { Migration, SqliteDatabase } from '../../storage/database.js';
import type { ChangeCursor, TicketSummary } from '../../tickets/ticket-queue.js';
import type { AlertFeedState, Delivery, DueAlert, TicketAlertStore } from './alert-store.js';

export const alertMigrations: readonly Migration[] = [
  {
    id: 'desk-alerts-001',
    up: (db) => {
      db.exec(`
        -- One row per agents' channel: when alerts were switched on there, and how far the feed was read.
        CREATE TABLE desk_alert_feeds (
          channel TEXT PRIMARY KEY,
          enabled_at TEXT NOT NULL,
          cursor_at TEXT NOT NULL,
          cursor_id TEXT NOT NULL
        );
        -- One row per ticket with a card. ticket holds the queue summary of wanted_version (no personal data).
        CREATE TABLE desk_ticket_alerts (
          channel TEXT NOT NULL,
          ticket_id TEXT NOT NULL,
          activity_id TEXT,
          last_version_posted INTEGER NOT NULL DEFAULT 0,
          wanted_version INTEGER NOT NULL,
          ticket TEXT NOT NULL,
          overdue_shown INTEGER NOT NULL DEFAULT 0,
          verification_due_at TEXT,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at TEXT,
          lease_until TEXT,
          PRIMARY KEY (channel, ticket_id)
        );
        CREATE INDEX desk_ticket_alerts_due ON desk_ticket_alerts (channel, next_attempt_at)
          WHERE last_version_posted < wanted_version OR (overdue_shown = 0 AND verification_due_at IS NOT NULL);
      `);
    },
  },
];

interface FeedRow {
  enabled_at: string;
  cursor_at: string;
  cursor_id: string;
}

interface DueRow {
  ticket_id: string;
  activity_id: string | null;
  ticket: string;
  attempts: number;
}

export class SqliteTicketAlertStore implements TicketAlertStore {
  readonly #db: SqliteDatabase;
  readonly #channel: string;
  readonly #stmt;
  #enabledAt: string | null = null;

  /** `channel`: the agents' conversation id; each channel keeps its own cards and feed position. */
  constructor(db: SqliteDatabase, channel: string) {
    this.#db = db;
    this.#channel = channel;
    this.#stmt = {
      feed: db.prepare<[string], FeedRow>('SELECT enabled_at, cursor_at, cursor_id FROM desk_alert_feeds WHERE channel = ?'),
      startFeed: db.prepare<[string, string, string]>(
        `INSERT INTO desk_alert_feeds (channel, enabled_at, cursor_at, cursor_id) VALUES (?, ?, ?, '') ON CONFLICT (channel) DO NOTHING`,
      ),
      advance: db.prepare<{ channel: string; at: string; id: string }>(
        `UPDATE desk_alert_feeds SET cursor_at = @at, cursor_id = @id
         WHERE channel = @channel AND (cursor_at < @at OR (cursor_at = @at AND cursor_id < @id))`,
      ),
      want: db.prepare<{ channel: string; ticketId: string; version: number; ticket: string }>(
        `INSERT INTO desk_ticket_alerts (channel, ticket_id, wanted_version, ticket) VALUES (@channel, @ticketId, @version, @ticket)
         ON CONFLICT (channel, ticket_id) DO UPDATE SET wanted_version = excluded.wanted_version, ticket = excluded.ticket, next_attempt_at = NULL
         WHERE excluded.wanted_version > desk_ticket_alerts.wanted_version`,
      ),
      due: db.prepare<{ channel: string; now: string; limit: number }, DueRow>(
        `SELECT ticket_id, activity_id, ticket, attempts FROM desk_ticket_alerts
         WHERE channel = @channel
           AND (last_version_posted < wanted_version OR (overdue_shown = 0 AND verification_due_at IS NOT NULL))
           AND (last_version_posted < wanted_version OR (activity_id IS NOT NULL AND verification_due_at <= @now))
           AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
           AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY next_attempt_at, rowid LIMIT @limit`,
      ),
      lease: db.prepare<[string, string, string]>('UPDATE desk_ticket_alerts SET lease_until = ? WHERE channel = ? AND ticket_id = ?'),
      delivered: db.prepare<{ channel: string; ticketId: string; version: number; activityId: string; overdue: number; due: string | null }>(
        `UPDATE desk_ticket_alerts SET activity_id = @activityId, last_version_posted = MAX(last_version_posted, @version),
           overdue_shown = @overdue, verification_due_at = @due, attempts = 0, lease_until = NULL
         WHERE channel = @channel AND ticket_id = @ticketId`,
      ),
      failed: db.prepare<[string, string, string], { attempts: number }>(
        `UPDATE desk_ticket_alerts SET attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL
         WHERE channel = ? AND ticket_id = ? RETURNING attempts`,
      ),
    };
  }

  async begin(now: Date): Promise<AlertFeedState> {
    this.#stmt.startFeed.run(this.#channel, now.toISOString(), now.toISOString());
    const row = this.#stmt.feed.get(this.#channel)!;
    this.#enabledAt = row.enabled_at;
    return { enabledAt: row.enabled_at, cursor: { updatedAt: row.cursor_at, id: row.cursor_id as ChangeCursor['id'] } };
  }

  async record(ticket: TicketSummary): Promise<boolean> {
    const enabledAt = this.#enabledAt ?? (await this.begin(new Date())).enabledAt;
    return this.#db.transaction(() => {
      this.#stmt.advance.run({ channel: this.#channel, at: ticket.updatedAt, id: ticket.id });
      if (ticket.createdAt < enabledAt) return false;
      return this.#stmt.want.run({ channel: this.#channel, ticketId: ticket.id, version: ticket.version, ticket: JSON.stringify(ticket) }).changes > 0;
    })();
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<DueAlert[]> {
    const claim = this.#db.transaction(() => {
      const rows = this.#stmt.due.all({ channel: this.#channel, now: now.toISOString(), limit });
      const until = new Date(now.getTime() + leaseMs).toISOString();
      for (const row of rows) this.#stmt.lease.run(until, this.#channel, row.ticket_id);
      return rows;
    });
    // IMMEDIATE: two instances claiming at once queue on the write lock instead of both reading the same rows.
    return claim.immediate().map((row) => ({
      ticket: JSON.parse(row.ticket) as TicketSummary,
      activityId: row.activity_id,
      attempts: row.attempts,
    }));
  }

  async delivered(d: Delivery): Promise<void> {
    this.#stmt.delivered.run({
      channel: this.#channel,
      ticketId: d.ticketId,
      version: d.version,
      activityId: d.activityId,
      overdue: d.overdue ? 1 : 0,
      due: d.verificationDueAt,
    });
  }

  async failed(ticketId: string, retryAt: Date): Promise<number> {
    return this.#stmt.failed.get(retryAt.toISOString(), this.#channel, ticketId)?.attempts ?? 0;
  }
}
