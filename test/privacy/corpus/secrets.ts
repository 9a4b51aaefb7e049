/**
 * The secret corpus of issue 12: at least 200 inputs in Japanese and English that carry a 2FA
 * code, a setup key, an otpauth URI, a recovery phrase or a password, as one message, as several
 * messages of one conversation, or in a field a crafted client controls. Values are drawn from a
 * seeded generator, so the corpus is the same on every run and its secrets are unlikely to occur
 * in a database file by chance. `secrets` are the substrings that must never be stored or logged.
 */
import { wordlist as englishWords } from '@scure/bip39/wordlists/english.js';
import { wordlist as japaneseWords } from '@scure/bip39/wordlists/japanese.js';

export type Lang = 'ja' | 'en';

/** Where the secret travels: message text, or one of the fields a client fills itself. */
export type Field = 'text' | 'localTimezone' | 'channelData' | 'entities' | 'fromName' | 'value' | 'attachmentName' | 'replyToId';

export interface SecretCase {
  readonly lang: Lang;
  /** Messages sent one after another in one conversation (one for most cases). */
  readonly messages: readonly string[];
  readonly secrets: readonly string[];
  readonly field: Field;
}

/** mulberry32: small, seeded, good enough to vary test data. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(12);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
/** Digits that do not start with 0 or 19/20 (so no value reads as a year), and no repeats across the corpus. */
const used = new Set<string>();
function digits(n: number): string {
  for (;;) {
    let s = String(1 + Math.floor(random() * 9));
    while (s.length < n) s += String(Math.floor(random() * 10));
    if (!used.has(s) && !/^(?:19|20)/u.test(s)) {
      used.add(s);
      return s;
    }
  }
}
const base32 = (n: number) => Array.from({ length: n }, () => pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'])).join('');
const enWords = (n: number) => Array.from({ length: n }, () => pick(englishWords));
const jaWords = (n: number) => Array.from({ length: n }, () => pick(japaneseWords).normalize('NFC'));

/** The same digits written in other Unicode blocks (zero of each block). */
const DIGIT_BLOCKS: Readonly<Record<string, number>> = {
  fullwidth: 0xff10,
  mathBold: 0x1d7ce,
  mathDoubleStruck: 0x1d7d8,
  mathMonospace: 0x1d7f6,
  arabicIndic: 0x0660,
  extendedArabicIndic: 0x06f0,
  devanagari: 0x0966,
  bengali: 0x09e6,
  thai: 0x0e50,
};
const inBlock = (s: string, zero: number) => [...s].map((d) => String.fromCodePoint(zero + Number(d))).join('');

/** Ways a six-digit code is typed: [as typed]. */
function codeForms(code: string): string[] {
  const [a, b] = [code.slice(0, 3), code.slice(3)];
  return [
    code,
    `${a} ${b}`,
    `${a}-${b}`,
    `${a}.${b}`,
    [...code].join('.'),
    `${a}・${b}`,
    [...code].join('・'),
    [...code].join(' '),
    ...Object.values(DIGIT_BLOCKS).map((zero) => inBlock(code, zero)),
  ];
}

const CODE_TEMPLATES: Readonly<Record<Lang, readonly string[]>> = {
  en: ['{}', 'The code is {}', 'my 2fa code {} does not work', 'code: {}', 'I typed {} but it failed', 'Authenticator shows {} right now'],
  ja: ['{}', 'コードは{}です', '認証コード {} を入力しましたがエラーになります', 'SMSで届いた番号は {} でした', 'ワンタイムパスワード：{}', '{}と表示されています'],
};

const cases: SecretCase[] = [];
const text = (lang: Lang, messages: string[], secrets: string[]) => cases.push({ lang, messages, secrets, field: 'text' });

// One-time codes in every form, each in a sentence of its own (16 forms × 2 languages).
for (const lang of ['en', 'ja'] as const) {
  for (let form = 0; form < codeForms('123456').length; form++) {
    const code = digits(6);
    const typed = codeForms(code)[form]!;
    text(lang, [pick(CODE_TEMPLATES[lang]).replace('{}', typed)], [typed, code]);
  }
}
// 7 and 8 digits, grouped; two codes in one message.
for (const lang of ['en', 'ja'] as const) {
  for (let i = 0; i < 4; i++) {
    const c7 = digits(7);
    const c8 = digits(8);
    text(lang, [pick(CODE_TEMPLATES[lang]).replace('{}', c7)], [c7]);
    text(lang, [pick(CODE_TEMPLATES[lang]).replace('{}', `${c8.slice(0, 4)} ${c8.slice(4)}`)], [`${c8.slice(0, 4)} ${c8.slice(4)}`, c8]);
    const [a, b] = [digits(6), digits(6)];
    const two = lang === 'en' ? `tried ${a} ${b} both failed` : `${a}　${b} どちらもだめでした`;
    text(lang, [two], [a, b]);
  }
}
// Setup keys and otpauth URIs.
for (const lang of ['en', 'ja'] as const) {
  for (let i = 0; i < 5; i++) {
    const key = base32(16 + 16 * (i % 2));
    const grouped = key.toLowerCase().match(/.{4}/gu)!.join(' ');
    text(lang, [lang === 'en' ? `my setup key is ${key}` : `セットアップキーは${key}です`], [key]);
    text(lang, [lang === 'en' ? `the secret was ${grouped}` : `秘密鍵：${grouped}`], [grouped, key.toLowerCase()]);
    const uriKey = base32(16);
    text(lang, [`otpauth://totp/Exchange:user${i}?secret=${uriKey}&issuer=Exchange`], [uriKey, `otpauth://totp/Exchange:user${i}`]);
  }
}
// Passwords: single tokens, passphrases, kana and kanji values, values beyond 128 characters.
const KANA = ['さくら', 'ねこやなぎ', 'ひまわり', 'もみじ', 'うさぎ', 'かぶとむし', 'ゆきだるま', 'はなび'];
const KANJI = ['桜餅', '富士山', '北海道', '紅葉狩り', '雪見大福', '花火大会'];
for (let i = 0; i < 8; i++) {
  const token = `${pick(['Hunter', 'Sakura', 'Tanuki', 'Blue', 'Kitsune'])}${digits(4)}${pick(['!', '#', '?', '&', ''])}`;
  const phrase = enWords(4).join(' ');
  text('en', [pick(['password: {}', 'my password is {}', 'pw={}', 'Password - {}', 'passwd: {}', 'PIN: {}']).replace('{}', token)], [token]);
  text('en', [pick(['password: {}', 'my passphrase is {}', 'the password was {}']).replace('{}', phrase)], [phrase]);
  const kana = `${pick(KANA)}${digits(4)}`;
  text('ja', [pick(['パスワードは、{}', 'パスワードは{}です', 'パスワード：{}', '暗証番号は、{}']).replace('{}', kana)], [kana]);
  const kanji = `${pick(KANJI)}${pick(KANA)}`;
  text('ja', [pick(['パスワードは{}です', 'パスワード：{}', 'パスワードは「{}」']).replace('{}', kanji)], [kanji]);
}
for (const lang of ['en', 'ja'] as const) {
  const long = `${'Ab1'.repeat(50)}${digits(6)}tail`;
  const tail = long.slice(128);
  text(lang, [lang === 'en' ? `password: ${long}` : `パスワードは ${long} です`], [long, tail]);
  const jp = `${'さくら'.repeat(45)}${digits(5)}`;
  text(lang, [`パスワード：${jp}`], [jp.slice(100)]);
}
// Recovery phrases: English and Japanese, with spaces, commas, numbering, 「・」 and no separators.
for (let i = 0; i < 6; i++) {
  const en = enWords(12);
  text('en', [pick(['{}', 'my recovery phrase: {}', 'seed words are {}']).replace('{}', en.join(i % 2 ? ', ' : ' '))], [en.slice(3, 7).join(' ')]);
  const ja = jaWords(12);
  const sep = pick([' ', '　', '、', '・', '']);
  text('ja', [`復元フレーズは${ja.join(sep)}です`], [ja.slice(4, 8).join(sep), ja.join(sep)]);
  const numbered = enWords(12);
  text('en', [numbered.map((w, k) => `${k + 1}. ${w}`).join(' ')], [`${numbered[5]} 7. ${numbered[6]}`]);
}
// Split over two or three messages of one conversation.
for (let i = 0; i < 6; i++) {
  const code = digits(6);
  const [a, b] = [code.slice(0, 3), code.slice(3)];
  text('en', [a, b], [a, b, code]);
  text('ja', [`コードは ${a}`, b], [a, b, code]);
  const c8 = digits(8);
  text('en', [`the code is ${c8.slice(0, 5)}`, c8.slice(5)], [c8.slice(0, 5), c8.slice(5), c8]);
  const pw = `${pick(KANA)}${digits(4)}`;
  text('ja', ['パスワードは', pw], [pw]);
  const phrase = enWords(3).join(' ');
  text('en', ['my password is', phrase], [phrase]);
  const enSeed = enWords(12);
  text('en', [enSeed.slice(0, 6).join(' '), enSeed.slice(6).join(' ')], [enSeed.slice(0, 4).join(' '), enSeed.slice(8).join(' ')]);
  const jaSeed = jaWords(12);
  const sep = i % 2 ? '' : ' ';
  text('ja', [jaSeed.slice(0, 6).join(sep), jaSeed.slice(6).join(sep)], [jaSeed.slice(0, 6).join(sep), jaSeed.slice(6).join(sep)]);
  const labelled = enWords(12);
  text('en', [`recovery phrase: ${labelled.slice(0, 4).join(' ')}`, labelled.slice(4).join(' ')], [labelled.slice(0, 4).join(' '), labelled.slice(4).join(' ')]);
}
// Fields a crafted client fills: the redactor must not skip them as protocol ids.
const FIELDS: readonly Field[] = ['localTimezone', 'channelData', 'entities', 'fromName', 'value', 'attachmentName', 'replyToId'];
for (const field of FIELDS) {
  for (const lang of ['en', 'ja'] as const) {
    const code = digits(6);
    cases.push({ lang, messages: [code], secrets: [code], field });
    const pw = `Pw${digits(6)}x`;
    cases.push({ lang, messages: [`password: ${pw}`], secrets: [pw], field });
  }
}

export const SECRET_CASES: readonly SecretCase[] = cases;

/** The activity fields a case's message goes into (text for text cases). */
export function fieldsFor(field: Field, message: string, from: { id: string; role: string }): Record<string, unknown> {
  switch (field) {
    case 'text':
      return { text: message };
    case 'localTimezone':
      return { text: 'hello', localTimezone: message };
    case 'channelData':
      return { text: 'hello', channelData: { clientActivityID: message, note: message } };
    case 'entities':
      return { text: 'hello', entities: [{ type: 'ClientCapabilities', id: message, note: message }] };
    case 'fromName':
      return { text: 'hello', from: { ...from, name: message } };
    case 'value':
      return { value: { t: 'answer', step: 'mainMenu', event: 'topic.appDeleted', note: message } };
    case 'attachmentName':
      return { text: 'hello', attachments: [{ contentType: 'text/plain', name: message, content: 'x' }] };
    case 'replyToId':
      return { text: 'hello', replyToId: message };
  }
}
