import type { Request, Response, Server } from 'restify';
import type { Readiness } from '../observability/readiness.js';

/**
 * Probes for orchestrators and load balancers, none of them secret nor costly:
 * - `GET /livez`: the process answers (no I/O). Failing means: restart it.
 * - `GET /readyz`: the instance can serve (see `readiness`: database reachable, migrations
 *   applied, outbox dispatcher running); 503 names the failed checks. Failing means: send no
 *   traffic here for now. A stopping instance fails it, as its dispatcher stops.
 * - `GET /healthz`: the same as /readyz, for the load balancers and tools that know this name.
 * The JSON names checks and `ok`/`failed` only; why a check failed goes to the log.
 */
export function registerHealthRoutes(server: Server, readiness: Readiness): void {
  server.get('/livez', async (_req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    res.send(200, { status: 'ok' });
  });
  const ready = async (_req: Request, res: Response) => {
    const report = await readiness.check();
    res.header('Cache-Control', 'no-store');
    res.send(report.ready ? 200 : 503, { status: report.ready ? 'ok' : 'unavailable', checks: report.checks });
  };
  server.get('/readyz', ready);
  server.get('/healthz', ready);
}
