/**
 * The desk API over HTTP: each route of src/desk/api behind authentication (bearer token or
 * session), CSRF for session changes, `If-Match` for ticket versions, JSON in and out, and
 * problems as application/problem+json. Every refused request and every request that reads
 * personal data or changes anything gets one audit entry, written here so none is missed.
 */
import type { Request, Response, Server } from 'restify';
import { AppError, isAppError } from '../errors.js';
import { parseTicketId } from '../ticket-id.js';
import { logFields, type LogContext, type Logger } from '../logger.js';
import { requestLogContext } from './request-log-context.js';
import type { AuthenticatedAgent, DeskAuthenticator } from '../desk/auth/authenticator.js';
import type { DeskService } from '../desk/desk-service.js';
import { buildOpenApiDocument } from '../desk/api/openapi.js';
import type { DeskRoute } from '../desk/api/route.js';
import type { DeskExecutor, DeskOutcome } from '../desk/api/executor.js';
import { sendProblem } from './problem.js';
import { RateLimiter } from './rate-limit.js';

export interface DeskApiDeps {
  readonly routes: readonly DeskRoute[];
  readonly authenticator: DeskAuthenticator;
  readonly desk: DeskService;
  readonly logger: Logger;
  readonly version: string;
  /** The client's address for the audit trail (TRUST_PROXY aware); defaults to the connection's peer. */
  readonly addressOf?: (req: Request) => string;
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

export function createDeskExecutor({ routes, desk, logger }: Pick<DeskApiDeps, 'routes' | 'desk' | 'logger'>): DeskExecutor {
  const byId = new Map(routes.map((r) => [r.operationId, r]));
  // At most 60 audit entries a minute per address for requests without a credential: enough to
  // see an attack in the trail, not enough for anyone to fill the database with it.
  const anonymous = new RateLimiter({ limit: 60, windowMs: 60_000 });
  const record = (entry: Parameters<DeskService['record']>[0], log: LogContext | undefined) =>
    desk.record(entry).catch((e: unknown) => logger.error({ ...logFields(log), err: { message: (e as Error).message } }, 'could not write the audit entry'));
  const ticketIdOf = (params: unknown): string | null => {
    const id = (params as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? parseTicketId(id) : null;
  };
  /** The agent an administration request acts on (whose role, tokens…), for the audit entry. */
  const subjectOf = (operationId: string, params: unknown): string | null => {
    const id = (params as { id?: unknown } | null)?.id;
    return byId.get(operationId)?.tag === 'agents' && typeof id === 'string' ? id.slice(0, 64) : null;
  };
  return {
    async run(operationId, input) {
      const route = byId.get(operationId);
      if (!route) throw new Error(`unknown desk operation ${operationId}`);
      let outcome: DeskOutcome;
      try {
        const result = await route.handle({
          caller: { agent: input.auth.agent, sourceAddress: input.sourceAddress },
          params: input.params,
          query: input.query,
          body: input.body,
          version: input.version,
        });
        outcome = { ok: true, result };
      } catch (err) {
        outcome = { ok: false, code: isAppError(err) ? err.code : 'internal', err };
      }
      // Refused requests are always recorded; accepted ones as the route says.
      if (!outcome.ok || (route.audit?.((input.query ?? {}) as Record<string, unknown>) ?? true)) {
        await record({
          agentId: input.auth.agent.id,
          action: operationId,
          ticketId: ticketIdOf(input.params),
          subjectId: subjectOf(operationId, input.params),
          sourceAddress: input.sourceAddress,
          outcome: outcome.ok ? 'ok' : 'refused',
          code: outcome.ok ? null : outcome.code,
        }, input.log);
      }
      return outcome;
    },
    async refuse(operationId, agentId, ticketId, sourceAddress, code, log) {
      // Anonymous refusals cost nothing to send: past a small budget per address, log instead of storing.
      if (agentId === null && !anonymous.take(sourceAddress ?? 'unknown').allowed) {
        logger.warn({ ...logFields(log), action: operationId, code }, 'desk request refused (audit budget for this address used up)');
        return;
      }
      await record({ agentId, action: operationId, ticketId: ticketId === null ? null : parseTicketId(ticketId), subjectId: null, sourceAddress, outcome: 'refused', code }, log);
    },
  };
}

export function registerDeskApiRoutes(server: Server, deps: DeskApiDeps): DeskExecutor {
  const { authenticator, logger } = deps;
  const document = JSON.stringify(buildOpenApiDocument(deps.routes, { title: 'Support desk API', version: deps.version }));
  const executor = createDeskExecutor(deps);

  server.get('/api/desk/openapi.json', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(document);
  });

  for (const route of deps.routes) {
    const path = route.path.replace(/\{(\w+)\}/g, ':$1');
    server[route.method](path, async (req: Request, res: Response) => {
      const sourceAddress = deps.addressOf ? deps.addressOf(req) : (req.socket?.remoteAddress ?? null);
      let auth: AuthenticatedAgent | null = null;
      let outcome: DeskOutcome;
      try {
        auth = await authenticator.authenticate(req);
        if (route.method !== 'get') authenticator.checkCsrf(req, auth);
        outcome = await executor.run(route.operationId, {
          auth,
          sourceAddress,
          params: req.params ?? {},
          query: req.query ?? {},
          body: req.body,
          version: parseIfMatch(req.header('if-match')),
          log: requestLogContext(req),
        });
      } catch (err) {
        // Never ran: no or bad credential, CSRF, or an unreadable If-Match.
        const code = isAppError(err) ? err.code : 'internal';
        await executor.refuse(route.operationId, auth?.agent.id ?? null, typeof req.params?.id === 'string' ? req.params.id : null, sourceAddress, code, requestLogContext(req));
        outcome = { ok: false, code, err };
      }
      if (outcome.ok) sendJson(res, outcome.result.status ?? 200, outcome.result.body, outcome.result.version);
      else sendProblem(res, outcome.err, logger);
    });
  }
  return executor;
}
