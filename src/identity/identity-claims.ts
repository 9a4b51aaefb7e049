/**
 * The identity claims a customer gives before a ticket is opened: their shape, validation and
 * normalisation. Both src/conversation (asking for them) and src/tickets (storing them) use this
 * folder, so neither has to import the other.
 *
 * Every problem is a stable code (`email.invalid`, `dateOfBirth.future`…) that the chat layer maps
 * to a locale text and uses to ask for that one field again.
 */
import { z } from 'zod';
import { CLAIM_FIELDS, type ClaimField } from '../../flows/identity/index.js';
import { isAmbiguousDayMonth, pad2, parseCalendarDate } from './date-of-birth.js';

/**
 * What the customer told us about themselves, already validated and normalised by
 * {@link validateIdentityClaims}. Only in claims may e-mail and phone digits appear unmasked.
 */
export interface IdentityClaims {
  readonly email: string;
  readonly fullName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  /** Last four digits of the registered phone number, ASCII digits. */
  readonly phoneLast4?: string;
  /** What happened, in the customer's words, after secret redaction and personal-data masking. */
  readonly description: string;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The identity flow asks for exactly the fields the claims have: one list, owned by flows/identity.
true satisfies Same<ClaimField, keyof IdentityClaims>;

/** Whether a string names a claim field (`email`, `fullName`, …). */
export function isClaimField(value: unknown): value is ClaimField {
  return typeof value === 'string' && (CLAIM_FIELDS as readonly string[]).includes(value);
}

export const CLAIMS_ERROR_CODES = [
  'email.required',
  'email.invalid',
  'email.tooLong',
  'fullName.required',
  'fullName.invalid',
  'fullName.tooLong',
  'dateOfBirth.required',
  'dateOfBirth.invalid',
  'dateOfBirth.ambiguous',
  'dateOfBirth.future',
  'dateOfBirth.tooYoung',
  'dateOfBirth.tooOld',
  'phoneLast4.invalid',
  'description.required',
  'description.tooLong',
] as const;

export type ClaimsErrorCode = (typeof CLAIMS_ERROR_CODES)[number];
export interface ClaimFieldError {
  readonly field: ClaimField;
  readonly code: ClaimsErrorCode;
}

export type ClaimsValidationResult =
  | { readonly ok: true; readonly claims: IdentityClaims }
  | { readonly ok: false; readonly errors: readonly ClaimFieldError[] };

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

function dateOfBirthField(options: Required<ClaimsValidationOptions>) {
  return z.unknown().transform((value, ctx): string => {
    if (isBlank(value)) return fail(ctx, 'dateOfBirth.required');
    if (typeof value !== 'string') return fail(ctx, 'dateOfBirth.invalid');
    const date = parseCalendarDate(value);
    if (!date && isAmbiguousDayMonth(value)) return fail(ctx, 'dateOfBirth.ambiguous');
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
    // Blank once the control characters are gone (a crafted card's "\u0000"): not given either.
    if (s === '') return fail(ctx, 'description.required');
    if (codePoints(s) > DESCRIPTION_MAX_LENGTH) return fail(ctx, 'description.tooLong');
    return s;
  });
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
  const source = Object.fromEntries(CLAIM_FIELDS.map((f) => [f, record[f]]));
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
  field: ClaimField,
  value: unknown,
  options?: ClaimsValidationOptions,
): { ok: true; value: string | undefined } | { ok: false; error: ClaimFieldError } {
  const schema = createIdentityClaimsSchema(options).shape[field];
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: toFieldError({ path: [field], message: issue?.message ?? '' }) };
}

function toFieldError(issue: { path: readonly PropertyKey[]; message: string }): ClaimFieldError {
  const field = String(issue.path[0]) as ClaimField;
  const fallback: ClaimsErrorCode = field === 'description' ? 'description.required' : `${field}.invalid`;
  const code = (CLAIMS_ERROR_CODES as readonly string[]).includes(issue.message)
    ? (issue.message as ClaimsErrorCode)
    : fallback;
  return { field, code };
}
