/**
 * Replays .transcript files against the current bot, in process:
 *
 *   npm run replay -- <files or folders…> [--junit report.xml] [--update]
 *
 * Prints PASS/FAIL per transcript (with the first differing turn side by side), then a last
 * line `N passed, N failed`. Exit code 0 when all pass, 1 on any failure, 2 on bad usage.
 * `--update` re-records the expected replies of differing transcripts (customer activities
 * are kept). The bot's configuration comes from the environment (brand texts, default locale);
 * its database is in memory, so replay never touches real data.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isAppError } from '../src/errors.js';
import {
  findTranscriptFiles,
  plainProgress,
  Replayer,
  replayFiles,
  summaryLine,
  terminalProgress,
  toJUnitXml,
} from '../src/replay/index.js';

const USAGE = 'usage: npm run replay -- <files or folders…> [--junit report.xml] [--update]';
/** Below this many files a progress bar only flickers. */
const PROGRESS_BAR_FROM = 10;

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { junit: { type: 'string' }, update: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.positionals.length === 0) fail('name at least one .transcript file or folder');
  let files: string[];
  try {
    files = findTranscriptFiles(args.positionals);
  } catch (err) {
    fail(isAppError(err) ? err.message : String(err));
  }
  if (files.length === 0) fail(`no .transcript files in ${args.positionals.join(', ')}`);

  const replayer = Replayer.create(process.env);
  const progress =
    process.stderr.isTTY && files.length >= PROGRESS_BAR_FROM
      ? terminalProgress(files.length, process.stderr, process.stdout)
      : plainProgress((line) => process.stdout.write(line));
  const summary = await replayFiles(replayer, files, { update: args.values.update, progress });
  replayer.close();

  if (args.values.junit) writeFileSync(args.values.junit, toJUnitXml(summary.results), 'utf8');
  if (summary.updated.length > 0) process.stdout.write(`${summary.updated.length} transcripts re-recorded\n`);
  process.stdout.write(`${summaryLine(summary)}\n`);
  process.exitCode = summary.failed > 0 ? 1 : 0;
}

await main();
