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
  /(?:(?<![A-Za-z])(?:uid|user\s?id|account\s?(?:id|no\.?|number)|member(?:ship)?\s?(?:id|no\.?|number)|customer\s?(?:id|no\.?|number)|order\s?(?:id|no\.?|number)|invoice\s?(?:no\.?|number))|注文番号|会員番号|口座番号|顧客番号|お客様番号|ユーザー?ID|アカウントID)\s*(?:is|は|:|#|=)?\s*#?$/iu;

const CURRENCY_BEFORE = /(?:[¥$€£￥]|\b(?:jpy|usd|usdt|eur|btc|eth|xrp)|\bno\.?)\s?$/iu;

const SEPARATOR = '[ \\-ー]';
/** Six digits, each perhaps after one separator: what any code contains. */
const SIX_DIGITS = /[0-9](?:[ \-ー]?[0-9]){5}/u;
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
    const start = m.index;
    const end = start + m[0].length;
    const groups = m[0].split(/[ \-ー]/u);
    const digits = groups.join('');
    if (digits.length < 6 || digits.length > 8) continue;
    if (looksLikeDateOrYears(groups, digits)) continue;
    if (UNIT_AFTER.test(folded.slice(end, end + 12))) continue;
    if (CURRENCY_BEFORE.test(folded.slice(Math.max(0, start - 6), start))) continue;
    if (ID_LABEL_BEFORE.test(folded.slice(Math.max(0, start - 24), start))) continue;
    spans.push({ start, end, kind: 'otp' });
  }
  for (const m of view.matchAll(GLUED_TO_CODE_WORD)) {
    spans.push({ start: m.index, end: m.index + m[0].length, kind: 'otp' });
  }
  return spans;
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
