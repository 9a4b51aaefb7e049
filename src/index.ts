import { existsSync } from 'node:fs';
import { openApp } from './app.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';
import { securityWarnings } from './security/startup-warnings.js';

// .env is optional: every key has a development default (see .env.example).
if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(isAppError(err) ? err.message : err);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
// Besides the log line createApp writes: a banner on stderr, where an operator's eye falls first.
for (const warning of securityWarnings(config)) console.error(`\n${'!'.repeat(78)}\n${warning}\n${'!'.repeat(78)}\n`);
let app;
try {
  app = await openApp(config, logger);
} catch (err) {
  // Never the URL: it may hold a password.
  logger.error({ err: { name: (err as Error).name, message: (err as Error).message }, backend: config.databaseUrl === undefined ? 'sqlite' : 'postgres' }, 'could not open the database');
  process.exit(1);
}
const started = app;

started.server.listen(config.port, config.host, () => {
  logger.info(
    {
      url: started.server.url,
      // The backend and, for SQLite, the file; never DATABASE_URL itself (it may hold a password).
      backend: started.backend,
      ...(started.backend === 'sqlite' ? { database: config.databaseFile } : {}),
      authenticated: !config.bot.unauthenticated,
    },
    'bot listening: POST /api/messages',
  );
  if (config.bot.unauthenticated) logger.warn('no MicrosoftAppId: accepting unauthenticated requests (Emulator mode)');
});
started.metricsListener?.listen().then(
  (url) => logger.info({ url, tokenRequired: config.metrics.token !== null }, 'metrics listening: GET /metrics'),
  (err: unknown) => {
    logger.error({ err: { message: (err as Error).message } }, 'could not listen for /metrics (METRICS_HOST, METRICS_PORT)');
    process.exit(1);
  },
);

/** Turns in flight, then due notifications, each get this long; past three times that the process gives up (exit 1). */
const SHUTDOWN_GRACE_MS = 10_000;

let stopping = false;
/**
 * Stop accepting, finish the turns in flight, deliver due notifications, write the transcript
 * queue, close the database (its WAL is checkpointed), exit 0. A second signal is ignored.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  setTimeout(() => {
    logger.error('shutdown did not finish in time');
    process.exit(1);
  }, 3 * SHUTDOWN_GRACE_MS).unref();
  try {
    await started.close({ graceMs: SHUTDOWN_GRACE_MS, deliverQueued: true });
    logger.info('stopped');
    process.exit(0);
  } catch (err) {
    logger.error({ err: { message: (err as Error).message } }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
