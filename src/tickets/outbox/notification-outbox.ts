/**
 * The dispatcher's side of the outbox. Rows are added only by the ticket repository, inside the
 * transaction of the change they announce; this port claims, settles and lists them. Every
 * implementation passes test/tickets/notification-outbox.contract.ts.
 */
import type { TicketId } from '../ticket.js';
import type { DeliveryStatus, OutboxNotification } from './notification.js';

/** Notifications not delivered yet, by status: the backlog (`pending`, `sending`) and the failures. */
export type UndeliveredCounts = Readonly<Record<Exclude<DeliveryStatus, 'delivered'>, number>>;

export interface NotificationOutbox {
  /**
   * Claims up to `limit` notifications that are due (pending with `nextAttemptAt <= now`, or
   * `sending` whose claim expired: a dispatcher that died mid-way), oldest first, marking them
   * `sending` until `now + leaseMs` and counting the attempt. Two dispatchers never hold the same
   * notification at once.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxNotification[]>;

  /** The customer got it. Only a claimed (`sending`) notification can be settled. */
  markDelivered(id: number, at: Date): Promise<void>;

  /**
   * The attempt failed: try again at `retryAt`, or give up (`failed`) when `retryAt` is `null`.
   * `error` is stored as given: pass a short description without personal data.
   */
  markAttemptFailed(id: number, error: string, retryAt: Date | null): Promise<void>;

  /** A failed notification goes back to the queue for one more round of attempts. */
  requeue(id: number, now: Date): Promise<OutboxNotification>;

  /** Everything sent (or to be sent) for a ticket, oldest first. */
  listForTicket(ticketId: TicketId): Promise<OutboxNotification[]>;

  /**
   * How many notifications wait (`pending`, `sending`) or failed for good, over the whole outbox
   * (every instance's): what /metrics reports. Delivered ones are history and are not counted.
   */
  countUndelivered(): Promise<UndeliveredCounts>;
}

/** Rows of `status, count` (any order, statuses missing when none) as counts with every status. */
export function undeliveredCounts(rows: readonly { readonly status: string; readonly n: number }[]): UndeliveredCounts {
  const counts = { pending: 0, sending: 0, failed: 0 };
  for (const { status, n } of rows) if (status === 'pending' || status === 'sending' || status === 'failed') counts[status] = n;
  return counts;
}
