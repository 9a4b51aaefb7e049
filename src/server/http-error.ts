import type { Response } from 'restify';
import { isAppError } from '../errors.js';
import { logFields, type Logger } from '../logger.js';
import { responseLogContext } from './request-log-context.js';
import { HTTP_STATUS } from './error-status.js';

/**
 * Answers an error as JSON `{ code, message, details? }`. Application errors keep their
 * message; anything else becomes a generic 500 so internals never leak to a caller.
 */
export function sendError(res: Response, err: unknown, logger: Logger): void {
  if (isAppError(err)) {
    const status = HTTP_STATUS[err.code];
    if (status >= 500) logger.error({ ...logFields(responseLogContext(res)), err: { code: err.code, message: err.message } }, 'request failed');
    const retryAfter = err.details?.['retryAfterSeconds'];
    if (err.code === 'rate_limited' && typeof retryAfter === 'number') res.header('Retry-After', String(retryAfter));
    res.send(status, err.details ? { code: err.code, message: err.message, details: err.details } : { code: err.code, message: err.message });
    return;
  }
  logger.error({ ...logFields(responseLogContext(res)), err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'request failed');
  res.send(500, { code: 'internal', message: 'Internal error' });
}
