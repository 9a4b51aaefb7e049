/**
 * Errors as `application/problem+json` (RFC 9457) for the desk API, with the project's stable
 * codes: `type` names the code, `code` repeats it for clients that match on it.
 */
import type { Response } from 'restify';
import { isAppError } from '../errors.js';
import { logFields, type Logger } from '../logger.js';
import { responseLogContext } from './request-log-context.js';
import { HTTP_STATUS } from './error-status.js';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Invalid input',
  401: 'Sign-in required',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export function sendProblem(res: Response, err: unknown, logger: Logger): void {
  const known = isAppError(err);
  const code = known ? err.code : 'internal';
  const status = HTTP_STATUS[code];
  if (!known || status >= 500) {
    logger.error({ ...logFields(responseLogContext(res)), err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'desk request failed');
  }
  // Details become extension members; a ticket's `status` is renamed so it never hides the HTTP one.
  const { status: ticketStatus, ...details } = known && status < 500 ? (err.details ?? {}) : {};
  const body = {
    ...details,
    ...(ticketStatus !== undefined ? { ticketStatus } : {}),
    type: `urn:tfa-support-bot:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: known && status < 500 ? err.message : 'Internal error',
    code,
  };
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="desk"' } : {}),
  });
  res.end(payload);
}
