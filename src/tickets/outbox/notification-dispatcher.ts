/**
 * Delivers the outbox: claims what is due, hands each notification to the channel, and settles it
 * (delivered, retried later with exponential backoff, or failed after the last attempt). Runs on a
 * timer in every instance and can be woken right after a change; the outbox's claim keeps two
 * dispatchers from sending one notification twice.
 */
import type { Logger } from '../../logger.js';
import type { NotificationOutbox } from './notification-outbox.js';
import type { OutboxNotification } from './notification.js';

/** Sends one notification to the customer; throws when it could not be delivered. */
export type DeliverNotification = (notification: OutboxNotification) => Promise<void>;

export interface DispatcherOptions {
  readonly outbox: NotificationOutbox;
  readonly deliver: DeliverNotification;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Attempts before a notification is marked failed. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles with each attempt, capped at `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How long a claim holds: longer than a delivery may take. */
  readonly leaseMs?: number;
  /** How often to look for due notifications when nobody wakes the dispatcher. */
  readonly pollMs?: number;
  readonly batchSize?: number;
}

export class NotificationDispatcher {
  readonly #o: Required<Omit<DispatcherOptions, 'now'>> & { now: () => Date };
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #again = false;
  #stopped = true;

  constructor(options: DispatcherOptions) {
    this.#o = {
      now: options.now ?? (() => new Date()),
      maxAttempts: 8,
      baseDelayMs: 5_000,
      maxDelayMs: 30 * 60_000,
      leaseMs: 60_000,
      pollMs: 5_000,
      batchSize: 20,
      ...options,
    };
  }

  /** Starts polling. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Whether it polls: started and not stopped (the readiness check asks). */
  get running(): boolean {
    return !this.#stopped;
  }

  /** Stops polling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** A change was just written: deliver now instead of at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) this.#again = true;
    else this.#schedule(0);
  }

  /**
   * Waits for a round in progress, then runs a fresh one: everything written before the call is
   * attempted by the time it resolves (tests, and shutdown, use it).
   */
  async flush(): Promise<number> {
    await this.#running?.catch(() => undefined);
    return this.runOnce();
  }

  /**
   * One round: everything due now, batch after batch. Returns how many were delivered.
   * Rounds never overlap within one dispatcher.
   */
  async runOnce(): Promise<number> {
    if (this.#running) return this.#running;
    this.#running = this.#round().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #round(): Promise<number> {
    const o = this.#o;
    let delivered = 0;
    for (;;) {
      const batch = await o.outbox.claimDue(o.now(), o.batchSize, o.leaseMs);
      for (const n of batch) {
        try {
          await o.deliver(n);
          await o.outbox.markDelivered(n.id, o.now());
          delivered++;
          o.logger.info({ ticket: n.ticketId, notification: n.id, kind: n.kind }, 'customer notified');
        } catch (err) {
          const last = n.attempts >= o.maxAttempts;
          const delay = Math.min(o.baseDelayMs * 2 ** (n.attempts - 1), o.maxDelayMs);
          const error = describe(err);
          await o.outbox.markAttemptFailed(n.id, error, last ? null : new Date(o.now().getTime() + delay));
          o.logger.warn({ ticket: n.ticketId, notification: n.id, kind: n.kind, attempt: n.attempts, final: last, err: { message: error } },
            last ? 'customer notification failed for good' : 'customer notification failed; will retry');
        }
      }
      if (batch.length < o.batchSize) return delivered;
    }
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.runOnce()
        .catch((err: unknown) => this.#o.logger.error({ err: { message: describe(err) } }, 'notification dispatch round failed'))
        .finally(() => {
          const again = this.#again;
          this.#again = false;
          this.#schedule(again ? 0 : this.#o.pollMs);
        });
    }, ms);
    this.#timer.unref();
  }
}

/** Error name and message only: a connector's error may echo the request, which holds the message text. */
function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return 'unknown error';
}
