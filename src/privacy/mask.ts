/**
 * Personal-data masking for everything except a ticket's identity claims: e-mail addresses become
 * `t***@e***.com`, phone numbers `***-****-5678` (last four kept, so an agent can still match them).
 */
import { lazySpans } from './protected-spans.js';
import { foldWidth, overlapsAny, replaceSpans, type TextSpan } from './text-spans.js';

export const PERSONAL_DATA_KINDS = ['email', 'phone'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

export interface MaskingResult {
  readonly text: string;
  /** Kinds masked, each once. Never the values. */
  readonly masked: PersonalDataKind[];
}

const DIGIT = /[0-9]/;

const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/gu;

/**
 * Phone candidates: an optional `+`, then digit groups joined by single separators (space, hyphen,
 * dot, parentheses). Whether it is a phone is decided on the digits and shape below.
 */
const PHONE = /(?<![0-9A-Za-z_@.,:/+-])(?:\+\s?)?\(?[0-9]+\)?(?:(?:[ .-]|\)\s?|\s?\()?[0-9]+\)?)*(?![0-9A-Za-z_@]|[.,:/][0-9])/gu;

/** Masks e-mail addresses and phone numbers in `text`. Pure; idempotent. */
export function maskPersonalData(text: string): MaskingResult {
  const masked: PersonalDataKind[] = [];
  let current = text;

  let folded = foldWidth(current);
  // Both patterns need an '@' or a digit: most chat lines have neither and end here.
  const hasAt = folded.includes('@');
  if (!hasAt && !DIGIT.test(folded)) return { text, masked };
  const emails: TextSpan<'email'>[] = (hasAt ? [...folded.matchAll(EMAIL)] : []).map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'email',
  }));
  if (emails.length > 0) {
    masked.push('email');
    const source = folded;
    current = replaceSpans(current, emails, (span) => maskEmail(source.slice(span.start, span.end)));
  }

  folded = foldWidth(current);
  const protectedSpans = lazySpans(folded);
  const phones: TextSpan<'phone'>[] = [];
  for (const m of DIGIT.test(folded) ? folded.matchAll(PHONE) : []) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsAny(start, end, protectedSpans())) continue;
    const digits = m[0].replace(/[^0-9]/gu, '');
    if (!isPhoneShaped(m[0], digits)) continue;
    phones.push({ start, end, kind: 'phone' });
  }
  if (phones.length > 0) {
    masked.push('phone');
    const source = folded;
    current = replaceSpans(current, phones, (span) => maskPhone(source.slice(span.start, span.end)));
  }
  return { text: current, masked };
}

function isPhoneShaped(candidate: string, digits: string): boolean {
  const n = digits.length;
  if (candidate.startsWith('+')) return n >= 8 && n <= 15;
  const separated = /[ .()-]/u.test(candidate.trim());
  // Japanese numbers: 0 + 9 or 10 digits (090-1234-5678, 03-1234-5678, 09012345678).
  if (digits.startsWith('0') && (n === 10 || n === 11)) return true;
  // Any 11-digit run (a mobile number typed without the leading zero's context).
  if (!separated) return n === 11;
  // Separated national formats elsewhere, such as 415-555-0123 or (020) 7946 0958.
  const groups = candidate.split(/[ .()-]+/u).filter(Boolean);
  return n >= 10 && n <= 12 && groups.length >= 3 && groups.every((g) => g.length <= 4);
}

/** `+81 90-1234-5678` → `***-****-5678`. */
function maskPhone(phone: string): string {
  return `***-****-${phone.replace(/[^0-9]/gu, '').slice(-4)}`;
}

/** `taro.yamada@example.co.jp` → `t***@e***.jp`. */
function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***.${tld}`;
}
