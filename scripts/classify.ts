/**
 * Classify text from the command line, or score a labelled TSV file.
 *
 *   npm run classify -- [--locale ja|en] "テキスト"      → JSON {intent, confidence, slots, ranking, locale}
 *   npm run classify -- --file data.tsv                  → accuracy per language, overall, confusions
 *
 * Exit codes: 0 ok, 2 bad usage or bad input file.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classify, CONFIDENT, DatasetError, parseLabelledTsv } from '../src/nlu/index.js';
import { evaluate, formatEvaluation } from '../src/nlu/evaluate.js';

const USAGE = `usage:
  npm run classify -- [--locale ja|en] "text to classify"
  npm run classify -- --file data.tsv      (TSV columns: locale, intent, text; header line allowed)`;

function fail(message: string): never {
  process.stderr.write(`classify: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { locale: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const locale = values.locale;
  if (locale !== undefined && locale !== 'ja' && locale !== 'en') fail(`--locale must be ja or en, got "${locale}"`);

  if (values.file !== undefined) {
    if (positionals.length > 0) fail('give either --file or text, not both');
    let content: string;
    try {
      content = readFileSync(values.file, 'utf8');
    } catch (err) {
      fail(`cannot read ${values.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let data;
    try {
      data = parseLabelledTsv(content, values.file);
    } catch (err) {
      if (err instanceof DatasetError) fail(err.message);
      throw err;
    }
    if (data.length === 0) fail(`${values.file} has no labelled rows`);
    process.stdout.write(`${formatEvaluation(evaluate(data, classify, CONFIDENT), CONFIDENT)}\n`);
    return;
  }

  const text = positionals.join(' ');
  if (text.trim() === '') fail('no text given');
  const c = classify(text, locale === undefined ? {} : { locale });
  const output = { intent: c.intent, confidence: c.confidence, confident: c.confidence >= CONFIDENT, slots: c.slots, ranking: c.ranking, locale: c.locale };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

main();
