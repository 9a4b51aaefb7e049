/**
 * The live queue: `GET /desk/events` streams Server-Sent Events to each open queue page. Every
 * ticket the change feed reports is rendered for each stream (in its agent's language, with its
 * filters) as a `ticket` event; comments keep the connection open and check, without counting as
 * activity, that the session still works. A stream whose session ended (sign-out in another tab,
 * idle, disabled agent) gets an `end` event and is closed, so the page stops listening and says
 * why. (The tab that signs out navigates away, which closes its own stream.)
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../logger.js';
import type { TicketFeed } from '../../tickets/ticket-feed.js';
import type { TicketSummary } from '../../tickets/ticket-queue.js';

/** One open stream: how to render a change for it, and whether its session still works. */
export interface LiveStream {
  /** The `ticket` event's data for this change, or null to send nothing. */
  render(ticket: TicketSummary): Promise<unknown>;
  signedIn(): Promise<boolean>;
}

export interface ConsoleEventsOptions {
  readonly feed: TicketFeed;
  readonly logger: Logger;
  /** How often streams get a comment and a session check. */
  readonly heartbeatMs?: number;
}

export class ConsoleEvents {
  readonly #streams = new Map<ServerResponse, LiveStream>();
  readonly #o: Required<ConsoleEventsOptions>;
  #unsubscribe: (() => void) | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: ConsoleEventsOptions) {
    this.#o = { heartbeatMs: 20_000, ...options };
  }

  /** Listens to the feed and starts the heartbeat. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#o.feed.subscribe((ticket) => this.#broadcast(ticket));
    this.#timer = setInterval(() => void this.heartbeat(), this.#o.heartbeatMs);
    this.#timer.unref();
  }

  /** Takes over a response as an event stream. */
  open(res: ServerResponse, stream: LiveStream): void {
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
    await Promise.all(
      [...this.#streams].map(async ([res, stream]) => {
        try {
          const data = await stream.render(ticket);
          if (data !== null && !res.writableEnded) res.write(`event: ticket\ndata: ${JSON.stringify(data)}\n\n`);
        } catch (err) {
          this.#o.logger.warn({ ticket: ticket.id, err: { message: (err as Error).message } }, 'desk live queue: could not render a change');
        }
      }),
    );
  }

  #end(res: ServerResponse, reason: 'signed_out' | 'shutdown'): void {
    this.#streams.delete(res);
    if (res.writableEnded) return;
    res.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
  }
}
