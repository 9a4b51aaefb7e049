/**
 * Validation and normalisation of the identity claims a customer gives before a ticket is opened.
 * Every problem is a stable code (`email.invalid`, `dateOfBirth.future`…) that the chat layer maps
 * to a locale text and uses to ask for that one field again.
 */
import { z } from 'zod';
import type { IdentityClaims } from './ticket.js';

export const CLAIMS_ERROR_CODES = [
  'email.required',
  'email.invalid',
  'email.tooLong',
  'fullName.required',
  'fullName.invalid',
  'fullName.tooLong',
  'dateOfBirth.required',
  'dateOfBirth.invalid',
  'dateOfBirth.future',
  'dateOfBirth.tooYoung',
  'dateOfBirth.tooOld',
  'phoneLast4.invalid',
  'description.required',
  'description.tooLong',
] as const;

export type ClaimsErrorCode = (typeof CLAIMS_ERROR_CODES)[number];
export type ClaimsField = keyof IdentityClaims;

export const CLAIMS_FIELDS = [
  'email',
  'fullName',
  'dateOfBirth',
  'phoneLast4',
  'description',
] as const satisfies readonly ClaimsField[];

export interface ClaimsFieldError {
  readonly field: ClaimsField;
  readonly code: ClaimsErrorCode;
}

export type ClaimsValidationResult =
  | { readonly ok: true; readonly claims: IdentityClaims }
  | { readonly ok: false; readonly errors: readonly ClaimsFieldError[] };

/** Bounds that policy may change; defaults suit an exchange that serves adults only. */
export interface ClaimsValidationOptions {
  /** Youngest accepted age in whole years (default 18: exchange accounts are for adults). */
  readonly minAge?: number;
  /** Oldest plausible age (default 120): older dates are typing mistakes. */
  readonly maxAge?: number;
  /** Clock for "today"; injectable for tests. */
  readonly now?: () => Date;
}

export const EMAIL_MAX_LENGTH = 254;
export const FULL_NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 1000;

/**
 * Kanji (incl. 々〆ヶ), hiragana, katakana (incl. ー), Latin with accents, spaces, hyphen,
 * apostrophes, middle dots and a period for initials ("J. Smith"). Applied after NFKC, so half-width
 * kana and full-width Latin have already become their usual forms.
 */
const NAME_PATTERN =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Latin}\p{M}々〆ヶー ' ’ʼ\-・·.]+$/u;

const emailFormat = z.email();

const codePoints = (s: string): number => [...s].length;
const nfkcTrim = (s: string): string => s.normalize('NFKC').trim();

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function fail(ctx: z.RefinementCtx, code: ClaimsErrorCode): never {
  ctx.addIssue({ code: 'custom', message: code });
  return z.NEVER;
}

function emailField() {
  return z.unknown().transform((value, ctx): string => {
    if (isBlank(value)) return fail(ctx, 'email.required');
    if (typeof value !== 'string') return fail(ctx, 'email.invalid');
    const s = nfkcTrim(value);
    if (s.length > EMAIL_MAX_LENGTH) return fail(ctx, 'email.tooLong');
    if (!emailFormat.safeParse(s).success) return fail(ctx, 'email.invalid');
    const at = s.lastIndexOf('@');
    // Domains are case-insensitive; the local part is kept as typed (RFC 5321 leaves it to the host).
    return s.slice(0, at) + s.slice(at).toLowerCase();
  });
}

function fullNameField() {
  return z.unknown().transform((value, ctx): string => {
    if (isBlank(value)) return fail(ctx, 'fullName.required');
    if (typeof value !== 'string') return fail(ctx, 'fullName.invalid');
    const s = nfkcTrim(value).replace(/\s+/gu, ' ');
    if (codePoints(s) > FULL_NAME_MAX_LENGTH) return fail(ctx, 'fullName.tooLong');
    if (!NAME_PATTERN.test(s) || !/\p{L}/u.test(s)) return fail(ctx, 'fullName.invalid');
    return s;
  });
}

/** English month names, written out or as their usual abbreviations ("Jan", "Sept"). */
const MONTHS: ReadonlyMap<string, number> = new Map(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap(
    (name, i) => [[name, i + 1] as const, [name.slice(0, 3), i + 1] as const, ...(name === 'september' ? [['sept', 9] as const] : [])],
  ),
);

