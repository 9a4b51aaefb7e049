/**
 * The one application error type. `code` is stable (clients and tests match on it);
 * HTTP status mapping lives in one place (src/server/error-status.ts), never at throw sites.
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'unauthorized',
  'forbidden',
  'conflict',
  'precondition_required',
  'illegal_transition',
  'same_agent',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'unavailable',
  'config_invalid',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe, non-secret details for the caller (field names, allowed values). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
