/**
 * One-time codes: a lone run of 6–8 digits, also grouped ("123 456", "1234-5678") or full-width
 * (matched on folded text). Not a code: dates, year ranges, amounts with a currency or unit, decimals,
 * numbers glued to words or identifiers, numbers labelled as an account/member/order id, and
 * anything with fewer than 6 or more than 8 digits
 * (PINs, phone numbers, long ids). Ticket ids and dates are excluded through protected spans.
 */
import { isPlausibleDate } from './protected-spans.js';
import type { TextSpan } from './text-spans.js';

const UNIT_AFTER =
  /^\s?(?:円|万|億|千|百|件|回|個|人|年|月|日|時|分|秒|桁|文字|歳|才|枚|株|口|番|号|階|通|%|ドル|ユーロ|(?:yen|jpy|usd|usdt|usdc|eur|btc|eth|xrp|sol|ltc|doge|sats?|satoshis?|dollars?|euros?|points?|pts|times|people|users|accounts|days|hours|minutes|seconds|years|months|km|kg|mb|gb)(?![A-Za-z]))/iu;

/**
 * A number the customer labels as an account, member or order id is an identifier agents need,
 * not a code ("UID 12345678", "会員番号：1234567").
 */
const ID_LABEL_BEFORE =
  /(?:(?<![A-Za-z])(?:uid|user\s?id|account\s?(?:id|no\.?|number)|member(?:ship)?\s?(?:id|no\.?|number)|customer\s?(?:id|no\.?|number)|order\s?(?:id|no\.?|number)|invoice\s?(?:no\.?|number)|postal\s?code|post\s?code|zip(?:\s?code)?)|注文番号|会員番号|口座番号|顧客番号|お客様番号|ユーザー?ID|アカウントID|郵便番号|〒)\s*(?:is|は|:|#|=)?\s*#?$/iu;

const CURRENCY_BEFORE = /(?:[¥$€£￥]|\b(?:jpy|usd|usdt|eur|btc|eth|xrp)|\bno\.?)\s?$/iu;

const SEPARATOR = '[ \\-ー]';
/** Six digits, each perhaps after one separator: what any code contains. */
const SIX_DIGITS = /[0-9](?:[ \-ー.]?[0-9]){5}/u;
/**
 * Maximal digit sequences with single separators. The look-arounds forbid starting or stopping
 * inside a longer sequence (so part of a phone number is never taken for a code) and forbid digits
 * glued to words, identifiers, decimals or times.
 */
const SEQUENCE = new RegExp(
  [
    '(?<![0-9A-Za-z_@+\\\\])', // not glued to a word, id, e-mail, "+81"
    `(?<![0-9]${SEPARATOR})`, // not the middle of a grouped number
    '(?<![0-9A-Za-z][\\-./|])', // not "abc-123456", "v1.123456", "path/123456"
    '(?<![0-9][:,])', // not "12:345678" or "1,234,567"
    '(?<!\\(0[0-9]{1,4}\\)\\s?)', // not the number after an area code: "(03) 1234-5678"
    `[0-9]+(?:${SEPARATOR}[0-9]+)*`,
    '(?![0-9A-Za-z_@%])',
    `(?!${SEPARATOR}[0-9])`,
    '(?![.,:/][0-9])',
  ].join(''),
  'gu',
);

/** "code123456", "OTP654321": digits glued to a word that names them as a code. */
const GLUED_TO_CODE_WORD = /(?<=(?<![A-Za-z])(?:code|otp|pin|passcode|token))[0-9]{6,8}(?![0-9A-Za-z])/giu;

/** Spans of one-time codes in `folded` text, skipping `protectedSpans`. */
export function findOneTimeCodes(
  folded: string,
  protectedSpans: () => readonly TextSpan[],
): TextSpan<'otp'>[] {
  const spans: TextSpan<'otp'>[] = [];
  // Every code has six digits; most chat lines have none, and then dates and ids need no looking for.
  if (!SIX_DIGITS.test(folded)) return spans;
  // Blank out dates and ticket ids so they neither count as digits nor join a following code into
  // one long sequence ("1990-01-02 123456" still redacts the code).
  let view = folded;
  for (const p of protectedSpans()) {
    view = view.slice(0, p.start) + '\uFFFC'.repeat(p.end - p.start) + view.slice(p.end);
  }
  for (const m of view.matchAll(SEQUENCE)) {
    for (const chunk of codeChunks(m[0], m.index)) {
      const { start, end, groups } = chunk;
      if (looksLikeDateOrYears(groups, groups.join(''))) continue;
      if (UNIT_AFTER.test(folded.slice(end, end + 12))) continue;
      if (CURRENCY_BEFORE.test(folded.slice(Math.max(0, start - 6), start))) continue;
      if (ID_LABEL_BEFORE.test(folded.slice(Math.max(0, start - 24), start))) continue;
      spans.push({ start, end, kind: 'otp' });
    }
  }
  for (const m of view.matchAll(DOTTED)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!isDottedCode(m[0].split('.'))) continue;
    if (UNIT_AFTER.test(folded.slice(end, end + 12))) continue;
    if (CURRENCY_BEFORE.test(folded.slice(Math.max(0, start - 6), start))) continue;
    spans.push({ start, end, kind: 'otp' });
  }
  for (const m of view.matchAll(GLUED_TO_CODE_WORD)) {
    spans.push({ start: m.index, end: m.index + m[0].length, kind: 'otp' });
  }
  return spans;
}

interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly string[];
}

/**
 * The codes inside one digit sequence. A sequence of 6–8 digits is one code. A longer one may be
 * several codes typed in one message ("123456 654321", "123 456 789 012"): it is split at its
 * separators into consecutive runs of 6–8 digits when that covers it exactly. Otherwise each
 * space-separated part is looked at on its own, so "090-1234-5678 123456" still finds the code
 * (and leaves the phone number to the personal-data mask).
 */
function codeChunks(sequence: string, offset: number): Chunk[] {
  const groups: { text: string; start: number }[] = [];
  for (const g of sequence.matchAll(/[0-9]+/gu)) groups.push({ text: g[0], start: offset + g.index });
  const total = groups.reduce((n, g) => n + g.text.length, 0);
  const chunk = (from: number, to: number): Chunk => ({
    start: groups[from]?.start ?? offset,
    end: (groups[to - 1]?.start ?? offset) + (groups[to - 1]?.text.length ?? 0),
    groups: groups.slice(from, to).map((g) => g.text),
  });
  if (total >= 6 && total <= 8) return [chunk(0, groups.length)];
  if (total < 12) return splitBySpaces(sequence, offset);
  const cuts = partition(groups.map((g) => g.text.length));
  if (cuts) return cuts.map(([from, to]) => chunk(from, to));
  return splitBySpaces(sequence, offset);
}

function splitBySpaces(sequence: string, offset: number): Chunk[] {
  if (!sequence.includes(' ')) return [];
  const out: Chunk[] = [];
  for (const part of sequence.matchAll(/[^ ]+/gu)) {
    // Only parts that are whole sequences on their own (not a phone's second half) are looked at.
    if (part[0].length < sequence.length) out.push(...codeChunks(part[0], offset + part.index));
  }
  return out;
}

/** Consecutive runs of groups, each of 6–8 digits, covering all of `lengths`; null when there are none. */
function partition(lengths: readonly number[]): [number, number][] | null {
  const best: ([number, number][] | null)[] = [[]];
  for (let to = 1; to <= lengths.length; to++) {
    best[to] = null;
    let digits = 0;
    for (let from = to - 1; from >= 0; from--) {
      digits += lengths[from] ?? 0;
      if (digits > 8) break;
      const before = best[from];
      if (digits >= 6 && before) {
        best[to] = [...before, [from, to]];
        break;
      }
    }
  }
  return best[lengths.length] ?? null;
}

/**
 * Digits separated by dots: "1.2.3.4.5.6" (six or more single digits) or two halves "123.456" /
 * "1234.5678". Decimals ("0.123456"), versions ("2.3.1") and addresses ("192.168.0.1") differ in shape.
 */
const DOTTED = /(?<![0-9A-Za-z_.\-/])[0-9]{1,4}(?:\.[0-9]{1,4}){1,7}(?![0-9A-Za-z_]|\.[0-9])/gu;

function isDottedCode(groups: readonly string[]): boolean {
  if (groups.length >= 6 && groups.length <= 8) return groups.every((g) => g.length === 1);
  if (groups.length !== 2) return false;
  const [a = '', b = ''] = groups;
  return a.length >= 3 && b.length >= 3 && a.length + b.length >= 6 && a.length + b.length <= 8;
}

function looksLikeDateOrYears(groups: readonly string[], digits: string): boolean {
  const n = groups.map(Number);
  if (groups.length === 1 && digits.length === 8) {
    // 19900102: a date of birth typed without separators, far likelier than a matching 8-digit code.
    return isPlausibleDate(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6)));
  }
  if (groups.length === 3 && groups[0]?.length === 4) {
    return isPlausibleDate(n[0] ?? 0, n[1] ?? 0, n[2] ?? 0);
  }
  if (groups.length === 3 && groups[2]?.length === 4) {
    return isPlausibleDate(n[2] ?? 0, n[1] ?? 0, n[0] ?? 0) || isPlausibleDate(n[2] ?? 0, n[0] ?? 0, n[1] ?? 0);
  }
  if (groups.length === 2 && groups[0]?.length === 4 && groups[1]?.length === 4) {
    // A year range such as 2023-2024.
    const [a = 0, b = 0] = n;
    return a >= 1900 && a <= 2100 && b >= 1900 && b <= 2100;
  }
  return false;
}
