/**
 * Ticket alerts in the agents' channel: each ticket opened after alerts were switched on gets one
 * card, and every later change (verified, approved, done…) updates that same card in place.
 *
 * Each round reads the ticket change feed, records what changed (with the feed position, so a
 * restart resumes where it stopped), then sends what is due. A card that could not be sent stays
 * due: it is tried again at a later round, sooner when the ticket changes again, and the version
 * it shows only moves on once the channel took it.
 */
import type { Logger } from '../../logger.js';
import type { TicketFeed } from '../../tickets/ticket-feed.js';
import type { ChangeCursor, TicketSummary } from '../../tickets/ticket-queue.js';
import type { AlertChannel } from './alert-channel.js';
import type { DueAlert, TicketAlertStore } from './alert-store.js';
import type { TicketAlert } from './ticket-alert-card.js';

export interface TicketAlertsDeps {
  readonly store: TicketAlertStore;
  /** Opens the change feed at the stored position (once, at the first round). */
  readonly openFeed: (from: ChangeCursor) => Pick<TicketFeed, 'subscribe' | 'poll'>;
  readonly channel: AlertChannel;
  /** Draws a ticket's card as of `now`. */
  readonly render: (ticket: TicketSummary, now: Date) => TicketAlert;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Between rounds. Default 2 s. */
  readonly pollMs?: number;
  /** How long a claimed card is left to its sender before another may try. Default 2 min. */
  readonly leaseMs?: number;
}

/** First retry after 5 s, doubling up to 10 minutes. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 10 * 60_000;

export class TicketAlerts {
  readonly #d: Required<Omit<TicketAlertsDeps, 'now'>> & { now: () => Date };
  #feed: Pick<TicketFeed, 'subscribe' | 'poll'> | null = null;
  #rounds: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;
  /** Alerts count as switched on from here (not from the first round), on the very first start. */
  readonly #createdAt: Date;

  constructor(deps: TicketAlertsDeps) {
    this.#d = { pollMs: 2_000, leaseMs: 120_000, now: () => new Date(), ...deps };
    this.#createdAt = this.#d.now();
  }

  /** Runs a round every `pollMs` until {@link stop}. */
  start(): void {
    if (this.#timer) return;
    const tick = () => {
      this.#timer = setTimeout(() => void this.sync().finally(() => this.#timer && tick()), this.#d.pollMs);
      this.#timer.unref();
    };
    tick();
  }

  /** Stops the rounds and waits for the one under way. */
  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#rounds;
  }

  /**
   * One round now, after any under way: read the feed, then send what is due at `at` (default
   * now). Never rejects; failures are logged and retried later. Tests call it instead of waiting.
   */
  sync(at?: Date): Promise<void> {
    this.#rounds = this.#rounds.then(() => this.#round(at ?? this.#d.now()));
    return this.#rounds;
  }

  async #round(now: Date): Promise<void> {
    try {
      const feed = this.#feed ?? (await this.#open());
      await feed.poll();
      // One at a time: after a failure the channel is probably down, and the rest waits for the next round.
      for (;;) {
        const [due] = await this.#d.store.claimDue(now, this.#d.leaseMs, 1);
        if (!due || !(await this.#send(due, now))) return;
      }
    } catch (err) {
      this.#d.logger.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'ticket alerts: round failed; will retry');
    }
  }

  async #open(): Promise<Pick<TicketFeed, 'subscribe' | 'poll'>> {
    const state = await this.#d.store.begin(this.#createdAt);
    const feed = this.#d.openFeed(state.cursor);
    feed.subscribe(async (ticket) => void (await this.#d.store.record(ticket)));
    this.#feed = feed;
    return feed;
  }

  /** Posts or updates one card; returns whether the channel took it. */
  async #send(due: DueAlert, now: Date): Promise<boolean> {
    const { ticket } = due;
    const action = due.activityId === null ? 'post' : 'update';
    try {
      const alert = this.#d.render(ticket, now);
      const message = { card: alert.card, summary: alert.summary };
      const activityId = due.activityId ?? (await this.#d.channel.post(message));
      if (due.activityId !== null) await this.#d.channel.update(due.activityId, message);
      await this.#d.store.delivered({
        ticketId: ticket.id,
        version: ticket.version,
        activityId,
        overdue: alert.overdue,
        verificationDueAt: alert.verificationDueAt,
      });
      this.#d.logger.debug({ ticket: ticket.id, version: ticket.version, action }, 'ticket alert sent');
      return true;
    } catch (err) {
      const retryAt = new Date(now.getTime() + Math.min(RETRY_BASE_MS * 2 ** due.attempts, RETRY_MAX_MS));
      const attempts = await this.#d.store.failed(ticket.id, retryAt);
      // Ids, codes and the connector's error only: the card holds no personal data, and neither does this line.
      const e = err as { name?: string; message?: string; statusCode?: number; code?: string };
      this.#d.logger.warn(
        { ticket: ticket.id, version: ticket.version, action, attempts, retryAt: retryAt.toISOString(), err: { name: e.name, statusCode: e.statusCode, code: e.code, message: e.message } },
        'ticket alert not sent; will retry',
      );
      return false;
    }
  }
}
