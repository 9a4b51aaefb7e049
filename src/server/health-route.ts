import type { Request, Response, Server } from 'restify';

/** `GET /healthz`: 200 when the process can reach its database, 503 otherwise (for load balancers). */
export function registerHealthRoute(server: Server, checks: Record<string, () => unknown>): void {
  server.get('/healthz', async (_req: Request, res: Response) => {
    const results: Record<string, 'ok' | 'failed'> = {};
    let healthy = true;
    for (const [name, check] of Object.entries(checks)) {
      try {
        await check();
        results[name] = 'ok';
      } catch {
        results[name] = 'failed';
        healthy = false;
      }
    }
    res.send(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unavailable', checks: results });
  });
}
