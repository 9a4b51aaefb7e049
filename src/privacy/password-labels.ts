/**
 * Text the customer labels as a password: "password: xxx", "pw xxx", "my password is xxx",
 * "パスワードは xxx", "パスワード：xxx", "暗証番号は、さくら2024". Only the value is replaced; the
 * label stays so the agent still understands the sentence. The value is everything up to the end
 * of its clause (a passphrase has spaces; a password may be longer than any limit we would pick),
 * except after a bare "pw xxx", where only the one token that looks like a password is taken.
 * Words that commonly follow "password is" in a complaint ("wrong", "忘れました"…) are not values.
 */
import type { TextSpan } from './text-spans.js';

// "one-time password" / "ワンタイムパスワード" label a code: the code detector reports those as `otp`.
const LABEL_EN = String.raw`(?<![A-Za-z])(?<!one[- ]time )(?:pass\s?words?|passwd|passphrase|pwd|p/w|pw)(?![A-Za-z])`;
const LABEL_EXPLICIT_ONLY = String.raw`(?<![A-Za-z])(?:pass|passcode|pin)(?![A-Za-z])`;
const LABEL_JA = '(?<!ワンタイム)(?:パスワード|ﾊﾟｽﾜｰﾄﾞ|ぱすわーど|暗証番号|パスフレーズ|合言葉|ログインパス)';

/**
 * Every label above contains one of these (same flags as the forms, so case folding agrees): a
 * quick test that rules out most chat lines before the forms are tried.
 */
const ANY_LABEL = /pass|pw|p\/w|pin|パスワード|ﾊﾟｽﾜｰﾄﾞ|ぱすわーど|暗証番号|パスフレーズ|合言葉|ログインパス/iu;

/** How much the wording vouches for what follows being a password, and so how much is taken. */
type Strength = 'explicit' | 'stated' | 'japanese' | 'japaneseAscii' | 'bare';

/** Each form matches the label and its connector; the value starts where the match ends. */
const FORMS: readonly { readonly re: RegExp; readonly strength: Strength }[] = [
  // password: xxx / pw=xxx / password - xxx / パスワード：xxx (full-width colon is folded to ':')
  { re: new RegExp(`(?:${LABEL_EN}|${LABEL_EXPLICIT_ONLY}|${LABEL_JA})(?:\\s*[:=]|\\s+-)\\s*`, 'giu'), strength: 'explicit' },
  // my password is xxx / the pw was "xxx"
  { re: new RegExp(`${LABEL_EN}\\s+(?:is|was|would be|should be|used to be)(?![A-Za-z'’])\\s*:?\\s*`, 'giu'), strength: 'stated' },
  // パスワードは xxx / パスワードが「xxx」 / パスワードは、さくら2024
  { re: new RegExp(`${LABEL_JA}\\s*(?:(?:は|が)\\s*[、,]?|[、,])\\s*`, 'giu'), strength: 'japanese' },
  // パスワード abc123 / パスワードを abc123 に / passwordは xxx: only a value in Latin script
  { re: new RegExp(`(?:${LABEL_JA}\\s*(?:を|も)?|${LABEL_EN}\\s*(?:は|が|を|も))\\s*(?![:=\\-は が、,])`, 'giu'), strength: 'japaneseAscii' },
  // pw xxx / password Hunter2!
  { re: new RegExp(`${LABEL_EN}\\s+`, 'giu'), strength: 'bare' },
];

