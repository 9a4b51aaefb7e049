import { existsSync } from 'node:fs';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';
import { createLogger } from './logger.js';

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
const app = createApp(config, logger);

app.server.listen(config.port, config.host, () => {
  logger.info(
    { url: app.server.url, database: config.databaseFile, authenticated: !config.bot.unauthenticated },
    'bot listening: POST /api/messages',
  );
  if (config.bot.unauthenticated) logger.warn('no MicrosoftAppId: accepting unauthenticated requests (Emulator mode)');
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
