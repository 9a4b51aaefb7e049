/**
 * npm run report -- --since 7d [--until …] [--format table|csv|json] [--language ja|en] [--channel …]
 *
 * The supervisors' report on the configured database (DATABASE_URL, else DATABASE_FILE), with the
 * same figures as the desk console and API. Thin: the arguments, the formats and the exit codes
 * live in src/analytics/report-cli.ts; this opens the database and names the steps in English.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { troubleshootingMachine } from '../flows/troubleshooting/index.js';
import { ALL_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from '../src/app-foundation.js';
import { buildReport, PostgresAnalyticsStore, SqliteAnalyticsStore, type ReportService } from '../src/analytics/index.js';
import { runReportCli } from '../src/analytics/report-cli.js';
import { loadConfig, type Config } from '../src/config.js';
import { buildTreeGraph } from '../src/desk/tree/tree-graph.js';
import { treeTexts } from '../src/desk/tree/tree-labels.js';
import { createLocalizer } from '../src/i18n/i18n.js';
import { openDatabase } from '../src/storage/database.js';
import { openPostgresStores } from '../src/stores/index.js';
import { SqliteTicketRepository } from '../src/tickets/sqlite-ticket-repository.js';

/** The locale files (as src/app.ts's LOCALES_DIR; not imported from there, so the command starts without the whole app). */
const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));

export interface ReportScriptIo {
  out(text: string): void;
  err(text: string): void;
  /** The environment (`.env` already loaded) for loadConfig. */
  env: NodeJS.ProcessEnv;
  /** The report's "now" (the period's end by default, abandonment, tickets still waiting); tests fix it. */
  now?: () => Date;
}

/** The report service on the configured database, and how to close it. */
async function openReports(config: Config, now: (() => Date) | undefined): Promise<{ reports: ReportService; close: () => Promise<void> | void }> {
  const settings = { abandonAfterMinutes: config.abandonAfterMinutes, verificationSlaHours: config.verificationSlaHours, ...(now ? { now } : {}) };
  if (config.databaseUrl !== undefined) {
    const stores = await openPostgresStores(config.databaseUrl, { max: 2, migrations: ALL_POSTGRES_MIGRATIONS });
    return { reports: buildReport({ store: new PostgresAnalyticsStore(stores.pool), tickets: stores.tickets, ...settings }), close: () => stores.close() };
  }
  // A report never creates a database: a wrong DATABASE_FILE would otherwise print an empty report.
  if (config.databaseFile === ':memory:' || !existsSync(config.databaseFile)) throw new Error(`no database at DATABASE_FILE (${config.databaseFile})`);
  const db = openDatabase(config.databaseFile, ALL_MIGRATIONS);
  return { reports: buildReport({ store: new SqliteAnalyticsStore(db), tickets: new SqliteTicketRepository(db), ...settings }), close: () => void db.close() };
}

/** Runs the command with `argv` (what follows the script's name); resolves to the exit code. */
export async function runReportScript(argv: readonly string[], io: ReportScriptIo): Promise<number> {
  let titles: ReadonlyMap<string, { label: string }> | undefined;
  return runReportCli(argv, {
    out: io.out,
    err: io.err,
    ...(io.now ? { now: io.now } : {}),
    stepTitle: (step) => titles?.get(step)?.label.replace(/\s+/g, ' '),
    open: async () => {
      const config = loadConfig(io.env);
      titles = treeTexts(buildTreeGraph(troubleshootingMachine), createLocalizer(LOCALES_DIR, config.brand).forLanguage('en')).nodes;
      return openReports(config, io.now);
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.exitCode = await runReportScript(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
  });
}