/** "jan", "January", "Sept." → 1–12; anything else → NaN (then no calendar date). */
function monthNumber(name: string): number {
  return MONTHS.get(name.toLowerCase().replace(/\.$/u, '')) ?? Number.NaN;
}

/**
 * Japanese eras, from their first day. `元年` is year 1. A date is read in an era only if it
 * falls inside it (平成1年1月1日 is still 昭和).
 */
const ERAS: readonly { readonly names: readonly string[]; readonly start: string; readonly offset: number }[] = [
  { names: ['令和', 'R'], start: '2019-05-01', offset: 2018 },
  { names: ['平成', 'H'], start: '1989-01-08', offset: 1988 },
  { names: ['昭和', 'S'], start: '1926-12-25', offset: 1925 },
  { names: ['大正', 'T'], start: '1912-07-30', offset: 1911 },
];

type Ymd = { y: number; m: number; d: number };

/**
 * The ways a date of birth is written that read one way only. Each returns year, month, day (not
 * yet checked as a calendar date), or null. A numeric day/month pair that could be either way
 * round ("01/02/1990") is not guessed: it is refused, and the message shows unambiguous forms.
 */
const DATE_FORMATS: readonly ((s: string) => Ymd | null)[] = [
  // 1990-01-31, 1990/1/31, 1990.01.31
  (s) => ymd(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/u.exec(s), 1, 2, 3),
  // 1990年1月31日
  (s) => ymd(/^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日?$/u.exec(s), 1, 2, 3),
  // 31/01/1990 or 01/31/1990: only when the day is over 12 (or both parts are equal)
  (s) => {
    const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/u.exec(s);
    if (!m) return null;
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (a > 12 && b <= 12) return { y, m: b, d: a };
    if (b > 12 && a <= 12) return { y, m: a, d: b };
    return a === b ? { y, m: a, d: a } : null;
  },
  // January 31, 1990 / Jan. 31 1990
  (s) => {
    const m = /^([A-Za-z]{3,9}\.?)\s*(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/u.exec(s);
    return m ? { y: Number(m[3]), m: monthNumber(m[1]!), d: Number(m[2]) } : null;
  },
  // 31 January 1990 / 31st Jan, 1990
  (s) => {
    const m = /^(\d{1,2})(?:st|nd|rd|th)?\s*([A-Za-z]{3,9}\.?),?\s+(\d{4})$/u.exec(s);
    return m ? { y: Number(m[3]), m: monthNumber(m[2]!), d: Number(m[1]) } : null;
  },
  // 平成2年1月31日, 昭和元年12月31日, H2.1.31
  (s) => {
    const m = /^(令和|平成|昭和|大正|[RHST])\s*(\d{1,2}|元)\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?$/iu.exec(s);
    const era = m && ERAS.find((e) => e.names.includes(m[1]!.toUpperCase()));
    if (!m || !era) return null;
    const date = { y: era.offset + (m[2] === '元' ? 1 : Number(m[2])), m: Number(m[3]), d: Number(m[4]) };
    const next = ERAS[ERAS.indexOf(era) - 1];
    const iso = `${date.y}-${pad2(date.m)}-${pad2(date.d)}`;
    return iso >= era.start && (!next || iso < next.start) ? date : null;
  },
];

function ymd(m: RegExpExecArray | null, y: number, mo: number, d: number): Ymd | null {
  return m ? { y: Number(m[y]), m: Number(m[mo]), d: Number(m[d]) } : null;
}

/**
 * Reads a date of birth as people write it, into a checked calendar date: `YYYY-MM-DD` (also `/`
 * or `.`), `1990年1月2日`, Japanese eras (`平成2年1月2日`), English month names (`January 2,
 * 1990`, `2 Jan 1990`) and day/month/year when only one reading is possible (`31/01/1990`).
 */
export function parseCalendarDate(input: string): Ymd | null {
  const s = nfkcTrim(input);
  for (const format of DATE_FORMATS) {
    const date = format(s);
    if (!date) continue;
    const { y, m, d } = date;
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
      return null;
    }
    return { y, m, d };
  }
  return null;
}

