/**
 * The outbox in memory, for tests: the memory ticket repository adds to it in the same synchronous
 * step as the change, which is as atomic as memory gets.
 */
import { AppError } from '../../errors.js';
import type { Ticket, TicketId } from '../ticket.js';
import { undeliveredCounts, type NotificationOutbox, type UndeliveredCounts } from './notification-outbox.js';
import type { NotificationRequest, OutboxNotification } from './notification.js';

type Stored = OutboxNotification & { claimedUntil: string | null };

export class MemoryNotificationOutbox implements NotificationOutbox {
  readonly #rows = new Map<number, Stored>();
  #nextId = 1;

  /** Called by MemoryTicketRepository with the change it announces. */
  add(ticket: Ticket, request: NotificationRequest, at: string): void {
    const id = this.#nextId++;
    this.#rows.set(id, {
      id,
      ticketId: ticket.id,
      kind: request.kind,
      params: structuredClone(request.params),
      language: ticket.language,
      channelId: ticket.channelId,
      conversationReference: structuredClone(ticket.conversationReference),
      status: 'pending',
      attempts: 0,
      createdAt: at,
      nextAttemptAt: at,
      deliveredAt: null,
      lastError: null,
      claimedUntil: null,
    });
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxNotification[]> {
    const at = now.toISOString();
    const due = [...this.#rows.values()]
      .filter((r) => (r.status === 'pending' && r.nextAttemptAt <= at) || (r.status === 'sending' && (r.claimedUntil ?? '') <= at))
      .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id - b.id)
      .slice(0, limit);
    const claimedUntil = new Date(now.getTime() + leaseMs).toISOString();
    return due.map((r) => {
      const claimed: Stored = { ...r, status: 'sending', attempts: r.attempts + 1, claimedUntil };
      this.#rows.set(r.id, claimed);
      return publicCopy(claimed);
    });
  }

  async markDelivered(id: number, at: Date): Promise<void> {
    const row = this.#sending(id);
    this.#rows.set(id, { ...row, status: 'delivered', deliveredAt: at.toISOString(), claimedUntil: null, lastError: null });
  }

  async markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    const row = this.#sending(id);
    const lastError = error.slice(0, 500);
    this.#rows.set(
      id,
      retryAt === null
        ? { ...row, status: 'failed', claimedUntil: null, lastError }
        : { ...row, status: 'pending', claimedUntil: null, lastError, nextAttemptAt: retryAt.toISOString() },
    );
  }

  async requeue(id: number, now: Date): Promise<OutboxNotification> {
    const row = this.#rows.get(id);
    if (!row) throw new AppError('not_found', 'notification not found');
    if (row.status !== 'failed') throw new AppError('illegal_transition', 'only a failed notification can be sent again');
    const next: Stored = { ...row, status: 'pending', attempts: 0, nextAttemptAt: now.toISOString() };
    this.#rows.set(id, next);
    return publicCopy(next);
  }

  async listForTicket(ticketId: TicketId): Promise<OutboxNotification[]> {
    return [...this.#rows.values()].filter((r) => r.ticketId === ticketId).sort((a, b) => a.id - b.id).map(publicCopy);
  }

  async countUndelivered(): Promise<UndeliveredCounts> {
    const byStatus = new Map<string, number>();
    for (const r of this.#rows.values()) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    return undeliveredCounts([...byStatus].map(([status, n]) => ({ status, n })));
  }

  /** Failed notifications per ticket, for the queue rows. */
  failedCount(ticketId: TicketId): number {
    return [...this.#rows.values()].filter((r) => r.ticketId === ticketId && r.status === 'failed').length;
  }

  #sending(id: number): Stored {
    const row = this.#rows.get(id);
    if (!row || row.status !== 'sending') throw new AppError('conflict', 'notification is not being sent', { id });
    return row;
  }
}

function publicCopy(row: Stored): OutboxNotification {
  const { claimedUntil: _claimedUntil, ...rest } = row;
  return structuredClone(rest);
}
