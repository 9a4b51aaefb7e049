/**
 * Classify text from the command line, or score a labelled TSV file.
 *
 *   npm run classify -- [--locale ja|en] "テキスト"      → JSON {intent, confidence, slots, ranking, locale}
 *   npm run classify -- --file data.tsv                  → accuracy per language, overall, confusions
 *   npm run classify -- --file data.tsv --through-bot    → also each line sent to the real bot at its menu:
 *                                                           straight right / asked right / straight wrong / wrong language
 *
 * Exit codes: 0 ok, 2 bad usage or bad input file.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { classify, CONFIDENT, DatasetError, parseLabelledTsv, type LabelledUtterance } from '../src/nlu/index.js';
import { evaluate, formatEvaluation } from '../src/nlu/evaluate.js';
import { createReplayServices } from '../src/replay/replayer.js';
import { formatThroughBot, ThroughBot } from '../src/replay/through-bot.js';

const USAGE = `usage:
  npm run classify -- [--locale ja|en] "text to classify"
  npm run classify -- --file data.tsv      (TSV columns: locale, intent, text; header line allowed)
  npm run classify -- --file data.tsv --through-bot   (also sends each line to the bot at its menu)`;

const EXIT_OK = 0;
const EXIT_USAGE = 2;

/** Where the command writes: the script passes process.stdout/stderr, tests collect strings. */
export interface ClassifyCliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Ends the command with exit 2 and `message` (and the usage) on stderr. */
class UsageError extends Error {}

/** Runs `argv` (what follows the script's name) and returns the exit code; nothing global, so tests run it in process. */
export function runClassifyCli(argv: readonly string[], io: ClassifyCliIo): number {
  try {
    return run(argv, io).code;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`classify: ${err.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
}

/** Like {@link runClassifyCli}; with `--through-bot` also sends each line of the file to the bot (asynchronous). */
export async function runClassifyCliAsync(argv: readonly string[], io: ClassifyCliIo): Promise<number> {
  try {
    const { code, data } = run(argv, io);
    if (code !== EXIT_OK || data === undefined) return code;
    const report = await new ThroughBot(createReplayServices()).run(data);
    io.out(`${formatThroughBot(report)}\n`);
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`classify: ${err.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
}

function run(argv: readonly string[], io: ClassifyCliIo): { code: number; data?: LabelledUtterance[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { locale: { type: 'string' }, file: { type: 'string' }, 'through-bot': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return { code: EXIT_OK };
  }
  const locale = values.locale;
  if (locale !== undefined && locale !== 'ja' && locale !== 'en') throw new UsageError(`--locale must be ja or en, got "${locale}"`);

  if (values.file !== undefined) {
    if (positionals.length > 0) throw new UsageError('give either --file or text, not both');
    let content: string;
    try {
      content = readFileSync(values.file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${values.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let data;
    try {
      data = parseLabelledTsv(content, values.file);
    } catch (err) {
      if (err instanceof DatasetError) throw new UsageError(err.message);
      throw err;
    }
    if (data.length === 0) throw new UsageError(`${values.file} has no labelled rows`);
    io.out(`${formatEvaluation(evaluate(data, classify, CONFIDENT), CONFIDENT)}\n`);
    return values['through-bot'] ? { code: EXIT_OK, data } : { code: EXIT_OK };
  }
  if (values['through-bot']) throw new UsageError('--through-bot needs --file');

  const text = positionals.join(' ');
  if (text.trim() === '') throw new UsageError('no text given');
  const c = classify(text, locale === undefined ? {} : { locale });
  const output = { intent: c.intent, confidence: c.confidence, confident: c.confidence >= CONFIDENT, slots: c.slots, ranking: c.ranking, locale: c.locale };
  io.out(`${JSON.stringify(output, null, 2)}\n`);
  return { code: EXIT_OK };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const io: ClassifyCliIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
  const argv = process.argv.slice(2);
  if (argv.includes('--through-bot')) void runClassifyCliAsync(argv, io).then((code) => (process.exitCode = code));
  else process.exitCode = runClassifyCli(argv, io);
}
