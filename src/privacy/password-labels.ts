/**
 * Text the customer labels as a password: "password: xxx", "pw xxx", "my password is xxx",
 * "パスワードは xxx", "パスワード：xxx". Only the value is replaced; the label stays so the agent
 * still understands the sentence. Words that commonly follow "password is" in a complaint
 * ("wrong", "expired"…) are not values.
 */
import type { TextSpan } from './text-spans.js';

// "one-time password" / "ワンタイムパスワード" label a code: the code detector reports those as `otp`.
const LABEL_EN = String.raw`(?<![A-Za-z])(?<!one[- ]time )(?:pass\s?words?|passwd|passphrase|pwd|p/w|pw)(?![A-Za-z])`;
const LABEL_EXPLICIT_ONLY = String.raw`(?<![A-Za-z])(?:pass|passcode)(?![A-Za-z])`;
const LABEL_JA = '(?<!ワンタイム)(?:パスワード|ﾊﾟｽﾜｰﾄﾞ|ぱすわーど|暗証番号|パスフレーズ)';

const QUOTED = String.raw`"([^"\n]{1,128})"|'([^'\n]{1,128})'|「([^」\n]{1,128})」|『([^』\n]{1,128})』|“([^”\n]{1,128})”`;
const BARE = String.raw`([^\s"'「」『』“”]{1,128})`;
const BARE_ASCII = String.raw`([!-~]{1,128})`;

/**
 * Every label above contains one of these (same flags as the forms, so case folding agrees): a
 * quick test that rules out most chat lines before the five forms are tried.
 */
const ANY_LABEL = /pass|pw|p\/w|パスワード|ﾊﾟｽﾜｰﾄﾞ|ぱすわーど|暗証番号|パスフレーズ/iu;

type Strength = 'explicit' | 'stated' | 'japanese' | 'bare';

const FORMS: readonly { readonly re: RegExp; readonly strength: Strength }[] = [
  // password: xxx / pw=xxx / password - xxx / パスワード：xxx (full-width colon is folded to ':')
  { re: new RegExp(`(?:${LABEL_EN}|${LABEL_EXPLICIT_ONLY}|${LABEL_JA})(?:\\s*[:=]|\\s+-)\\s*(?:${QUOTED}|${BARE})`, 'giu'), strength: 'explicit' },
  // my password is xxx / the pw was "xxx"
  { re: new RegExp(`${LABEL_EN}\\s+(?:is|was|would be|should be|used to be)\\s*:?\\s+(?:${QUOTED}|${BARE})`, 'giu'), strength: 'stated' },
  // パスワードは xxx / パスワードがxxxです / passwordは xxx
  { re: new RegExp(`${LABEL_JA}\\s*(?:は|が|を|も|、|,)?\\s*(?:${QUOTED}|${BARE_ASCII})`, 'giu'), strength: 'japanese' },
  { re: new RegExp(`${LABEL_EN}\\s*(?:は|が|を|も)\\s*(?:${QUOTED}|${BARE_ASCII})`, 'giu'), strength: 'japanese' },
  // pw xxx / password Hunter2!
  { re: new RegExp(`${LABEL_EN}\\s+(?:${QUOTED}|${BARE})`, 'giu'), strength: 'bare' },
];

/** Words that follow a password label in ordinary complaints; never taken for the value itself. */
const NOT_A_VALUE = new Set(
  `not no never wrong incorrect correct right invalid valid expired expiring locked blocked fine ok okay
  good bad weak strong too very really still also definitely probably maybe being been the a an my your his
  her their our same different changed change reset forgotten forgot lost saved stored in on at for from
  with without required needed case long short rejected accepted working broken unknown old new there here
  what that this it and or but so because then now set manager field recovery protected secure safe unsafe
  complicated complex simple easy hard similar shown hidden visible empty blank missing mandatory optional
  sensitive case-sensitive please help always sometimes both all any some none 2fa otp sms app email e-mail
  mail login account yes ng identical unchanged updated known entered typed policy requirements rules length
  characters chars symbols digits numbers letters isn't wasn't doesn't don't didn't won't can't cannot does
  did do is was will would should could might must has have had to of by as if is: hint again twice
  either neither mismatch mismatched error errors screen page form box reset. expired. wrong. correct.`
    .split(/\s+/u)
    .filter(Boolean),
);

const MARKER = /^\[redacted:/u;

/** Spans of password values in `folded` text. */
export function findLabelledPasswords(folded: string): TextSpan<'password'>[] {
  const spans: TextSpan<'password'>[] = [];
  if (!ANY_LABEL.test(folded)) return spans;
  for (const { re, strength } of FORMS) {
    for (const m of folded.matchAll(re)) {
      const quotedIndex = [1, 2, 3, 4, 5].find((i) => m[i] !== undefined);
      const quoted = quotedIndex !== undefined;
      const raw = quoted ? (m[quotedIndex] ?? '') : (m[6] ?? '');
      const value = quoted ? raw : raw.replace(/[.,;:)\]」』。、]+$/u, '');
      if (!isValue(value, quoted, strength)) continue;
      const matchEnd = m.index + m[0].length;
      // The value sits at the end of the match (before a closing quote when quoted).
      const valueEnd = quoted ? matchEnd - 1 : matchEnd - (raw.length - value.length);
      spans.push({ start: valueEnd - value.length, end: valueEnd, kind: 'password' });
    }
  }
  return spans;
}

function isValue(value: string, quoted: boolean, strength: Strength): boolean {
  if (value.length === 0 || MARKER.test(value)) return false;
  if (quoted) return true;
  if (NOT_A_VALUE.has(value.toLowerCase().replace(/[?!]+$/u, ''))) return false;
  switch (strength) {
    case 'explicit':
      return value.length >= 2;
    case 'stated':
    case 'japanese':
      return value.length >= 3;
    case 'bare':
      return value.length >= 4 && looksLikeAPassword(value);
  }
}

/** Without "is" or a colon, only a value that could not be an ordinary word counts. */
function looksLikeAPassword(value: string): boolean {
  return /[0-9]/u.test(value) || /[^A-Za-z0-9]/u.test(value) || /[a-z][A-Z]/u.test(value);
}
