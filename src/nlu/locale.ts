import { MAX_INPUT_LENGTH } from './normalize.js';
import type { Language } from '../i18n/language.js';

const JAPANESE_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LATIN_LETTERS = /\p{Script=Latin}/gu;

/**
 * Language of a text from its script: any kana or kanji → `ja` (Japanese customers mix in
 * "SMS", "Google Authenticator"); otherwise two or more Latin letters → `en`; otherwise
 * (digits, emoji, punctuation, empty) `undefined`, meaning "keep the conversation's language".
 */
export function detectLocale(text: string): Language | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const sample = text.slice(0, MAX_INPUT_LENGTH).normalize('NFKC');
  if (JAPANESE_SCRIPT.test(sample)) return 'ja';
  const latin = sample.match(LATIN_LETTERS);
  return latin !== null && latin.length >= 2 ? 'en' : undefined;
}
