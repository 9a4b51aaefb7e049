import { isIntent, type Intent } from './intents.js';
import type { Language } from '../i18n/language.js';

/** One labelled utterance, as in the training file and the development set. */
export interface LabelledUtterance {
  readonly locale: Language;
  readonly intent: Intent;
  readonly text: string;
  /** 1-based line number in the source file, for error messages and reports. */
  readonly line: number;
}

/** A training utterance that may carry several intents (an ambiguous one, as a soft target). */
export interface TrainingUtterance {
  readonly locale: Language;
  readonly intents: readonly Intent[];
  readonly text: string;
  readonly line: number;
}

/** A problem found while reading a labelled TSV file. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}

/**
 * Parses TSV with the columns `locale`, `intent`, `text` (tab-separated; one optional header line
 * starting with `locale`; blank lines and lines starting with `#` are skipped).
 * Throws {@link DatasetError} naming the line on a wrong column count, locale or intent.
 */
export function parseLabelledTsv(content: string, source = 'input'): LabelledUtterance[] {
  return parseRows(content, source, false).map(({ intents, ...rest }) => ({ ...rest, intent: intents[0] as Intent }));
}

/**
 * Like {@link parseLabelledTsv}, but the intent column may list several intents separated by `|`
 * ("sms_not_received|change_method") for text that is ambiguous between them.
 */
export function parseTrainingTsv(content: string, source = 'input'): TrainingUtterance[] {
  return parseRows(content, source, true);
}

function parseRows(content: string, source: string, allowSeveral: boolean): TrainingUtterance[] {
  const rows: TrainingUtterance[] = [];
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cols = raw.split('\t');
    if (line === 1 && cols[0]?.trim().toLowerCase() === 'locale') return;
    if (cols.length !== 3) {
      throw new DatasetError(`${source}:${line}: expected 3 tab-separated columns (locale, intent, text), got ${cols.length}`);
    }
    const [locale = '', intent = '', text = ''] = cols.map((c) => c.trim());
    if (locale !== 'ja' && locale !== 'en') {
      throw new DatasetError(`${source}:${line}: locale must be "ja" or "en", got "${locale}"`);
    }
    const intents = allowSeveral ? intent.split('|') : [intent];
    for (const name of intents) {
      if (!isIntent(name)) throw new DatasetError(`${source}:${line}: unknown intent "${name}"`);
    }
    if (text === '') throw new DatasetError(`${source}:${line}: empty text`);
    rows.push({ locale, intents: intents as Intent[], text, line });
  });
  return rows;
}
