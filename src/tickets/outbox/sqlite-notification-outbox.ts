/**
 * The outbox in the bot's SQLite file. Claims are one IMMEDIATE transaction, so two processes
 * sharing the file never claim the same row.
 */
import { AppError } from '../../errors.js';
import type { SqliteDatabase } from '../../storage/database.js';
import type { Ticket, TicketId } from '../ticket.js';
import { undeliveredCounts, type NotificationOutbox, type UndeliveredCounts } from './notification-outbox.js';
import type { NotificationRequest, OutboxNotification } from './notification.js';
import { notificationFromRow, type NotificationRow } from './notification-row.js';

/**
 * Adds a notification for `ticket`: called by the ticket repository inside the transaction of the
 * change it announces, never on its own.
 */
export function insertNotification(db: SqliteDatabase, ticket: Ticket, request: NotificationRequest, at: string): void {
  db.prepare(
    `INSERT INTO ticket_notifications (ticket_id, kind, params, language, channel_id, conversation_reference,
       status, attempts, created_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
  ).run(ticket.id, request.kind, JSON.stringify(request.params), ticket.language, ticket.channelId,
    JSON.stringify(ticket.conversationReference), at, at);
}

export class SqliteNotificationOutbox implements NotificationOutbox {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxNotification[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const claim = this.#db.transaction((): NotificationRow[] => {
      const rows = this.#db
        .prepare<[string, string, number], NotificationRow>(
          `SELECT * FROM ticket_notifications
           WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until <= ?)
           ORDER BY next_attempt_at, id LIMIT ?`,
        )
        .all(at, at, limit);
      const mark = this.#db.prepare(
        `UPDATE ticket_notifications SET status = 'sending', claimed_until = ?, attempts = attempts + 1 WHERE id = ?`,
      );
      for (const row of rows) mark.run(until, row.id);
      return rows.map((r) => ({ ...r, status: 'sending', attempts: r.attempts + 1 }));
    });
    return claim.immediate().map(notificationFromRow);
  }

  async markDelivered(id: number, at: Date): Promise<void> {
    this.#settle(id, `status = 'delivered', delivered_at = ?, claimed_until = NULL, last_error = NULL`, [at.toISOString()]);
  }

  async markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    const message = error.slice(0, 500);
    if (retryAt === null) this.#settle(id, `status = 'failed', claimed_until = NULL, last_error = ?`, [message]);
    else this.#settle(id, `status = 'pending', claimed_until = NULL, last_error = ?, next_attempt_at = ?`, [message, retryAt.toISOString()]);
  }

  async requeue(id: number, now: Date): Promise<OutboxNotification> {
    const result = this.#db
      .prepare(`UPDATE ticket_notifications SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'failed'`)
      .run(now.toISOString(), id);
    const row = this.#db.prepare<[number], NotificationRow>('SELECT * FROM ticket_notifications WHERE id = ?').get(id);
    if (!row) throw new AppError('not_found', 'notification not found');
    if (result.changes !== 1) throw new AppError('illegal_transition', 'only a failed notification can be sent again');
    return notificationFromRow(row);
  }

  async listForTicket(ticketId: TicketId): Promise<OutboxNotification[]> {
    return this.#db
      .prepare<[string], NotificationRow>('SELECT * FROM ticket_notifications WHERE ticket_id = ? ORDER BY id')
      .all(ticketId)
      .map(notificationFromRow);
  }

  async countUndelivered(): Promise<UndeliveredCounts> {
    return undeliveredCounts(
      this.#db
        .prepare<[], { status: string; n: number }>(
          `SELECT status, COUNT(*) AS n FROM ticket_notifications WHERE status IN ('pending', 'sending', 'failed') GROUP BY status`,
        )
        .all(),
    );
  }

  #settle(id: number, set: string, params: unknown[]): void {
    const result = this.#db.prepare(`UPDATE ticket_notifications SET ${set} WHERE id = ? AND status = 'sending'`).run(...params, id);
    if (result.changes !== 1) throw new AppError('conflict', 'notification is not being sent', { id });
  }
}
