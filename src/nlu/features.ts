/**
 * Feature extraction for the intent model.
 *
 * Japanese has no spaces and customers conjugate freely (消しちゃった / 消してしまった / 削除した),
 * so Japanese runs give character 1-3-grams; with kana unified these catch stems like 消し, 届か.
 * Latin runs (English, and "SMS", "Google Authenticator" inside Japanese) give stemmed words,
 * word bigrams and character trigrams, the trigrams absorbing the typos that spelling misses.
 */
import { isJapaneseChar } from './normalize.js';

/** Words and Japanese runs of a normalised text, in order. */
export interface Tokens {
  readonly latin: readonly string[];
  readonly japanese: readonly string[];
}

/** Splits normalised text (see `normalize`) into Latin/digit words and Japanese runs. */
export function tokenize(normalized: string): Tokens {
  const latin: string[] = [];
  const japanese: string[] = [];
  for (const chunk of normalized.split(' ')) {
    let run = '';
    let runIsJapanese = false;
    const flush = (): void => {
      if (run !== '') (runIsJapanese ? japanese : latin).push(run);
      run = '';
    };
    for (const ch of chunk) {
      const jp = isJapaneseChar(ch);
      if (run !== '' && jp !== runIsJapanese) flush();
      runIsJapanese = jp;
      run += ch;
    }
    flush();
  }
  return { latin, japanese };
}

/** Crude English stemmer: enough that receive/received/receiving and code/codes meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

const WEIGHT = { word: 1, bigram: 0.5, chars: 0.5, ja1: 0.6, ja2: 1, ja3: 0.5 } as const;

function add(features: Map<string, number>, key: string, weight: number): void {
  const old = features.get(key);
  if (old === undefined || old < weight) features.set(key, weight);
}

/** A word as the model sees it: long digit strings (ticket or phone numbers) become one symbol. */
export function wordKey(word: string): string {
  if (/^\d+$/.test(word)) return word.length >= 4 ? '#num' : word;
  return stem(word);
}

/**
 * Squared norm below which a vector is not scaled up to unit length: a one- or two-word message
 * ("sms", "スマホ") carries less evidence than a sentence, and its smaller vector gives the model's
 * probabilities less room to be sure.
 */
export const MIN_SQUARED_NORM = 5;

/**
 * Weighted features of tokenised text (Latin words already spell-corrected), L2-normalised so
 * that long and short messages score on one scale (see {@link MIN_SQUARED_NORM}).
 */
export function extractFeatures(tokens: Tokens): Map<string, number> {
  const features = new Map<string, number>();
  let previous: string | undefined;
  for (const word of tokens.latin) {
    const key = wordKey(word);
    add(features, `w:${key}`, WEIGHT.word);
    if (previous !== undefined) add(features, `b:${previous} ${key}`, WEIGHT.bigram);
    previous = key;
    if (key !== '#num' && word.length >= 3) {
      const padded = `<${word}>`;
      for (let i = 0; i + 3 <= padded.length; i++) add(features, `c:${padded.slice(i, i + 3)}`, WEIGHT.chars);
    }
  }
  for (const run of tokens.japanese) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      const c1 = chars[i] ?? '';
      add(features, `j:${c1}`, WEIGHT.ja1);
      const c2 = chars[i + 1];
      if (c2 === undefined) continue;
      add(features, `j:${c1}${c2}`, WEIGHT.ja2);
      const c3 = chars[i + 2];
      if (c3 !== undefined) add(features, `j:${c1}${c2}${c3}`, WEIGHT.ja3);
    }
  }
  let norm = 0;
  for (const v of features.values()) norm += v * v;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(Math.max(norm, MIN_SQUARED_NORM));
    for (const [k, v] of features) features.set(k, v * scale);
  }
  return features;
}
