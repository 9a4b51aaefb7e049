/**
 * `GET /metrics` (Prometheus text format), never open by default. Configuration decides where:
 * - METRICS_PORT (and METRICS_HOST, default 127.0.0.1): on an internal listener of its own
 *   (metrics-listener.ts); the public port then answers 404 as for any unknown path;
 * - METRICS_TOKEN: a Bearer token required wherever it is served (both ways together: the
 *   internal listener asks for the token too);
 * - neither: the public port answers 404, and the start-up log warns.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { AppMetrics } from '../observability/app-metrics.js';

export interface MetricsAccess {
  /** The Bearer token scrapers must send, or null for none. */
  readonly token: string | null;
}

export interface MetricsAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether an Authorization header carries the token. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or content of what was sent.
 */
export function carriesToken(authorization: string | undefined, token: string): boolean {
  const sent = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(sent), digest(token)) && sent !== '';
}

/** The answer to one scrape: 401 without the token (when one is required), else the exposition. */
export async function answerScrape(metrics: AppMetrics, access: MetricsAccess, authorization: string | undefined): Promise<MetricsAnswer> {
  if (access.token !== null && !carriesToken(authorization, access.token)) {
    return {
      status: 401,
      headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' },
      body: JSON.stringify({ code: 'unauthorized', message: 'Unauthorized' }),
    };
  }
  return { status: 200, headers: { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }, body: await metrics.metrics() };
}

/**
 * `GET /metrics` on the public port, when METRICS_TOKEN is set and no internal listener is: 401
 * without the token. Otherwise no route at all (404, like any unknown path).
 */
export function registerMetricsRoute(server: Server, metrics: AppMetrics, access: MetricsAccess & { readonly internalListener: boolean }): void {
  if (access.token === null || access.internalListener) return;
  server.get('/metrics', async (req: Request, res: Response) => {
    const answer = await answerScrape(metrics, access, req.header('authorization'));
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
}
