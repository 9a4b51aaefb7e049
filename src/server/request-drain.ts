import type { Request, Response, Server } from 'restify';

/** What {@link RequestDrain.close} reports. */
export interface DrainResult {
  /** True when every request in flight was answered within the grace period. */
  readonly drained: boolean;
  /** Requests still running when the grace period ran out (their connections were cut). */
  readonly abandoned: number;
}

/**
 * Lets a stopping server finish what it started. Counts requests in flight (a chat turn runs
 * inside its request, on both /api/messages and the web chat), and on {@link close} stops
 * listening, answers requests that still arrive on kept-alive connections with 503 and
 * `Connection: close`, waits (bounded) for those in flight, then ends every connection.
 */
export class RequestDrain {
  #active = 0;
  #closing = false;
  #waiters: (() => void)[] = [];

  constructor(private readonly server: Server) {
    // `pre` runs before routing and body parsing, so a refused request costs nothing.
    server.pre((_req: Request, res: Response, next: (err?: false) => void) => {
      if (this.#closing) {
        res.setHeader('Connection', 'close');
        res.setHeader('Retry-After', '1');
        res.send(503, { code: 'unavailable', message: 'The server is shutting down' });
        return next(false);
      }
      this.#active++;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        this.#active--;
        if (this.#active === 0) this.#waiters.splice(0).forEach((wake) => wake());
      };
      res.once('finish', end);
      // `close` also fires when the client went away first; the handler still runs to its end.
      res.once('close', end);
      return next();
    });
  }

  /** Requests being handled right now. */
  get inFlight(): number {
    return this.#active;
  }

  /** True once {@link close} was called. */
  get closing(): boolean {
    return this.#closing;
  }

  /**
   * Stops accepting, waits up to `graceMs` for the requests in flight, then closes every
   * connection and the listener. Safe to call when the server never listened.
   */
  async close(graceMs: number): Promise<DrainResult> {
    this.#closing = true;
    const http = this.server.server;
    const listenerClosed = new Promise<void>((resolve) => {
      if (!http.listening) return resolve();
      http.close(() => resolve());
    });
    // Kept-alive connections with nothing in flight would hold `close` open until they time out.
    http.closeIdleConnections();
    const drained = await this.#idle(graceMs);
    const abandoned = this.#active;
    http.closeAllConnections();
    await listenerClosed;
    return { drained, abandoned };
  }

  #idle(graceMs: number): Promise<boolean> {
    if (this.#active === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
