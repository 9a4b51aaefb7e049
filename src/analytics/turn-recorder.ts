/**
 * Records every finished turn for the reports, off the turn's path: `turnFinished` only queues the
 * turn (about a microsecond); the queue is turned into records (the conversation key hashed) and
 * written in one transaction every second, or as soon as it holds `maxBatch` turns, and on close.
 *
 * A crash loses at most what was queued since the last write (about a second of turns): acceptable
 * for aggregate reports, and the price of adding almost nothing to a turn's time.
 */
import { createHash } from 'node:crypto';
import type { FinishedTurn, TurnObserver } from '../conversation/turn-observer.js';
import type { Logger } from '../logger.js';
import type { AnalyticsStore } from './analytics-store.js';
import type { RecordedTurn } from './conversation-session.js';

/** The conversation key as the reports keep it: no channel or conversation id, just a stable hash. */
export function conversationKeyHash(conversationKey: string): string {
  // A conversation has many turns: its hash is worked out once (a bounded memory, emptied when full).
  const known = HASHES.get(conversationKey);
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(conversationKey).digest('base64url').slice(0, 32);
  if (HASHES.size >= 10_000) HASHES.clear();
  HASHES.set(conversationKey, hash);
  return hash;
}

const HASHES = new Map<string, string>();

/** Writes of one batch before it is given up. */
export const MAX_ATTEMPTS = 3;

export interface TurnRecorderOptions {
  readonly store: AnalyticsStore;
  readonly logger: Pick<Logger, 'warn'>;
  /** Longest wait before queued turns are written (default 1000 ms). */
  readonly flushIntervalMs?: number;
  /** Turns queued before a write starts at once (default 200). */
  readonly maxBatch?: number;
  /** Turns kept queued while the store keeps failing; the oldest are dropped beyond it (default 10,000). */
  readonly maxQueued?: number;
}

export class TurnRecorder implements TurnObserver {
  readonly #store: AnalyticsStore;
  readonly #logger: Pick<Logger, 'warn'>;
  readonly #intervalMs: number;
  readonly #maxBatch: number;
  readonly #maxQueued: number;
  #queue: FinishedTurn[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The write in progress: writes run one after another, in turn order. */
  #writing: Promise<void> = Promise.resolve();
  #busy = false;
  #next: Promise<void> | undefined;
  #closed = false;
  /** Failed writes of the batch at the front of the queue in a row. */
  #failures = 0;

  constructor(options: TurnRecorderOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#intervalMs = options.flushIntervalMs ?? 1_000;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxQueued = options.maxQueued ?? 10_000;
  }

  turnFinished(turn: FinishedTurn): void {
    if (this.#closed) return;
    // Welcome turns (the chat opened) start nothing: a session starts with the customer's first message.
    if (turn.inputKind === 'welcome') return;
    this.#queue.push(turn);
    // The store has been failing for a while: the oldest turn goes, the queue stays bounded.
    if (this.#queue.length > this.#maxQueued) this.#queue.shift();
    // The write belongs to no turn: its log lines carry no turn id.
    if (this.#queue.length >= this.#maxBatch) void this.flush();
    else if (this.#timer === undefined) this.#schedule();
  }

  /** The next write in a second; a pending write never keeps the process alive (close() writes the rest). */
  #schedule(): void {
    this.#timer = setTimeout(() => void this.flush(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Turns queued and not yet written. */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Writes what is queued now, after any write in progress. Never rejects: a failed write is
   * logged and its turns go back to the front of the queue for the next round; after
   * {@link MAX_ATTEMPTS} failures in a row they are dropped, so one bad batch cannot stop recording.
   */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    // Started at once when no write is running, so SQLite's synchronous store has written the
    // queue when this returns: the SQLite app's close() flushes and closes the file in one go.
    if (!this.#busy) return (this.#writing = this.#writeQueued());
    // One write waits behind the running one and takes whatever is queued by then.
    this.#next ??= this.#writing.then(() => {
      this.#next = undefined;
      return (this.#writing = this.#writeQueued());
    });
    return this.#next;
  }

  /** Writes everything queued and stops recording (the app's close). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  async #writeQueued(): Promise<void> {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    this.#busy = true;
    try {
      await this.#store.record(batch.map(recordOf));
      this.#failures = 0;
    } catch (err) {
      this.#failures += 1;
      const dropped = this.#failures >= MAX_ATTEMPTS;
      this.#logger.warn(
        { err: { name: (err as Error).name, message: (err as Error).message }, turns: batch.length, dropped },
        dropped ? 'could not record turns for the reports; dropped' : 'could not record turns for the reports; retrying',
      );
      if (dropped) {
        this.#failures = 0;
        return;
      }
      this.#queue = [...batch, ...this.#queue];
      if (!this.#closed && this.#timer === undefined) this.#schedule();
    } finally {
      this.#busy = false;
    }
  }
}

/** What the store keeps of a finished turn: the key hashed, the time as ISO text. */
function recordOf(turn: FinishedTurn): RecordedTurn {
  return {
    keyHash: conversationKeyHash(turn.conversationKey),
    channel: turn.channelId,
    language: turn.language,
    at: turn.at.toISOString(),
    fact: turn.fact,
    ticketId: turn.ticketId,
  };
}
