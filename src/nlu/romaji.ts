/**
 * Japanese typed in Latin letters ("sms ga konai", "ninsyou apuri wo sakujo shita", "hai"), read
 * as kana with wanakana, so the classifier sees the same Japanese as from a customer typing kana.
 *
 * A word counts as romaji when wanakana turns it wholly into kana and it is not an English word
 * the bot knows ("the", "name", "code" parse as romaji too); a text is romaji Japanese when such
 * words outnumber its other words (English, or neither: "blorp"). Particles (no, to, de…) are English words too: they count
 * half, and only beside other romaji words.
 */
import { isKana, toHiragana } from 'wanakana';

/** Japanese particles that are English words too: converted with the rest, counted for neither. */
const PARTICLES: ReadonlySet<string> = new Set(['no', 'to', 'de', 'mo', 'ni', 'wa', 'ga', 'wo', 'ka', 'ne', 'yo', 'ha']);

/** Short English words that parse as romaji; always English whatever the vocabulary says. */
const ENGLISH: ReadonlySet<string> = new Set(
  'a i an be do go he me we so oh hi ok no to on in is it at as or of us up by my ya yo hey one the same name make take code come more some time home are age page gone done none note hope nope sure mine tone'.split(' '),
);

const WORD = /[a-z]+(?:-[a-z]+)*/g;
const JAPANESE_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Words already looked up (wanakana is the slow part); bounded so hostile input cannot grow it. */
const CACHE = new Map<string, string | null>();
const CACHE_LIMIT = 20_000;
/**
 * Longest word read as romaji. No Japanese word typed in Latin letters comes near it, and wanakana
 * recurses once per syllable: a few thousand letters in one word overflow the stack (found by the fuzz test).
 */
const MAX_WORD_LENGTH = 64;

/** The kana of one romaji word ("ko-do" → こーど), or undefined when it is not wholly romaji. */
export function kanaOf(word: string): string | undefined {
  const cached = CACHE.get(word);
  if (cached !== undefined) return cached ?? undefined;
  let kana: string | null = null;
  if (word.length <= MAX_WORD_LENGTH && /^[a-z]+(?:-[a-z]+)*$/.test(word)) {
    const converted = toHiragana(word);
    if (isKana(converted)) kana = converted;
  }
  if (CACHE.size < CACHE_LIMIT) CACHE.set(word, kana);
  return kana ?? undefined;
}

/**
 * `text` with its romaji words in kana when it reads as romaji Japanese, else undefined. Text
 * with kana or kanji is Japanese already; `isEnglish` says whether a word is English (the
 * classifier's English vocabulary).
 */
export function readRomaji(text: string, isEnglish: (word: string) => boolean): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const lower = text.normalize('NFKC').toLowerCase();
  if (JAPANESE_SCRIPT.test(lower)) return undefined;
  const words = lower.match(WORD) ?? [];
  let japanese = 0;
  let english = 0;
  let particles = 0;
  /** Words that are neither romaji nor English ("blorp", "iphone"): evidence against Japanese too. */
  let other = 0;
  const converted = new Map<string, string>();
  for (const word of words) {
    const kana = kanaOf(word);
    if (kana !== undefined && PARTICLES.has(word)) {
      particles++;
      converted.set(word, kana);
    }
    else if (ENGLISH.has(word) || isEnglish(word)) english++;
    else if (kana !== undefined) {
      japanese++;
      converted.set(word, kana);
    } else other++;
  }
  // A particle next to Japanese words tips the balance ("sms ga konai"), never on its own.
  if (japanese === 0 || japanese + particles / 2 <= english + other) return undefined;
  return lower.replace(WORD, (w) => converted.get(w) ?? w);
}