function dateOfBirthField(options: Required<ClaimsValidationOptions>) {
  return z.unknown().transform((value, ctx): string => {
    if (isBlank(value)) return fail(ctx, 'dateOfBirth.required');
    if (typeof value !== 'string') return fail(ctx, 'dateOfBirth.invalid');
    const date = parseCalendarDate(value);
    if (!date || date.y < 1000) return fail(ctx, 'dateOfBirth.invalid');
    const now = options.now();
    const today = { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() };
    const iso = `${String(date.y).padStart(4, '0')}-${pad2(date.m)}-${pad2(date.d)}`;
    const todayIso = `${today.y}-${pad2(today.m)}-${pad2(today.d)}`;
    if (iso > todayIso) return fail(ctx, 'dateOfBirth.future');
    const hadBirthday = today.m > date.m || (today.m === date.m && today.d >= date.d);
    const age = today.y - date.y - (hadBirthday ? 0 : 1);
    if (age < options.minAge) return fail(ctx, 'dateOfBirth.tooYoung');
    if (age > options.maxAge) return fail(ctx, 'dateOfBirth.tooOld');
    return iso;
  });
}

function phoneLast4Field() {
  return z.unknown().transform((value, ctx): string | undefined => {
    // Cards send "" for an empty optional input: that means "not given", not "invalid".
    if (isBlank(value)) return undefined;
    if (typeof value !== 'string') return fail(ctx, 'phoneLast4.invalid');
    const s = nfkcTrim(value);
    if (!/^[0-9]{4}$/u.test(s)) return fail(ctx, 'phoneLast4.invalid');
    return s;
  });
}

function descriptionField() {
  return z.unknown().transform((value, ctx): string => {
    if (isBlank(value)) return fail(ctx, 'description.required');
    if (typeof value !== 'string') return fail(ctx, 'description.required');
    const s = value
      .replace(/\r\n?/gu, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu, '')
      .trim();
    if (codePoints(s) > DESCRIPTION_MAX_LENGTH) return fail(ctx, 'description.tooLong');
    return s;
  });
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function resolveOptions(options: ClaimsValidationOptions = {}): Required<ClaimsValidationOptions> {
  return { minAge: options.minAge ?? 18, maxAge: options.maxAge ?? 120, now: options.now ?? (() => new Date()) };
}

/** The zod schema for identity claims with the given bounds; output is normalised claims. */
export function createIdentityClaimsSchema(options?: ClaimsValidationOptions) {
  const resolved = resolveOptions(options);
  return z.object({
    email: emailField(),
    fullName: fullNameField(),
    dateOfBirth: dateOfBirthField(resolved),
    phoneLast4: phoneLast4Field(),
    description: descriptionField(),
  });
}

/** Validates and normalises a whole set of claims (a submitted card, or the step-by-step answers). */
export function validateIdentityClaims(
  input: unknown,
  options?: ClaimsValidationOptions,
): ClaimsValidationResult {
  const record: Record<string, unknown> = typeof input === 'object' && input !== null ? { ...input } : {};
  // Every field present (possibly undefined), so a missing one gets its own `.required` code.
  const source = Object.fromEntries(CLAIMS_FIELDS.map((f) => [f, record[f]]));
  const result = createIdentityClaimsSchema(options).safeParse(source);
  if (result.success) {
    const { phoneLast4, ...rest } = result.data;
    return { ok: true, claims: phoneLast4 === undefined ? rest : { ...rest, phoneLast4 } };
  }
  return { ok: false, errors: result.error.issues.map(toFieldError) };
}

/**
 * Validates one field, for step-by-step prompts: the chat asks again for just this field with the
 * reason. Returns the normalised value (`undefined` for an omitted optional phone digits).
 */
export function validateClaimField(
  field: ClaimsField,
  value: unknown,
  options?: ClaimsValidationOptions,
): { ok: true; value: string | undefined } | { ok: false; error: ClaimsFieldError } {
  const schema = createIdentityClaimsSchema(options).shape[field];
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: toFieldError({ path: [field], message: issue?.message ?? '' }) };
}

function toFieldError(issue: { path: readonly PropertyKey[]; message: string }): ClaimsFieldError {
  const field = String(issue.path[0]) as ClaimsField;
  const fallback: ClaimsErrorCode = field === 'description' ? 'description.required' : `${field}.invalid`;
  const code = (CLAIMS_ERROR_CODES as readonly string[]).includes(issue.message)
    ? (issue.message as ClaimsErrorCode)
    : fallback;
  return { field, code };
}
