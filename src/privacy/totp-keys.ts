/**
 * Base32 TOTP setup keys ("JBSWY3DPEHPK3PXP", "jbsw y3dp ehpk 3pxp"): 16 or more characters of
 * A–Z and 2–7, contiguous or in groups of four. A mix of letters and digits is a key; letters alone
 * are a key only when they do not read like words, so long English words and runs of four-letter
 * words ("that with from this") are left alone.
 */
import { overlapsAny, type TextSpan } from './text-spans.js';

const B32 = '[A-Za-z2-7]';
const EDGE_BEFORE = '(?<![0-9A-Za-z_@./\\\\-])';
const EDGE_AFTER = '(?![0-9A-Za-z_@])';
const CONTIGUOUS = new RegExp(`${EDGE_BEFORE}${B32}{16,}=*${EDGE_AFTER}`, 'gu');
/** What every key of either shape contains: a quick test that rules out most chat lines. */
const MAY_CONTAIN_KEY = new RegExp(`${B32}{16}|${B32}{4}[ \\-]${B32}{4}[ \\-]${B32}{4}[ \\-]${B32}{4}`, 'u');
const GROUPED = new RegExp(
  `${EDGE_BEFORE}${B32}{4}(?:[ \\-]${B32}{4}){3,}(?:[ \\-]${B32}{1,3})?=*${EDGE_AFTER}`,
  'gu',
);

/** Spans of TOTP setup keys in `folded` text, skipping `protectedSpans`. */
export function findTotpKeys(folded: string, protectedSpans: () => readonly TextSpan[]): TextSpan<'totp_key'>[] {
  const spans: TextSpan<'totp_key'>[] = [];
  // Both shapes start with four base32 characters followed by a fifth or a separator.
  if (!MAY_CONTAIN_KEY.test(folded)) return spans;
  for (const m of folded.matchAll(CONTIGUOUS)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!overlapsAny(start, end, protectedSpans()) && isKeyLike([m[0].replace(/=+$/u, '')])) {
      spans.push({ start, end, kind: 'totp_key' });
    }
  }
  for (const m of folded.matchAll(GROUPED)) {
    const start = m.index;
    let text = m[0];
    let groups = text.replace(/=+$/u, '').split(/[ -]/u);
    const tail = groups[groups.length - 1];
    // A short last group belongs to the key only if it is written like the key (same case and
    // separator); otherwise it is the next word of the sentence ("… 3PXP and").
    const separator = text.charAt(4);
    const tailSeparator = tail === undefined ? '' : text.charAt(text.replace(/=+$/u, '').length - tail.length - 1);
    if (
      tail !== undefined &&
      tail.length < 4 &&
      (!sameCaseAs(tail, groups.slice(0, -1)) || tailSeparator !== separator)
    ) {
      groups = groups.slice(0, -1);
      text = text.slice(0, text.lastIndexOf(tail) - 1);
    }
    const end = start + text.length;
    if (!overlapsAny(start, end, protectedSpans()) && isKeyLike(groups)) {
      spans.push({ start, end, kind: 'totp_key' });
    }
  }
  return spans;
}

function sameCaseAs(tail: string, groups: readonly string[]): boolean {
  const letters = groups.join('').replace(/[2-7]/gu, '');
  const upper = letters === letters.toUpperCase();
  const lower = letters === letters.toLowerCase();
  const t = tail.replace(/[2-7]/gu, '');
  if (t.length === 0) return true;
  return (upper && t === t.toUpperCase()) || (lower && t === t.toLowerCase());
}

/** Decides whether base32-shaped groups are a key rather than words. */
export function isKeyLike(groups: readonly string[]): boolean {
  const all = groups.join('').toUpperCase();
  const hasDigit = /[2-7]/u.test(all);
  const hasLetter = /[A-Z]/u.test(all);
  if (!hasLetter) return false;
  if (hasDigit) return true;
  return !readsLikeWords(groups.map((g) => g.toUpperCase()));
}

function readsLikeWords(groups: readonly string[]): boolean {
  const all = groups.join('');
  const vowels = (all.match(/[AEIOUY]/gu) ?? []).length;
  const longestConsonantRun = Math.max(0, ...(all.match(/[^AEIOUY]+/gu) ?? []).map((r) => r.length));
  if (groups.length === 1) {
    // One long token: English words of 16+ letters are about 40% vowels with short consonant runs.
    return vowels / all.length >= 0.3 && longestConsonantRun <= 4;
  }
  // Groups of four: each a word has a vowel; random base32 groups often have none.
  return groups.every((g) => /[AEIOUY]/u.test(g)) && vowels / all.length >= 0.2;
}
