/**
 * Stored transcripts from the command line (the database of DATABASE_FILE; .env is read if present):
 *
 *   npm run transcripts -- list [--channel id]
 *   npm run transcripts -- export <conversationId> [--channel id] [--out file.transcript]
 *   npm run transcripts -- purge [--days n]
 *
 * `export` writes the Bot Framework transcript format (a JSON array of activities) that the Bot
 * Framework Emulator opens and `npm run replay` replays; without --out it goes to stdout.
 * `purge` deletes activities older than TRANSCRIPT_RETENTION_DAYS (or --days).
 * Exit codes: 0 ok, 1 not found, 2 bad usage or configuration.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALL_MIGRATIONS } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { isAppError } from '../src/errors.js';
import { openDatabase } from '../src/storage/database.js';
import {
  exportTranscript,
  purgeExpiredTranscripts,
  serializeTranscript,
  SqliteTranscriptStore,
  type TranscriptSummary,
} from '../src/transcripts/index.js';

const USAGE = `usage:
  npm run transcripts -- list [--channel id]
  npm run transcripts -- export <conversationId> [--channel id] [--out file.transcript]
  npm run transcripts -- purge [--days n]`;

function fail(message: string, code = 2): never {
  process.stderr.write(`transcripts: ${message}\n${code === 2 ? `${USAGE}\n` : ''}`);
  process.exit(code);
}

function formatList(rows: readonly TranscriptSummary[]): string {
  if (rows.length === 0) return 'no transcripts\n';
  const table = [
    ['CONVERSATION', 'CHANNEL', 'FIRST ACTIVITY', 'LAST ACTIVITY', 'ACTIVITIES'],
    ...rows.map((r) => [r.conversationId, r.channelId, r.firstActivityAt.toISOString(), r.lastActivityAt.toISOString(), String(r.activityCount)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return `${table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        channel: { type: 'string' },
        out: { type: 'string' },
        days: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const [command, ...rest] = args.positionals;
  if (args.values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    if (!command && !args.values.help) process.exitCode = 2;
    return;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(isAppError(err) ? err.message : String(err));
  }
  // Opening would create a missing file (and its folder): a mistyped path must not look like an empty store.
  if (config.databaseFile !== ':memory:' && !existsSync(config.databaseFile)) fail(`no database at ${config.databaseFile} (DATABASE_FILE)`);
  const db = openDatabase(config.databaseFile, ALL_MIGRATIONS);
  const store = new SqliteTranscriptStore(db);
  try {
    switch (command) {
      case 'list':
        if (rest.length > 0) fail('list takes no arguments');
        process.stdout.write(formatList(store.summaries(args.values.channel)));
        break;
      case 'export': {
        const [conversationId, ...extra] = rest;
        if (!conversationId || extra.length > 0) fail('export needs exactly one conversation id');
        const exported = await exportTranscript(store, conversationId, args.values.channel);
        const text = serializeTranscript(exported.activities);
        if (args.values.out) {
          try {
            writeFileSync(args.values.out, text, 'utf8');
          } catch (err) {
            fail(`cannot write ${args.values.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
          }
          process.stderr.write(`wrote ${exported.activities.length} activities of ${exported.channelId}/${conversationId} to ${args.values.out}\n`);
        } else {
          process.stdout.write(text);
        }
        break;
      }
      case 'purge': {
        if (rest.length > 0) fail('purge takes no arguments');
        // Checked as text: Number('') is 0, and an empty --days must not delete every transcript.
        if (args.values.days !== undefined && !/^[0-9]{1,6}$/.test(args.values.days)) fail('--days must be a whole number of days');
        const days = args.values.days === undefined ? config.transcriptRetentionDays : Number(args.values.days);
        const result = purgeExpiredTranscripts(store, days);
        process.stdout.write(
          `deleted ${result.activities} activities older than ${result.cutoff.toISOString()} (${days} days); ${result.transcripts} transcripts removed entirely\n`,
        );
        break;
      }
      default:
        fail(`unknown command ${command}`);
    }
  } catch (err) {
    if (isAppError(err)) fail(err.message, err.code === 'not_found' ? 1 : 2);
    throw err;
  } finally {
    db.close();
  }
}

await main();
