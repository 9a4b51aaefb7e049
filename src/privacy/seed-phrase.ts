/**
 * Recovery (seed) phrase detection: runs of 12 or more BIP39 words, English or Japanese.
 * Checking against the real BIP39 word lists (from @scure/bip39) instead of "12 short words" keeps
 * ordinary sentences safe: they break the run with words such as "the", "my", "and" or "is".
 */
import { wordlist as englishWords } from '@scure/bip39/wordlists/english.js';
import { wordlist as japaneseWords } from '@scure/bip39/wordlists/japanese.js';
import type { TextSpan } from './text-spans.js';

const ENGLISH = new Set(englishWords);
// The Japanese list is stored decomposed (NFKD); customers type composed kana.
const JAPANESE = new Set(japaneseWords.map((w) => w.normalize('NFC')));

/** Shortest phrase the BIP39 standard allows. */
const MIN_WORDS = 12;
/** Twelve of the shortest words (two kana) with a separator between each: no shorter text holds a phrase. */
const MIN_LENGTH = MIN_WORDS * 2 + (MIN_WORDS - 1);

type Token =
  | { readonly type: 'word'; readonly start: number; readonly end: number; readonly listed: boolean }
  | { readonly type: 'filler' }
  | { readonly type: 'break' };

/**
 * Finds seed phrases in `folded` text. A phrase is a run of words separated by spaces, commas or
 * list numbering ("1. abandon 2. ability"), trimmed to listed words at both ends, with at least 12
 * words of which at most one in twelve is off the list (a typo must not let a phrase through).
 */
export function findSeedPhrases(folded: string): TextSpan<'seed_phrase'>[] {
  const spans: TextSpan<'seed_phrase'>[] = [];
  if (folded.length < MIN_LENGTH) return spans;
  const tokens = tokenize(folded);
  let run: Extract<Token, { type: 'word' }>[] = [];
  const flush = () => {
    const span = evaluateRun(run);
    if (span) spans.push(span);
    run = [];
  };
  for (const token of tokens) {
    if (token.type === 'word') run.push(token);
    else if (token.type === 'break') flush();
  }
  flush();
  return spans;
}

function evaluateRun(run: readonly Extract<Token, { type: 'word' }>[]): TextSpan<'seed_phrase'> | null {
  let first = 0;
  let last = run.length - 1;
  while (first <= last && !run[first]?.listed) first++;
  while (last >= first && !run[last]?.listed) last--;
  const words = run.slice(first, last + 1);
  if (words.length < MIN_WORDS) return null;
  const unlisted = words.filter((w) => !w.listed).length;
  if (unlisted > Math.floor(words.length / MIN_WORDS)) return null;
  const start = words[0]?.start;
  const end = words[words.length - 1]?.end;
  return start === undefined || end === undefined ? null : { start, end, kind: 'seed_phrase' };
}

const NUMBERING = /^[(#]?[0-9]{1,2}[.):]?\)?$/u;
const LATIN_WORD = /^[A-Za-z]{3,8}$/u;
const KANA_WORD = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]{2,8}$/u;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/[^\s,、]+/gu)) {
    const raw = m[0];
    // Strip list numbering glued to the word ("1.abandon") and trailing punctuation ("zoo.").
    const numbering = /^[(#]?[0-9]{1,2}[.):]\)?/u.exec(raw)?.[0] ?? '';
    const core = raw.slice(numbering.length).replace(/[.;:!?。]+$/u, '');
    if (core.length === 0) {
      tokens.push(NUMBERING.test(raw) ? { type: 'filler' } : { type: 'break' });
      continue;
    }
    const start = m.index + numbering.length;
    const end = start + core.length;
    if (LATIN_WORD.test(core)) {
      tokens.push({ type: 'word', start, end, listed: ENGLISH.has(core.toLowerCase()) });
    } else if (KANA_WORD.test(core.normalize('NFC'))) {
      tokens.push({ type: 'word', start, end, listed: JAPANESE.has(core.normalize('NFC')) });
    } else {
      tokens.push({ type: 'break' });
    }
    // A sentence end or a label inside the run ("… zoo. Then …", "seed: abandon …") ends the phrase.
    if (core.length < raw.length - numbering.length && /[.!?。:]$/u.test(raw)) tokens.push({ type: 'break' });
  }
  return tokens;
}
