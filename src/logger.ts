import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * What every log line written on behalf of one piece of work carries, so that the lines of one
 * customer turn (bot, engine, ticket service, outbox) or one desk request can be found together:
 * ids only, never message text.
 */
export interface LogContext {
  /** One customer turn (one incoming activity): set by src/bot/turn-observability.ts. */
  readonly turn?: string;
  /** One desk HTTP request: set by src/server/request-log-context.ts. */
  readonly request?: string;
  /** The ticket the work is about, once known (see {@link noteLogTicket}). */
  ticket?: string;
}

const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `fn` (and everything it starts, timers included) with `context` on every log line. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return logContext.run(context, fn);
}

/**
 * Runs `fn` outside any log context: for work a turn or request merely wakes up (a background
 * loop's next round), whose later log lines belong to no turn.
 */
export function withoutLogContext<T>(fn: () => T): T {
  return logContext.exit(fn);
}

/** The context of the work running now, if any. */
export function currentLogContext(): LogContext | undefined {
  return logContext.getStore();
}

/** The current turn or request is about this ticket: its later log lines say so. */
export function noteLogTicket(ticketId: string): void {
  const context = logContext.getStore();
  if (context) context.ticket = ticketId;
}

/**
 * The log context's fields for one line. A fresh object each time: pino merges the line's own
 * fields into what the mixin returns (the line's win), so the stored context must not be handed out.
 */
function contextFields(): Record<string, string> {
  const c = logContext.getStore();
  if (c === undefined) return {};
  const fields: Record<string, string> = {};
  if (c.turn !== undefined) fields['turn'] = c.turn;
  if (c.request !== undefined) fields['request'] = c.request;
  if (c.ticket !== undefined) fields['ticket'] = c.ticket;
  return fields;
}

/**
 * Structured JSON logger. Paths that could carry secrets or personal data are censored as a
 * second line of defence; the first is that callers log ids and kinds, never message text.
 * Every line written inside {@link withLogContext} carries that context's ids (pino calls the
 * mixin only for lines whose level is enabled, so a disabled debug line costs nothing more).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      mixin: contextFields,
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
