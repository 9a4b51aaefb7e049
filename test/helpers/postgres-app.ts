/**
 * One app instance on PostgreSQL in a test's schema, listening on a free port: what the tests of
 * several instances on one database (issue 17) start two of.
 */
import type { AddressInfo } from 'node:net';
import { openApp, type BackendApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { TEST_DATABASE_URL } from './postgres.js';

export interface RunningPostgresApp {
  readonly app: BackendApp;
  readonly baseUrl: string;
}

export async function startPostgresApp(schema: string, env: Record<string, string> = {}): Promise<RunningPostgresApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_FILE: ':memory:', DATABASE_URL: TEST_DATABASE_URL, ...env });
  const app = await openApp(config, silentLogger, { schema, max: 5, lockMax: 5 });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  return { app, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
