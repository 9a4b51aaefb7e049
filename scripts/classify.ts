/**
 * Classify text from the command line, or score a labelled TSV file.
 *
 *   npm run classify -- [--locale ja|en] "テキスト"      → JSON {intent, confidence, slots, ranking, locale}
 *   npm run classify -- --file data.tsv                  → accuracy per language, overall, confusions
 *
 * Exit codes: 0 ok, 2 bad usage or bad input file.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { classify, CONFIDENT, DatasetError, parseLabelledTsv } from '../src/nlu/index.js';
import { evaluate, formatEvaluation } from '../src/nlu/evaluate.js';

const USAGE = `usage:
  npm run classify -- [--locale ja|en] "text to classify"
  npm run classify -- --file data.tsv      (TSV columns: locale, intent, text; header line allowed)`;

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
    return run(argv, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`classify: ${err.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
}

function run(argv: readonly string[], io: ClassifyCliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { locale: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return EXIT_OK;
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
    return EXIT_OK;
  }

  const text = positionals.join(' ');
  if (text.trim() === '') throw new UsageError('no text given');
  const c = classify(text, locale === undefined ? {} : { locale });
  const output = { intent: c.intent, confidence: c.confidence, confident: c.confidence >= CONFIDENT, slots: c.slots, ranking: c.ranking, locale: c.locale };
  io.out(`${JSON.stringify(output, null, 2)}\n`);
  return EXIT_OK;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = runClassifyCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
