/**
 * The internal listener for `GET /metrics` (METRICS_HOST:METRICS_PORT, e.g. 127.0.0.1:9464): a
 * plain HTTP server apart from the public one, answering that one path (with METRICS_TOKEN, only
 * with the token) and 404 to everything else. Nothing of the bot or the desk is reachable on it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { AppMetrics } from '../observability/app-metrics.js';
import { answerScrape, type MetricsAccess } from './metrics-route.js';

export class MetricsListener {
  readonly #server: Server;
  readonly #host: string;
  readonly #port: number;

  constructor(options: { readonly metrics: AppMetrics; readonly access: MetricsAccess; readonly host: string; readonly port: number; readonly logger: Logger }) {
    this.#host = options.host;
    this.#port = options.port;
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 'not_found', message: 'Not found' }));
        return;
      }
      answerScrape(options.metrics, options.access, req.headers.authorization).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(req.method === 'HEAD' ? undefined : answer.body);
        },
        (err: unknown) => {
          options.logger.warn({ err: { message: (err as Error).message } }, 'metrics: scrape failed');
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ code: 'internal', message: 'Internal error' }));
        },
      );
    });
    // A scraper that keeps its connection open must not hold the shutdown.
    this.#server.keepAliveTimeout = 5_000;
  }

  /** Starts listening; resolves with the URL (a port of 0 takes a free one). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off('error', reject);
        const { address, port } = this.#server.address() as AddressInfo;
        resolve(`http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`);
      });
    });
  }

  /** Stops listening and ends idle connections (no-op when not listening). */
  close(): Promise<void> {
    if (!this.#server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }
}
