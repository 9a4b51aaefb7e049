/**
 * A request id for every desk request (console pages and forms, the desk API, sign-in): the log
 * lines written while it runs carry `request`, and `ticket` when the path names one; the answer
 * carries it as X-Request-Id, so an agent reporting a problem can quote it. Registered after the
 * body parser: restify continues a request from the socket's events once the body is read, which
 * would lose a context set before.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import { withLogContext, type LogContext } from '../logger.js';
import { isTicketId } from '../ticket-id.js';

const DESK_PATHS = /^\/(api\/)?desk(\/|$)/;

export function registerRequestLogContext(server: Server): void {
  server.use((req, res, next) => {
    if (!DESK_PATHS.test(req.path())) return next();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    const ticket: unknown = (req.params as Record<string, unknown> | undefined)?.['id'];
    const context: LogContext = isTicketId(ticket) ? { request: id, ticket } : { request: id };
    withLogContext(context, () => next());
  });
}
