/**
 * Replays .transcript files against the current bot, in process:
 *
 *   npm run replay -- <files or folders…> [--junit report.xml] [--update] [--workers N|auto]
 *
 * Prints PASS/FAIL per transcript (with the first differing turn side by side), then a last
 * line `N passed, N failed`. Exit code 0 when all pass, 1 on any failure, 2 on bad usage.
 * `--update` re-records the expected replies of differing transcripts (customer activities
 * are kept). The bot's configuration comes from the environment and .env, as for `npm start`
 * (brand texts, default locale; the golden transcripts assume the defaults); its database is in
 * memory, so replay never touches real data, and each transcript replays against fresh stores
 * (`Replayer.isolated`), so no result depends on the other files named or their order. `--workers N` spreads the
 * transcripts over N worker threads, each with its own bot services (`auto`: one per core); the
 * output is the same, in file order. Each worker starts its own bot (a second or two of CPU), so
 * it pays off from a few thousand turns; the default is one thread.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../src/errors.js';
import {
  findTranscriptFiles,
  plainProgress,
  ReplayPool,
  Replayer,
  replayConfig,
  replayFiles,
  summaryLine,
  terminalProgress,
  toJUnitXml,
} from '../src/replay/index.js';

const USAGE = 'usage: npm run replay -- <files or folders…> [--junit report.xml] [--update] [--workers N|auto]';
/** Below this many files a progress bar only flickers. */
const PROGRESS_BAR_FROM = 10;

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

// `npm run replay -- … | head`: a reader that stops early is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        junit: { type: 'string' },
        update: { type: 'boolean', default: false },
        workers: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.positionals.length === 0) fail('name at least one .transcript file or folder');
  if (args.values.workers !== 'auto' && !/^[1-9][0-9]{0,3}$/.test(args.values.workers)) {
    fail(`--workers must be auto or a whole number from 1: ${args.values.workers}`);
  }
  const workers = args.values.workers === 'auto' ? availableParallelism() : Number(args.values.workers);
  // The bot's texts come from the configuration (.env, as for npm start): a conversation recorded
  // with a brand must be replayed with it. A bad key stops here, before any transcript is read.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    replayConfig(process.env);
  } catch (err) {
    fail(isAppError(err) ? err.message : String(err));
  }
  const junit = args.values.junit;
  if (junit !== undefined && !existsSync(dirname(resolve(junit)))) fail(`--junit: no folder ${dirname(resolve(junit))}`);
  let files: string[];
  try {
    files = findTranscriptFiles(args.positionals);
  } catch (err) {
    fail(isAppError(err) ? err.message : String(err));
  }
  if (files.length === 0) fail(`no .transcript files in ${args.positionals.join(', ')}`);

  const progress =
    process.stderr.isTTY && files.length >= PROGRESS_BAR_FROM
      ? terminalProgress(files.length, process.stderr, process.stdout)
      : plainProgress((line) => process.stdout.write(line));
  const options = { update: args.values.update, progress };
  let summary;
  if (workers > 1 && files.length > 1) {
    const pool = new ReplayPool({ size: Math.min(workers, files.length), env: process.env });
    summary = await pool.run(files, options);
    await pool.close();
  } else {
    const replayer = Replayer.create(process.env);
    summary = await replayFiles(replayer, files, options);
    replayer.close();
  }

  if (junit) writeFileSync(junit, toJUnitXml(summary.results), 'utf8');
  if (summary.updated.length > 0) process.stdout.write(`${summary.updated.length} transcripts re-recorded\n`);
  process.stdout.write(`${summaryLine(summary)}\n`);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}

await main();
