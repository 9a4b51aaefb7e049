/**
 * Stored transcripts from the command line (the app's database: PostgreSQL when DATABASE_URL is
 * set, else the SQLite file of DATABASE_FILE; .env is read if present):
 *
 *   npm run transcripts -- list [--channel id]
 *   npm run transcripts -- export <conversationId> [--channel id] [--out file.transcript]
 *   npm run transcripts -- purge [--days n]
 *
 * Every command first names the database it reads on stderr (the SQLite file and the transcripts'
 * own file beside it, `<name>.transcripts.sqlite`, as absolute paths;
 * PostgreSQL as host, port and database, never the user or password; stdout stays the table or the
 * transcript). `list` on a database without conversations says so, with
 * its path, and exits 0: an empty store is an answer, and the path shows a mistaken DATABASE_FILE.
 * `export` writes the Bot Framework transcript format (a JSON array of activities) that the Bot
 * Framework Emulator opens and `npm run replay` replays; without --out it goes to stdout.
 * `purge` deletes activities older than TRANSCRIPT_RETENTION_DAYS (or --days).
 * Both backends go through the TranscriptLog port, so the commands read what the app writes.
 * Exit codes: 0 ok, 1 not found, 2 bad usage or configuration (a database file that is not there).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ALL_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { isAppError } from '../src/errors.js';
import { openDatabase } from '../src/storage/database.js';
import { openMigratedPostgres } from '../src/storage/postgres/index.js';
import {
  exportTranscript,
  holdsLegacyTranscripts,
  listAllConversations,
  openTranscriptDatabase,
  PostgresTranscriptLog,
  purgeTranscriptLog,
  serializeTranscript,
  SqliteTranscriptLog,
  transcriptMigrations,
  transcriptsFileOf,
  type TranscriptLog,
  type TranscriptSummary,
} from '../src/transcripts/index.js';

const USAGE = `usage:
  npm run transcripts -- list [--channel id]
  npm run transcripts -- export <conversationId> [--channel id] [--out file.transcript]
  npm run transcripts -- purge [--days n]
Reads the app's database: PostgreSQL when DATABASE_URL is set, else the SQLite file of DATABASE_FILE.`;

const EXIT_OK = 0;
const EXIT_NOT_FOUND = 1;
const EXIT_USAGE = 2;

/** What the command reads and writes: nothing global, so tests run it in process. */
export interface TranscriptsCliContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The environment (`.env` already loaded by the script) for loadConfig. */
  readonly env: NodeJS.ProcessEnv;
  /** What a relative DATABASE_FILE or --out is relative to. */
  readonly cwd: string;
}

/** Ends the command with `code` and `message` on stderr (with the usage for exit 2). */
class Stop extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const usageError = (message: string) => new Stop(EXIT_USAGE, message);

