import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * What the log lines written on behalf of one piece of work carry, so that the lines of one
 * customer turn or one desk request can be found together: ids only, never message text.
 */
export interface LogContext {
  /** One customer turn (one incoming activity): set by src/bot/turn-observability.ts. */
  readonly turn?: string;
  /** One desk HTTP request: set by src/server/request-log-context.ts. */
  readonly request?: string;
  /** The ticket the work is about, once known (the turn that opens one, a desk request on one). */
  ticket?: string;
}

/**
 * The fields a log line adds for `context`: a fresh object each time (the line's own fields are
 * spread after it), nothing for no context.
 *
 * The context travels explicitly (the turn's in botbuilder's turnState, src/bot/turn-observability.ts;
 * a desk request's beside the request, src/server/request-log-context.ts), not in an
 * AsyncLocalStorage: on Node 20 an AsyncLocalStorage in use puts a JavaScript hook on every promise
 * the process creates, and botbuilder creates hundreds per turn. Measured side by side (two bots,
 * alternating load at 20 conversations, issue 16), that hook cost 9% of the CPU of a turn and 14%
 * of the turns per second.
 */
export function logFields(context: LogContext | undefined): Record<string, string> {
  if (context === undefined) return {};
  const fields: Record<string, string> = {};
  if (context.turn !== undefined) fields['turn'] = context.turn;
  if (context.request !== undefined) fields['request'] = context.request;
  if (context.ticket !== undefined) fields['ticket'] = context.ticket;
  return fields;
}

/**
 * Structured JSON logger. Paths that could carry secrets or personal data are censored as a
 * second line of defence; the first is that callers log ids and kinds, never message text.
 * Lines written for a turn or a desk request add that work's ids with {@link logFields}.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'text',
          '*.text',
          'value',
          '*.value',
          'password',
          '*.password',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
          'claims',
          '*.claims',
          'token',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });
