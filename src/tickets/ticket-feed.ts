/**
 * Follows the tickets' change feed (TicketRepository.listChangedSince) and tells subscribers about
 * each new or changed ticket once per version: the desk's live queue and the agents' alerts in
 * Teams listen to it. It polls the store, so a change made by any instance reaches every instance.
 *
 * Reads overlap the last few seconds: a change is stamped before its transaction commits, so a
 * slower writer may land behind a cursor already read; versions already seen are not told again.
 */
import type { Logger } from '../logger.js';
import type { ChangeCursor, TicketSummary } from './ticket-queue.js';
import type { TicketRepository } from './ticket-repository.js';

export type TicketChangeListener = (ticket: TicketSummary) => void | Promise<void>;

export interface TicketFeedOptions {
  readonly repository: Pick<TicketRepository, 'listChangedSince'>;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly pollMs?: number;
  /** How far back each read starts again. */
  readonly overlapMs?: number;
  /** Start from here instead of "now": a listener that must not miss changes made while it was down. */
  readonly from?: ChangeCursor | null;
}

const BATCH = 500;

export class TicketFeed {
  readonly #o: Required<Omit<TicketFeedOptions, 'from' | 'now'>> & { now: () => Date };
  readonly #listeners = new Set<TicketChangeListener>();
  /** Ticket id → version already told, for changes inside the overlap window. */
  readonly #seen = new Map<string, { version: number; updatedAt: string }>();
  #cursor: ChangeCursor | null;
  #timer: NodeJS.Timeout | null = null;
  #polling: Promise<void> | null = null;

  constructor(options: TicketFeedOptions) {
    this.#o = { pollMs: 1000, overlapMs: 5000, now: () => new Date(), ...options };
    this.#cursor = options.from === undefined ? { updatedAt: this.#o.now().toISOString(), id: '' as ChangeCursor['id'] } : options.from;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: TicketChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#timer) return;
    const tick = () => {
      this.#timer = setTimeout(() => void this.poll().finally(() => this.#timer && tick()), this.#o.pollMs);
      this.#timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#polling;
  }

  /** Reads what changed since the last poll and tells the listeners (tests call it directly). */
  poll(): Promise<void> {
    this.#polling ??= this.#read().finally(() => (this.#polling = null));
    return this.#polling;
  }

  async #read(): Promise<void> {
    try {
      // The first page starts a little before the cursor; the next ones go on from where a full page ended.
      let from = this.#cursor ? { ...this.#cursor, updatedAt: new Date(Date.parse(this.#cursor.updatedAt) - this.#o.overlapMs).toISOString() } : null;
      for (;;) {
        const page = await this.#o.repository.listChangedSince(from, BATCH);
        for (const ticket of page.tickets) {
          const seen = this.#seen.get(ticket.id);
          if (seen && seen.version >= ticket.version) continue;
          this.#seen.set(ticket.id, { version: ticket.version, updatedAt: ticket.updatedAt });
          for (const listener of this.#listeners) await this.#tell(listener, ticket);
        }
        if (page.cursor && (!this.#cursor || page.cursor.updatedAt > this.#cursor.updatedAt)) this.#cursor = page.cursor;
        this.#forgetOld();
        if (page.tickets.length < BATCH) return;
        from = page.cursor;
      }
    } catch (err) {
      this.#o.logger.warn({ err: { message: (err as Error).message } }, 'ticket feed: read failed; will retry');
    }
  }

  async #tell(listener: TicketChangeListener, ticket: TicketSummary): Promise<void> {
    try {
      await listener(ticket);
    } catch (err) {
      this.#o.logger.warn({ ticket: ticket.id, err: { message: (err as Error).message } }, 'ticket feed: a listener failed');
    }
  }

  /** Versions older than the overlap window cannot come back: forget them so memory stays small. */
  #forgetOld(): void {
    if (!this.#cursor) return;
    const horizon = new Date(Date.parse(this.#cursor.updatedAt) - 2 * this.#o.overlapMs).toISOString();
    for (const [id, seen] of this.#seen) if (seen.updatedAt < horizon) this.#seen.delete(id);
  }
}
