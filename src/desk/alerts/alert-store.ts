/**
 * What the ticket alerter remembers per agents' channel: which message shows which ticket, the
 * version it shows, what is still to send, and how far the change feed has been read. It lives in
 * the database, so a restart (or a second instance) neither posts a card again nor misses a change.
 */
import type { ChangeCursor, TicketSummary } from '../../tickets/ticket-queue.js';

/** The channel's place in the ticket change feed. */
export interface AlertFeedState {
  /** When alerts were switched on for this channel: older tickets get no card. */
  readonly enabledAt: string;
  readonly cursor: ChangeCursor;
}

/** A card to send: the ticket's newest version, and the message to update if there is one. */
export interface DueAlert {
  readonly ticket: TicketSummary;
  /** `null` until the first card was posted. */
  readonly activityId: string | null;
  /** Failed attempts since the last success. */
  readonly attempts: number;
}

/** What was sent for a ticket. */
export interface Delivery {
  readonly ticketId: string;
  readonly version: number;
  readonly activityId: string;
  /** Whether the card sent marks the ticket overdue. */
  readonly overdue: boolean;
  /** The deadline the card counted towards, while the ticket awaits verification: passing it redraws the card. */
  readonly verificationDueAt: string | null;
}

export interface TicketAlertStore {
  /** The feed position; the first call for a channel (alerts just switched on) starts it at `now`. */
  begin(now: Date): Promise<AlertFeedState>;
  /**
   * Records a ticket as the feed told it, with the feed position, in one transaction: its newest
   * version becomes due now (a newer version also cuts a retry's wait short). Tickets opened before
   * alerts were switched on are skipped. Returns whether a card is due.
   */
  record(ticket: TicketSummary): Promise<boolean>;
  /**
   * Claims up to `limit` due alerts for `leaseMs` (another sender skips them meanwhile): not yet
   * shown at their newest version, or past their verification deadline on a card that does not say
   * so; not waiting for a retry.
   */
  claimDue(now: Date, leaseMs: number, limit: number): Promise<DueAlert[]>;
  /** The card is in the channel; releases the claim. */
  delivered(delivery: Delivery): Promise<void>;
  /** Sending failed; releases the claim and waits until `retryAt`. Returns the failed attempts so far. */
  failed(ticketId: string, retryAt: Date): Promise<number>;
}