const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '「': '」', '『': '』', '“': '”' };

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
  either neither mismatch mismatched error errors screen page form box reset. expired. wrong. correct.
  i i'm im we you he she they who which where when how why since after before today yesterday anymore
  though now. anymore. yet`
    .split(/\s+/u)
    .filter(Boolean),
);

/**
 * How a Japanese complaint about a password goes on ("パスワードは忘れました", "…が違います",
 * "…は8文字以上です"): a value starting like this is the sentence, not a password.
 */
const NOT_A_JAPANESE_VALUE =
  /^(?:忘れ|わすれ|間違|まちが|違|ちが|正し|合っ|あっ|合わ|一致|変更|変え|かえ|リセット|再設定|設定|登録|入力|入れ|いれ|打|分から|わから|分かり|わかり|覚え|おぼえ|ロック|使え|使っ|通ら|通り|弾|はじか|エラー|無効|有効|大丈夫|同じ|英|数字|半角|全角|大文字|小文字|記号|文字|何|なに|なん|どこ|どう|どれ|なぜ|いつ|教え|確認|知ら|知り|不明|初期|今|前|古|新し|長|短|弱|強|複雑|簡単|空|未|表示|送|届|もう|まだ|ちゃんと|きちんと|必要|要|正確|正常|問題|メモ|保存|控え|紙|手帳|ない|なし|無し|ありません|いません|でき|出来|されて|して|する|です|でした|お願い|ok|OK)/u;

/** A Japanese value with no Latin letters or digits that ends like a verb is a sentence. */
const JAPANESE_VERB_ENDING = /(?:ます|ません|ました|ましょう|ている|ていた|てる|てた|ない|なかった|した|する|られる|れる|さい|たい|だろう|かな|けど|のに)[。.!！?？]*$/u;

/** Where a clause ends: a line break, a sentence end, a Japanese comma, ", " or "; ". */
const CLAUSE_END = /\n|[。！？]|[.!?](?=\s|$)|[,;]\s|、/u;

const MARKER = /^\[redacted:/u;

/** Spans of password values in `folded` text. */
export function findLabelledPasswords(folded: string): TextSpan<'password'>[] {
  const spans: TextSpan<'password'>[] = [];
  if (!ANY_LABEL.test(folded)) return spans;
  for (const { re, strength } of FORMS) {
    for (const m of folded.matchAll(re)) {
      const span = valueAt(folded, m.index + m[0].length, strength);
      if (span) spans.push({ ...span, kind: 'password' });
    }
  }
  return spans;
}

/** A label and its connector at the very end of a message ("my password is", "パスワードは、"). */
const ANNOUNCEMENT = new RegExp(
  `(?:(?:${LABEL_EN}|${LABEL_EXPLICIT_ONLY}|${LABEL_JA})\\s*[:=]|${LABEL_EN}\\s+(?:is|was|would be)|${LABEL_JA}\\s*(?:(?:は|が)\\s*[、,]?|[、,]))[\\s.…]*$`,
  'iu',
);

/**
 * True when `folded` ends with a password label and its connector but no value ("my password
 * is", "パスワードは"): the customer is about to send the password in the next message.
 */
export function announcesPassword(folded: string): boolean {
  return ANY_LABEL.test(folded) && ANNOUNCEMENT.test(folded);
}

/**
 * A whole message that is a password sent after {@link announcesPassword}: its first line, unless
 * it reads like a reply about the password ("wrong", "忘れました") rather than the password itself.
 */
export function passwordMessageSpan(folded: string): { start: number; end: number } | undefined {
  const start = folded.search(/\S/u);
  if (start < 0) return undefined;
  return valueAt(folded, start, 'explicit');
}

function valueAt(folded: string, from: number, strength: Strength): { start: number; end: number } | undefined {
  let start = from;
  while (start < folded.length && /[ \t]/u.test(folded[start] ?? '')) start++;
  const first = folded[start];
  if (first === undefined || first === '\n') return undefined;
  const close = QUOTES[first];
  if (close !== undefined) {
    const end = folded.indexOf(close, start + 1);
    if (end > start + 1 && !folded.slice(start + 1, end).includes('\n')) return checked(folded, start + 1, end, strength, true);
  }
  if (MARKER.test(folded.slice(start))) return undefined;
  const rest = folded.slice(start);
  let length: number;
  if (/^[!-~]/u.test(rest)) {
    // Latin script: one token after a bare label, otherwise words up to the end of the clause or
    // the first non-Latin word ("パスワードは correct horse battery です" keeps "です").
    const latin = strength === 'bare' || strength === 'japaneseAscii' ? /^[!-~]+/u : /^[!-~]+(?:[ \t]+[!-~]+)*/u;
    length = latin.exec(rest)?.[0].length ?? 0;
    const clause = clauseLength(rest);
    if (strength !== 'bare' && strength !== 'japaneseAscii') length = Math.min(length, clause, sentenceGoesOn(rest.slice(0, length)));
  } else {
    if (strength === 'japaneseAscii' || strength === 'bare') return undefined;
    length = clauseLength(rest);
  }
  let value = rest.slice(0, length);
  // Trailing punctuation and a Japanese copula are the sentence's, not the value's.
  value = value.replace(/[\s.,;:)\]」』]+$/u, '').replace(/\s*(?:です|でした|でございます|だった|だ)$/u, '');
  return checked(folded, start, start + value.length, strength, false);
}

/**
 * Where a passphrase gives way to the rest of the sentence: a conjunction followed by a word of
 * ordinary complaint ("… and the code failed", "… but it says wrong"). "salt and pepper" goes on.
 */
function sentenceGoesOn(value: string): number {
  for (const m of value.matchAll(/\s+(?:and|but|or|so|because|then|when|while|since|though|although|which|if)\s+(\S+)/giu)) {
    if (NOT_A_VALUE.has((m[1] ?? '').toLowerCase())) return m.index;
  }
  return value.length;
}

function clauseLength(rest: string): number {
  const m = CLAUSE_END.exec(rest);
  return m ? m.index : rest.length;
}

function checked(folded: string, start: number, end: number, strength: Strength, quoted: boolean): { start: number; end: number } | undefined {
  const value = folded.slice(start, end);
  if (value.length === 0 || MARKER.test(value)) return undefined;
  if (quoted) return { start, end };
  // "my password is wrong" and "…is not accepted" are complaints; "…is correct horse battery
  // staple" is a passphrase that happens to start with a common word.
  const words = value.toLowerCase().split(/\s+/u).map((w) => w.replace(/[?!.,]+$/u, ''));
  if (NOT_A_VALUE.has(words[0] ?? '') && (words.length < 3 || words.slice(1).some((w) => NOT_A_VALUE.has(w)))) return undefined;
  if (!/^[!-~]/u.test(value)) {
    if (NOT_A_JAPANESE_VALUE.test(value)) return undefined;
    if (!/[A-Za-z0-9]/u.test(value) && JAPANESE_VERB_ENDING.test(value)) return undefined;
    return value.length >= 2 ? { start, end } : undefined;
  }
  switch (strength) {
    case 'explicit':
      return value.length >= 2 ? { start, end } : undefined;
    case 'stated':
    case 'japanese':
    case 'japaneseAscii':
      return value.length >= 3 ? { start, end } : undefined;
    case 'bare':
      return value.length >= 4 && looksLikeAPassword(value) ? { start, end } : undefined;
  }
}

/** Without "is" or a colon, only a value that could not be an ordinary word counts. */
function looksLikeAPassword(value: string): boolean {
  return /[0-9]/u.test(value) || /[^A-Za-z0-9]/u.test(value) || /[a-z][A-Z]/u.test(value);
}
