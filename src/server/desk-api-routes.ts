/**
 * The desk API over HTTP: each route of src/desk/api behind authentication (bearer token or
 * session), CSRF for session changes, `If-Match` for ticket versions, JSON in and out, and
 * problems as application/problem+json. Every refused request and every request that reads
 * personal data or changes anything gets one audit entry, written here so none is missed.
 */
import type { Request, Response, Server } from 'restify';
import { AppError, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DeskAuthenticator } from '../desk/auth/authenticator.js';
import type { DeskService } from '../desk/desk-service.js';
import { buildOpenApiDocument } from '../desk/api/openapi.js';
import type { DeskRoute, RouteResult } from '../desk/api/route.js';
import { sendProblem } from './problem.js';

export interface DeskApiDeps {
  readonly routes: readonly DeskRoute[];
  readonly authenticator: DeskAuthenticator;
  readonly desk: DeskService;
  readonly logger: Logger;
  readonly version: string;
}

/** `"7"`, `W/"7"` or `7` → 7; anything else is refused rather than guessed. */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '') return null;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new AppError('invalid_input', 'If-Match must be the ticket version, e.g. "7"', { errors: [{ field: 'header.If-Match', message: 'not a version' }] });
  return Number(m[1]);
}

function sendJson(res: Response, status: number, body: unknown, version?: number): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...(version !== undefined ? { ETag: `"${version}"` } : {}),
  });
  res.end(payload);
}

export function registerDeskApiRoutes(server: Server, deps: DeskApiDeps): void {
  const { authenticator, desk, logger } = deps;
  const document = JSON.stringify(buildOpenApiDocument(deps.routes, { title: 'Support desk API', version: deps.version }));

  server.get('/api/desk/openapi.json', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(document);
  });

  for (const route of deps.routes) {
    const path = route.path.replace(/\{(\w+)\}/g, ':$1');
    server[route.method](path, async (req: Request, res: Response) => {
      const sourceAddress = req.socket?.remoteAddress ?? null;
      const id = req.params?.id;
      const ticketId = typeof id === 'string' && /^tfa/i.test(id) ? id.toUpperCase().slice(0, 32) : null;
      let agentId: string | null = null;
      let outcome: { ok: true; result: RouteResult } | { ok: false; code: string; err: unknown };
      try {
        const auth = await authenticator.authenticate(req);
        agentId = auth.agent.id;
        if (route.method !== 'get') authenticator.checkCsrf(req, auth);
        const result = await route.handle({
          caller: { agent: auth.agent, sourceAddress },
          params: req.params ?? {},
          query: req.query ?? {},
          body: req.body,
          version: parseIfMatch(req.header('if-match')),
        });
        outcome = { ok: true, result };
      } catch (err) {
        outcome = { ok: false, code: isAppError(err) ? err.code : 'internal', err };
      }
      // Refused requests are always recorded, whoever sent them; accepted ones as the route says.
      if (!outcome.ok || (route.audit?.(req.query ?? {}) ?? true)) {
        await desk
          .record({ agentId, action: route.operationId, ticketId, sourceAddress, outcome: outcome.ok ? 'ok' : 'refused', code: outcome.ok ? null : outcome.code })
          .catch((e: unknown) => logger.error({ err: { message: (e as Error).message } }, 'could not write the audit entry'));
      }
      if (outcome.ok) sendJson(res, outcome.result.status ?? 200, outcome.result.body, outcome.result.version);
      else sendProblem(res, outcome.err, logger);
    });
  }
}
