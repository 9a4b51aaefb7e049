/**
 * A request id for every desk request (console pages and forms, the desk API, sign-in): the
 * handlers' log lines carry `request` ({@link requestLogContext} with logFields, src/logger.ts),
 * and `ticket` when the path names one; the answer carries it as X-Request-Id, so an agent
 * reporting a problem can quote it. Registered after the body parser, so that `req.params` holds
 * the path's ticket id. Kept beside the request, not in an AsyncLocalStorage (see logFields).
 */
import { randomUUID } from 'node:crypto';
import type { Request, Server } from 'restify';
import type { LogContext } from '../logger.js';
import { isTicketId } from '../ticket-id.js';

const DESK_PATHS = /^\/(api\/)?desk(\/|$)/;

const contexts = new WeakMap<object, LogContext>();

export function registerRequestLogContext(server: Server): void {
  server.use((req, res, next) => {
    if (!DESK_PATHS.test(req.path())) return next();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    const ticket: unknown = (req.params as Record<string, unknown> | undefined)?.['id'];
    contexts.set(req, isTicketId(ticket) ? { request: id, ticket } : { request: id });
    return next();
  });
}

/** The desk request's log context; undefined for other routes (and for no request). */
export function requestLogContext(req: Request | undefined): LogContext | undefined {
  return req === undefined ? undefined : contexts.get(req);
}

/** The same, from the answer (Node's ServerResponse keeps its request): for error helpers given only `res`. */
export function responseLogContext(res: object): LogContext | undefined {
  return requestLogContext((res as { req?: Request }).req);
}
