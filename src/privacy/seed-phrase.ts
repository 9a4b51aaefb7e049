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
  // A Japanese phrase typed without separators ("おきるとおすのばす…") is one long kana run.
  for (const chain of kanaChains(folded)) {
    if (chain.words >= MIN_WORDS) spans.push({ start: chain.start, end: chain.end, kind: 'seed_phrase' });
  }
  return spans;
}

/** Where listed words stand at the edges of a message: what a phrase split over two messages leaves. */
export interface WordEdges {
  /** Listed words the text starts with (a run, or an unseparated kana chain), and where they end. */
  readonly leading: { readonly words: number; readonly end: number };
  /** Listed words the text ends with, and where they start. */
  readonly trailing: { readonly words: number; readonly start: number };
  /** True when the text is nothing but listed words (and separators or numbering). */
  readonly whole: boolean;
}

/** The runs of recovery-phrase words at the start and end of `folded` (see {@link WordEdges}). */
export function listedWordEdges(folded: string): WordEdges {
  const body = folded.trim();
  const offset = folded.indexOf(body);
  const chain = kanaChains(body).find((c) => c.start === 0 && c.end === body.length);
  if (chain && body.length > 0) {
    return { leading: { words: chain.words, end: offset + chain.end }, trailing: { words: chain.words, start: offset }, whole: true };
  }
  const tokens = tokenize(folded).filter((t) => t.type !== 'filler');
  const listed = (t: Token | undefined): t is Extract<Token, { type: 'word' }> => t?.type === 'word' && t.listed;
  let lead = 0;
  while (listed(tokens[lead])) lead++;
  let trail = 0;
  while (listed(tokens[tokens.length - 1 - trail])) trail++;
  const leadEnd = lead > 0 ? (tokens[lead - 1] as Extract<Token, { type: 'word' }>).end : 0;
  const trailStart = trail > 0 ? (tokens[tokens.length - trail] as Extract<Token, { type: 'word' }>).start : folded.length;
  return {
    leading: { words: lead, end: leadEnd },
    trailing: { words: trail, start: trailStart },
    whole: tokens.length > 0 && lead === tokens.length,
  };
}

const LONGEST_JAPANESE_WORD = Math.max(...[...JAPANESE].map((w) => w.length));

/**
 * Chains of Japanese list words written one after another with nothing between them, found in
 * each hiragana run of `folded` by dynamic programming (longest chain ending at each position).
 * Ordinary Japanese mixes kanji and katakana in far sooner than twelve words' worth of hiragana.
 */
function kanaChains(folded: string): { start: number; end: number; words: number }[] {
  const chains: { start: number; end: number; words: number }[] = [];
  for (const m of folded.matchAll(/[\p{Script=Hiragana}ー]{12,}/gu)) {
    const run = m[0].normalize('NFC');
    if (run.length !== m[0].length) continue;
    const best: ({ start: number; words: number } | undefined)[] = [];
    for (let end = 2; end <= run.length; end++) {
      for (let len = 2; len <= Math.min(LONGEST_JAPANESE_WORD, end); len++) {
        if (!JAPANESE.has(run.slice(end - len, end))) continue;
        const before = best[end - len];
        const candidate = before ? { start: before.start, words: before.words + 1 } : { start: end - len, words: 1 };
        if (!best[end] || candidate.words > best[end]!.words) best[end] = candidate;
      }
    }
    let end = run.length;
    while (end > 0) {
      const chain = best[end];
      if (chain && chain.words >= 2) {
        chains.push({ start: m.index + chain.start, end: m.index + end, words: chain.words });
        end = chain.start;
      } else end--;
    }
  }
  return chains;
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

/**
 * A token that is not a Latin word: a list word, a typo of one, or a list word glued to the
 * sentence around the phrase ("フレーズはくいず", "すくないです"), then split off at the edge.
 */
function kanaTokens(core: string, start: number): Token[] {
  const nfc = core.normalize('NFC');
  const kana = KANA_WORD.test(nfc);
  if (kana && JAPANESE.has(nfc)) return [{ type: 'word', start, end: start + core.length, listed: true }];
  if (nfc.length !== core.length) return kana ? [{ type: 'word', start, end: start + core.length, listed: false }] : [{ type: 'break' }];
  for (let len = Math.min(8, core.length - 1); len >= 2 && kana; len--) {
    if (JAPANESE.has(core.slice(0, len))) return [{ type: 'word', start, end: start + len, listed: true }, { type: 'break' }];
  }
  for (let len = Math.min(8, core.length - 1); len >= 2; len--) {
    const suffix = core.slice(core.length - len);
    if (JAPANESE.has(suffix)) return [{ type: 'break' }, { type: 'word', start: start + core.length - len, end: start + core.length, listed: true }];
  }
  return kana ? [{ type: 'word', start, end: start + core.length, listed: false }] : [{ type: 'break' }];
}

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
    } else {
      tokens.push(...kanaTokens(core, start));
    }
    // A sentence end or a label inside the run ("… zoo. Then …", "seed: abandon …") ends the phrase.
    if (core.length < raw.length - numbering.length && /[.!?。:]$/u.test(raw)) tokens.push({ type: 'break' });
  }
  return tokens;
}
