/**
 * The notification outbox in PostgreSQL. Every instance runs a dispatcher; a claim selects due rows
 * `FOR UPDATE SKIP LOCKED` and marks them `sending` in the same statement, so two dispatchers (on
 * one instance or two) never hold the same notification, and neither waits for the other.
 */
import { AppError } from '../../errors.js';
import type { PgClient, PgPool } from '../../storage/postgres/index.js';
import type { Ticket, TicketId } from '../ticket.js';
import { undeliveredCounts, type NotificationOutbox, type UndeliveredCounts } from './notification-outbox.js';
import type { NotificationRequest, OutboxNotification } from './notification.js';
import { notificationFromRow, type NotificationRow } from './notification-row.js';

/**
 * Adds a notification for `ticket`: called by the ticket repository inside the transaction of the
 * change it announces, never on its own.
 */
export async function insertPgNotification(db: PgClient, ticket: Ticket, request: NotificationRequest, at: string): Promise<void> {
  await db.query(
    `INSERT INTO ticket_notifications (ticket_id, kind, params, language, channel_id, conversation_reference,
       status, attempts, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)`,
    [ticket.id, request.kind, JSON.stringify(request.params), ticket.language, ticket.channelId, JSON.stringify(ticket.conversationReference), at],
  );
}

export class PostgresNotificationOutbox implements NotificationOutbox {
  readonly #pool: PgPool;

  /** `pool` must have had the ticket migrations applied (postgresTicketMigrations). */
  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxNotification[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    // One statement, so no transaction is needed: the rows are locked from the SELECT to the UPDATE.
    const { rows } = await this.#pool.query<NotificationRow>(
      `WITH due AS (
         SELECT id FROM ticket_notifications
         WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND claimed_until <= $1)
         ORDER BY next_attempt_at, id LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ticket_notifications n SET status = 'sending', claimed_until = $3, attempts = n.attempts + 1
       FROM due WHERE n.id = due.id
       RETURNING n.*`,
      [at, limit, until],
    );
    // RETURNING keeps no order, and the next attempt time is what a claim is ordered by.
    return rows.map(notificationFromRow).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id - b.id);
  }

  async markDelivered(id: number, at: Date): Promise<void> {
    await this.#settle(id, `status = 'delivered', delivered_at = $2, claimed_until = NULL, last_error = NULL`, [at.toISOString()]);
  }

  async markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    const message = error.slice(0, 500);
    if (retryAt === null) await this.#settle(id, `status = 'failed', claimed_until = NULL, last_error = $2`, [message]);
    else await this.#settle(id, `status = 'pending', claimed_until = NULL, last_error = $2, next_attempt_at = $3`, [message, retryAt.toISOString()]);
  }

  async requeue(id: number, now: Date): Promise<OutboxNotification> {
    const updated = await this.#pool.query<NotificationRow>(
      `UPDATE ticket_notifications SET status = 'pending', attempts = 0, next_attempt_at = $2
       WHERE id = $1 AND status = 'failed' RETURNING *`,
      [id, now.toISOString()],
    );
    if (updated.rows[0]) return notificationFromRow(updated.rows[0]);
    const exists = await this.#pool.query('SELECT 1 FROM ticket_notifications WHERE id = $1', [id]);
    if (exists.rowCount === 0) throw new AppError('not_found', 'notification not found');
    throw new AppError('illegal_transition', 'only a failed notification can be sent again');
  }

  async listForTicket(ticketId: TicketId): Promise<OutboxNotification[]> {
    const { rows } = await this.#pool.query<NotificationRow>('SELECT * FROM ticket_notifications WHERE ticket_id = $1 ORDER BY id', [ticketId]);
    return rows.map(notificationFromRow);
  }

  async countUndelivered(): Promise<UndeliveredCounts> {
    const { rows } = await this.#pool.query<{ status: string; n: string }>(
      `SELECT status, COUNT(*) AS n FROM ticket_notifications WHERE status IN ('pending', 'sending', 'failed') GROUP BY status`,
    );
    // COUNT(*) is a bigint, which pg returns as a string.
    return undeliveredCounts(rows.map((r) => ({ status: r.status, n: Number(r.n) })));
  }

  async #settle(id: number, set: string, params: unknown[]): Promise<void> {
    const result = await this.#pool.query(`UPDATE ticket_notifications SET ${set} WHERE id = $1 AND status = 'sending'`, [id, ...params]);
    if (result.rowCount !== 1) throw new AppError('conflict', 'notification is not being sent', { id });
  }
}
