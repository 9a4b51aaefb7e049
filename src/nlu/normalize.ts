/**
 * Text normalisation shared by training, classification and slot extraction.
 *
 * Customers type the same word many ways: ＳＭＳ / ｓｍｓ / SMS, アプリ / あぷり / ｱﾌﾟﾘ,
 * with emoji, punctuation and line breaks. Everything the classifier sees goes through
 * {@link normalize} first so that these variants become one string.
 */

/**
 * Longest input (in UTF-16 code units) that is looked at. Customer questions are short; capping
 * keeps a pasted log or a hostile 100 KB string from costing more than a normal message.
 */
export const MAX_INPUT_LENGTH = 600;

const KATAKANA_START = 0x30a1; // ァ
const KATAKANA_END = 0x30f6; // ヶ
const KANA_OFFSET = 0x60; // ァ (U+30A1) - ぁ (U+3041)

/** Katakana → hiragana, so アプリ, あぷり and (after NFKC) ｱﾌﾟﾘ are one token. */
export function toHiragana(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += code >= KATAKANA_START && code <= KATAKANA_END ? String.fromCharCode(code - KANA_OFFSET) : text[i];
  }
  return out;
}

/**
 * The kana part of {@link normalize} alone (katakana → hiragana, casual long vowels), for
 * compiling patterns that must match normalised text: `normalizeKana('グーグル')` = `ぐうぐる`.
 */
export function normalizeKana(text: string): string {
  return toHiragana(text).replace(LONG_VOWEL_AS_U, '$1う');
}

// Kanji numerals that customers use interchangeably with digits in this domain (二段階 / 2段階).
const KANJI_DIGITS: Readonly<Record<string, string>> = { 一: '1', 二: '2', 六: '6' };
const KANJI_DIGIT_CONTEXT = /([一二六])(段階|要素|桁)/g;

// Anything that is not a letter, a number or a combining mark becomes a space: this drops emoji,
// punctuation (。、！？…), symbols and control characters in one pass. ー and 々 are letters (Lm).
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/gu;
const SPACES = /\s+/g;
// Stretched words: "heyyy", "hellooo" → "hey", "hello"; "ーーー" → "ー".
const STRETCHED_LATIN = /([a-z])\1{2,}/g;
const STRETCHED_MARK = /ー{2,}/g;
// Casual long vowels: おはよー / どーも read as おはよう / どうも (after o- and u-row kana).
// Applied everywhere, so katakana words (ぐーぐる → ぐうぐる) change the same way in training and input.
const LONG_VOWEL_AS_U = /([うくぐすずつづぬふぶぷむゆゅるおこごそぞとどのほぼぽもよょろを])ー/g;
// "didn't" / "didn’t" → "didnt", the way many customers type it anyway.
const INNER_APOSTROPHE = /(\p{L})['’`](\p{L})/gu;

/**
 * Normalises free text for matching:
 * length cap → NFKC (full-width ASCII → half-width, half-width kana → full-width) → lower case →
 * katakana → hiragana → kanji digits in 二段階/六桁 → stretched letters (heyyy, ーーー) and casual long vowels
 * (どーも → どうも) → symbols, emoji and controls → single spaces.
 *
 * Never throws; any string (empty, huge, binary-looking) yields a string of at most
 * {@link MAX_INPUT_LENGTH} characters or so.
 */
export function normalize(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  const capped = text.length > MAX_INPUT_LENGTH ? text.slice(0, MAX_INPUT_LENGTH) : text;
  return toHiragana(capped.normalize('NFKC').toLowerCase())
    .replace(KANJI_DIGIT_CONTEXT, (_m, digit: string, rest: string) => (KANJI_DIGITS[digit] ?? digit) + rest)
    .replace(STRETCHED_LATIN, '$1')
    .replace(STRETCHED_MARK, 'ー')
    .replace(LONG_VOWEL_AS_U, '$1う')
    .replace(INNER_APOSTROPHE, '$1$2')
    .replace(NON_WORD, ' ')
    .replace(SPACES, ' ')
    .trim();
}

const JAPANESE_CHAR = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー々]/u;

/** True when the character is Japanese script (kana, kanji, ー, 々). */
export function isJapaneseChar(ch: string): boolean {
  return JAPANESE_CHAR.test(ch);
}
