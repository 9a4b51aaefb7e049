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
 * Common words of this domain as customers type them in hiragana only (or in romaji, which is read
 * as hiragana), with the spelling the training data mostly uses: にんしょう → 認証, きしゅへん → 機種変,
 * でんわばんごう → 電話番号. Only words of three kana or more that mean nothing else here, so a
 * replacement never lands inside another word; longest first (きしゅへんこう before きしゅへん).
 * Words of katakana origin need no entry (アプリ / あぷり are one string already).
 */
const KANA_SPELLINGS: Readonly<Record<string, string>> = {
  にだんかいにんしょう: '2段階認証',
  にだんかい: '2段階',
  だんかい: '段階',
  にんしょう: '認証',
  きしゅへんこう: '機種変更',
  きしゅへん: '機種変',
  きしゅ: '機種',
  でんわばんごう: '電話番号',
  けいたいばんごう: '携帯番号',
  ばんごう: '番号',
  でんわ: '電話',
  けいたい: '携帯',
  さくじょ: '削除',
  へんこう: '変更',
  せってい: '設定',
  ふんしつ: '紛失',
  すいぼつ: '水没',
  でんげん: '電源',
  ひきつぎ: '引き継ぎ',
  ひきつげ: '引き継げ',
  ひきつが: '引き継が',
  ひきつい: '引き継い',
  とどかない: '届かない',
  とどかん: '届かん',
  とどいて: '届いて',
  とどかず: '届かず',
  こわれ: '壊れ',
  ぬすまれ: '盗まれ',
  けしちゃ: '消しちゃ',
  けしてしま: '消してしま',
  けした: '消した',
  けしました: '消しました',
  きえた: '消えた',
  きえちゃ: '消えちゃ',
  きえました: '消えました',
  かくにん: '確認',
  ちゃくしん: '着信',
  おんせい: '音声',
  つうわ: '通話',
  かいじょ: '解除',
  せいげん: '制限',
  まちがえ: '間違え',
  まちがい: '間違い',
  なんかいも: '何回も',
  なんども: '何度も',
  ほうほう: '方法',
  きりかえ: '切り替え',
  かえたい: '変えたい',
  かわった: '変わった',
  かわっちゃ: '変わっちゃ',
  かわってしま: '変わってしま',
  あたらしい: '新しい',
  しゅっきん: '出金',
  にゅうきん: '入金',
  てすうりょう: '手数料',
  たんとうしゃ: '担当者',
  といあわせ: '問い合わせ',
  じょうきょう: '状況',
};
const KANA_SPELLING = new RegExp(
  Object.keys(KANA_SPELLINGS)
    .sort((a, b) => b.length - a.length)
    .join('|'),
  'gu',
);

/** Common words typed in hiragana read with their usual kanji spelling (see {@link KANA_SPELLINGS}). */
export function withUsualSpelling(normalized: string): string {
  return normalized.replace(KANA_SPELLING, (w) => KANA_SPELLINGS[w] ?? w);
}

/**
 * Normalises free text for matching:
 * length cap → NFKC (full-width ASCII → half-width, half-width kana → full-width) → lower case →
 * katakana → hiragana → kanji digits in 二段階/六桁 → stretched letters (heyyy, ーーー) and casual long vowels
 * (どーも → どうも) → common words typed in hiragana in their usual kanji (にんしょう → 認証) → symbols, emoji and controls → single spaces.
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
    .replace(KANA_SPELLING, (w) => KANA_SPELLINGS[w] ?? w)
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
