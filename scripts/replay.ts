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
 *
 * The command is {@link runReplayCli}, which touches nothing global: tests run it in process.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, parseEnv } from 'node:util';
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
  type ReplayPoolOptions,
  type RunOptions,
  type RunSummary,
} from '../src/replay/index.js';

const USAGE = 'usage: npm run replay -- <files or folders…> [--junit report.xml] [--update] [--workers N|auto]';
/** Below this many files a progress bar only flickers. */
const PROGRESS_BAR_FROM = 10;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

type Env = Readonly<Record<string, string | undefined>>;

/** What `--workers N` replays on: a {@link ReplayPool}, or in tests one pool they reuse. */
export interface ReplayWorkers {
  run(files: readonly string[], options: RunOptions): Promise<RunSummary>;
  close(): Promise<void>;
}

/** What the command reads and writes: the script passes the process's, tests their own. */
export interface ReplayCliIo {
  out(text: string): void;
  err(text: string): void;
  /** The environment; values in {@link envFile} are added under it (a variable already set wins), as `npm start` does. */
  readonly env: Env;
  /** The .env file to read if it exists (the script: `.env` in the working folder). */
  readonly envFile: string;
  /** The terminal to draw a progress bar on (the script: stderr when it is a TTY); none: plain lines only. */
  readonly bar?: Pick<NodeJS.WriteStream, 'write' | 'columns'>;
  /** Starts the worker threads for `--workers N` (N > 1); default a new {@link ReplayPool}, closed after the run. */
  readonly startWorkers?: (options: Required<ReplayPoolOptions>) => ReplayWorkers;
}

/** Ends the command with exit 2 and `message` (and the usage) on stderr, before anything is replayed. */
class UsageError extends Error {}

/** Runs `argv` (what follows the script's name) and returns the exit code. */
export async function runReplayCli(argv: readonly string[], io: ReplayCliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`replay: ${err.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
}

async function run(argv: readonly string[], io: ReplayCliIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        junit: { type: 'string' },
        update: { type: 'boolean', default: false },
        workers: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (args.values.help) {
    io.out(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length === 0) throw new UsageError('name at least one .transcript file or folder');
  if (args.values.workers !== 'auto' && !/^[1-9][0-9]{0,3}$/.test(args.values.workers)) {
    throw new UsageError(`--workers must be auto or a whole number from 1: ${args.values.workers}`);
  }
  const workers = args.values.workers === 'auto' ? availableParallelism() : Number(args.values.workers);
  // The bot's texts come from the configuration (.env, as for npm start): a conversation recorded
  // with a brand must be replayed with it. A bad key stops here, before any transcript is read.
  const env = withEnvFile(io.env, io.envFile);
  try {
    replayConfig(env);
  } catch (err) {
    throw new UsageError(isAppError(err) ? err.message : String(err));
  }
  const junit = args.values.junit;
  if (junit !== undefined && !existsSync(dirname(resolve(junit)))) throw new UsageError(`--junit: no folder ${dirname(resolve(junit))}`);
  let files: string[];
  try {
    files = findTranscriptFiles(args.positionals);
  } catch (err) {
    throw new UsageError(isAppError(err) ? err.message : String(err));
  }
  if (files.length === 0) throw new UsageError(`no .transcript files in ${args.positionals.join(', ')}`);

  const progress =
    io.bar !== undefined && files.length >= PROGRESS_BAR_FROM ? terminalProgress(files.length, io.bar, io.out) : plainProgress(io.out);
  const options = { update: args.values.update, progress };
  let summary;
  if (workers > 1 && files.length > 1) {
    const start = io.startWorkers ?? ((o: Required<ReplayPoolOptions>) => new ReplayPool(o));
    const pool = start({ size: Math.min(workers, files.length), env });
    try {
      summary = await pool.run(files, options);
    } finally {
      await pool.close();
    }
  } else {
    const replayer = Replayer.create(env);
    try {
      summary = await replayFiles(replayer, files, options);
    } finally {
      replayer.close();
    }
  }

  if (junit) writeFileSync(junit, toJUnitXml(summary.results), 'utf8');
  if (summary.updated.length > 0) io.out(`${summary.updated.length} transcripts re-recorded\n`);
  io.out(`${summaryLine(summary)}\n`);
  return summary.failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** `env` with the variables of `file` (when there is one) that `env` does not set, as `process.loadEnvFile` adds them. */
function withEnvFile(env: Env, file: string): Env {
  return existsSync(file) ? { ...parseEnv(readFileSync(file, 'utf8')), ...env } : env;
}

/**
 * `npm run replay -- … | head`: a reader that stops early is not an error worth a stack trace.
 * The listener for stdout's 'error': `exit` on a broken pipe, any other error thrown as before.
 */
export function onBrokenPipe(exit: () => void): (err: NodeJS.ErrnoException) => void {
  return (err) => {
    if (err.code !== 'EPIPE') throw err;
    exit();
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.on('error', onBrokenPipe(() => process.exit(process.exitCode ?? 0)));
  process.exitCode = await runReplayCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    envFile: '.env',
    bar: process.stderr.isTTY ? process.stderr : undefined,
  });
}
