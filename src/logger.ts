import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logger. Paths that could carry secrets or personal data are censored as a
 * second line of defence; the first is that callers log ids and kinds, never message text.
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