function formatList(rows: readonly TranscriptSummary[]): string {
  const table = [
    ['CONVERSATION', 'CHANNEL', 'FIRST ACTIVITY', 'LAST ACTIVITY', 'ACTIVITIES'],
    ...rows.map((r) => [r.conversationId, r.channelId, r.firstActivityAt.toISOString(), r.lastActivityAt.toISOString(), String(r.activityCount)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return `${table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}

/** What `list` prints when nothing matches: whether the database is empty or only the channel is. */
async function nothingListed(log: TranscriptLog, database: string, channel: string | undefined): Promise<string> {
  const all = channel === undefined ? [] : await listAllConversations(log);
  if (all.length === 0) return `no conversations recorded in ${database}\n`;
  const channels = [...new Set(all.map((r) => r.channelId))].sort().join(', ');
  return `no conversations on channel ${channel} in ${database} (${all.length} on other channels: ${channels})\n`;
}

/** Runs `argv` (what follows the script's name); returns the exit code. */
export async function runTranscriptsCli(argv: readonly string[], context: TranscriptsCliContext): Promise<number> {
  try {
    return await run(argv, context);
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    context.err(`transcripts: ${err.message}\n${err.code === EXIT_USAGE ? `${USAGE}\n` : ''}`);
    return err.code;
  }
}

async function run(argv: readonly string[], context: TranscriptsCliContext): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        channel: { type: 'string' },
        out: { type: 'string' },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const [command, ...rest] = args.positionals;
  if (args.values.help || !command) {
    (command || args.values.help ? context.out : context.err)(`${USAGE}\n`);
    return args.values.help ? EXIT_OK : EXIT_USAGE;
  }
  if (!['list', 'export', 'purge'].includes(command)) throw usageError(`unknown command ${command}`);
  let config;
  try {
    config = loadConfig(context.env);
  } catch (err) {
    throw usageError(isAppError(err) ? err.message : String(err));
  }
  const opened = await openLog(config, context);
  const { log, database } = opened;
  try {
    switch (command) {
      case 'list': {
        if (rest.length > 0) throw usageError('list takes no arguments');
        const channel = args.values.channel;
        const rows = await listAllConversations(log, channel === undefined ? {} : { channelId: channel });
        context.out(rows.length > 0 ? formatList(rows) : await nothingListed(log, database, channel));
        return EXIT_OK;
      }
      case 'export': {
        const [conversationId, ...extra] = rest;
        if (!conversationId || extra.length > 0) throw usageError('export needs exactly one conversation id');
        let exported;
        try {
          exported = await exportTranscript(log, conversationId, args.values.channel);
        } catch (err) {
          if (!isAppError(err) || err.code !== 'not_found') throw err;
          const empty = (await log.list()).items.length === 0 ? ' (it holds no conversations)' : '';
          throw new Stop(EXIT_NOT_FOUND, `${err.message} in ${database}${empty}`);
        }
        const text = serializeTranscript(exported.activities);
        if (args.values.out === undefined) {
          context.out(text);
          return EXIT_OK;
        }
        const out = resolve(context.cwd, args.values.out);
        try {
          writeFileSync(out, text, 'utf8');
        } catch (err) {
          throw usageError(`cannot write ${args.values.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        context.err(`wrote ${exported.activities.length} activities of ${exported.channelId}/${conversationId} to ${args.values.out}\n`);
        return EXIT_OK;
      }
      default: {
        if (rest.length > 0) throw usageError('purge takes no arguments');
        // Checked as text: Number('') is 0, and an empty --days must not delete every transcript.
        if (args.values.days !== undefined && !/^[0-9]{1,6}$/.test(args.values.days)) throw usageError('--days must be a whole number of days');
        const days = args.values.days === undefined ? config.transcriptRetentionDays : Number(args.values.days);
        const result = await purgeTranscriptLog(log, days);
        context.out(
          `deleted ${result.activities} activities older than ${result.cutoff.toISOString()} (${days} days); ${result.transcripts} transcripts removed entirely\n`,
        );
        return EXIT_OK;
      }
    }
  } catch (err) {
    if (isAppError(err)) throw new Stop(err.code === 'not_found' ? EXIT_NOT_FOUND : EXIT_USAGE, err.message);
    throw err;
  } finally {
    await opened.close();
  }
}

/** The app's transcript log on the configured backend, and how to name it to the user. */
async function openLog(
  config: ReturnType<typeof loadConfig>,
  context: TranscriptsCliContext,
): Promise<{ readonly log: TranscriptLog; readonly database: string; readonly close: () => Promise<void> }> {
  if (config.databaseUrl !== undefined) {
    const database = postgresName(config.databaseUrl);
    context.err(`transcripts: reading ${database} (DATABASE_URL)\n`);
    let opened;
    try {
      // The app applies the same migrations at start; a database it never ran on gets its tables.
      opened = await openMigratedPostgres(config.databaseUrl, ALL_POSTGRES_MIGRATIONS, 'tfa-support-bot-transcripts');
    } catch (err) {
      // The driver's message may name the host or the role, never the password.
      throw usageError(`cannot open ${database}: ${(err as Error).message}`);
    }
    const { pool } = opened;
    const log = new PostgresTranscriptLog(pool);
    return { log, database, close: async () => { await log.drain(); await pool.end(); } };
  }
  const inMemory = config.databaseFile === ':memory:';
  const database = inMemory ? ':memory:' : resolve(context.cwd, config.databaseFile);
  // Opening would create a missing file (and its folder): a mistyped path must not look like an empty store.
  if (!inMemory && !existsSync(database)) throw usageError(`no database at ${database} (DATABASE_FILE)`);
  const db = openDatabase(database, ALL_MIGRATIONS);
  // Both files named: the transcripts' own (src/transcripts/transcript-database.ts) is the one QA
  // copies. A read creates no file: missing, and none left in the main file, is an empty store.
  const file = transcriptsFileOf(database);
  const missing = !inMemory && !existsSync(file) && !holdsLegacyTranscripts(db);
  const where = inMemory ? '' : `, transcripts in ${file}${missing ? ' (not there: none recorded yet)' : ''}`;
  context.err(`transcripts: reading ${database} (DATABASE_FILE)${where}\n`);
  const transcriptsDb = missing ? openDatabase(':memory:', transcriptMigrations) : openTranscriptDatabase(database, db);
  const log = new SqliteTranscriptLog(transcriptsDb);
  return {
    log,
    database,
    close: async () => {
      await log.drain();
      if (transcriptsDb !== db) transcriptsDb.close();
      db.close();
    },
  };
}

/** A PostgreSQL URL as host, port and database: the user and password stay out of every message. */
function postgresName(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.exitCode = await runTranscriptsCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
}
