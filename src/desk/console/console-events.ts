/**
 * The live queue: `GET /desk/events` streams Server-Sent Events to each open queue page. Every
 * ticket the change feed reports is rendered for each stream (in its agent's language, with its
 * filters) as a `ticket` event; what is the same for every stream (counts, the agent list, a row
 * per language and zone) is computed once per change. Before each event, and at each heartbeat
 * comment, the session is checked without counting as activity: a stream whose session ended
 * (sign-out in another tab, idle, disabled agent, revoked token) gets an `end` event and is
 * closed, so the page stops listening and says why. (The tab that signs out navigates away, which
 * closes its own stream.) A session keeps at most a few streams (a new one ends its oldest) and the
 * server a bounded number (beyond: 503 with Retry-After).
 */
import type { ServerResponse } from 'node:http';
import { logFields, type LogContext, type Logger } from '../../logger.js';
import type { TicketFeed } from '../../tickets/ticket-feed.js';
import type { TicketSummary } from '../../tickets/ticket-queue.js';

/**
 * What is the same for every stream for one change: computed by the first stream that asks for
 * `key`, then handed to the others.
 */
export interface SharedChange {
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** One open stream: whose session it is, how to render a change for it, and whether its session still works. */
export interface LiveStream {
  /** Identifies the console session (not the secret itself): its streams count against one limit. */
  readonly sessionKey: string;
  /** The `ticket` event's data for this change, or null to send nothing. */
  render(ticket: TicketSummary, change: SharedChange): Promise<unknown>;
  signedIn(): Promise<boolean>;
}

export type EndReason = 'signed_out' | 'shutdown' | 'too_many_streams';

export interface ConsoleEventsOptions {
  readonly feed: TicketFeed;
  readonly logger: Logger;
  /** How often streams get a comment and a session check. */
  readonly heartbeatMs?: number;
  /** Open streams per session; opening one more ends the session's oldest (default 3). */
  readonly maxPerSession?: number;
  /** Open streams in all; beyond, 503 with Retry-After (default 500). */
  readonly maxStreams?: number;
  /** The Retry-After of that 503, in seconds (default 30). */
  readonly retryAfterSeconds?: number;
}

/** A fresh cache for one change. */
function sharedChange(): SharedChange {
  const cache = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let hit = cache.get(key) as Promise<T> | undefined;
      if (!hit) {
        hit = compute();
        cache.set(key, hit);
      }
      return hit;
    },
  };
}

export class ConsoleEvents {
  readonly #streams = new Map<ServerResponse, LiveStream>();
  readonly #o: Required<ConsoleEventsOptions>;
  #unsubscribe: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: ConsoleEventsOptions) {
    this.#o = { heartbeatMs: 20_000, maxPerSession: 3, maxStreams: 500, retryAfterSeconds: 30, ...options };
  }

  /** Listens to the feed and starts the heartbeat. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#o.feed.subscribe((ticket) => this.#broadcast(ticket));
    this.#timer = setInterval(() => void this.heartbeat(), this.#o.heartbeatMs);
    this.#timer.unref();
  }

  /**
   * Takes over a response as an event stream, ending the session's oldest streams beyond its
   * limit; false (after answering 503 with Retry-After) when the server already holds its maximum.
   */
  open(res: ServerResponse, stream: LiveStream, log?: LogContext): boolean {
    // Map order is opening order: the first ones are the oldest.
    const own = [...this.#streams].filter(([, s]) => s.sessionKey === stream.sessionKey).map(([r]) => r);
    if (own.length < this.#o.maxPerSession && this.#streams.size >= this.#o.maxStreams) {
      this.#o.logger.warn({ ...logFields(log), open: this.#streams.size }, 'desk live queue: too many open streams, refusing one');
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': String(this.#o.retryAfterSeconds) });
      res.end('too many live queue connections, try again later');
      return false;
    }
    for (const old of own.slice(0, Math.max(0, own.length - this.#o.maxPerSession + 1))) this.#end(old, 'too_many_streams');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Proxies that buffer responses (nginx) would hold events back.
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 5000\n: connected\n\n`);
    this.#streams.set(res, stream);
    res.on('close', () => this.#streams.delete(res));
    return true;
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Sends a comment to every stream and ends those whose session is over. */
  async heartbeat(): Promise<void> {
    await Promise.all(
      [...this.#streams].map(async ([res, stream]) => {
        if (await stream.signedIn().catch(() => false)) res.write(': heartbeat\n\n');
        else this.#end(res, 'signed_out');
      }),
    );
  }

  /** Ends every stream (the server is stopping) and stops listening. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const res of [...this.#streams.keys()]) this.#end(res, 'shutdown');
  }

  async #broadcast(ticket: TicketSummary): Promise<void> {
    const change = sharedChange();
    await Promise.all(
      [...this.#streams].map(async ([res, stream]) => {
        try {
          // A disabled or signed-out agent must not get one more ticket while waiting for the heartbeat.
          if (!(await stream.signedIn().catch(() => false))) return this.#end(res, 'signed_out');
          const data = await stream.render(ticket, change);
          if (data !== null && !res.writableEnded && this.#streams.has(res)) res.write(`event: ticket\ndata: ${JSON.stringify(data)}\n\n`);
        } catch (err) {
          this.#o.logger.warn({ ticket: ticket.id, err: { message: (err as Error).message } }, 'desk live queue: could not render a change');
        }
      }),
    );
  }

  #end(res: ServerResponse, reason: EndReason): void {
    this.#streams.delete(res);
    if (res.writableEnded) return;
    res.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
  }
}
