import { CLAIM_FIELDS, type ClaimField, type ClaimValues, type FieldError, type IdentityEvent } from '../../flows/identity/index.js';
import { isClaimField, validateClaimField, validateIdentityClaims, type ClaimsValidationOptions } from '../identity/identity-claims.js';
import { maskPersonalData } from '../privacy/index.js';
import { IDENTITY_FORM_TAG } from './identity-card.js';

/** Longest raw value kept from a rejected form so the card can show it again (bounded state). */
const MAX_KEPT_LENGTH = 1000;

/** The description is free text for agents: e-mail addresses and phone numbers in it are masked. */
function finalValue(field: ClaimField, value: string): string {
  return field === 'description' ? maskPersonalData(value).text : value;
}

/** Whether an activity value is a submission of the identity card. */
export function isIdentityForm(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { t?: unknown }).t === IDENTITY_FORM_TAG;
}

/**
 * Turns a submitted identity card into the machine's verdict event. Rejected forms keep every
 * field as typed (bounded) so the card comes back filled in with the reasons beside the fields.
 */
export function formEvent(value: Record<string, unknown>, options?: ClaimsValidationOptions): IdentityEvent {
  const result = validateIdentityClaims(value, options);
  if (result.ok) {
    const values: ClaimValues = {};
    for (const field of CLAIM_FIELDS) {
      const v = result.claims[field];
      if (v !== undefined) values[field] = finalValue(field, v);
    }
    return { type: 'form.submitted', values };
  }
  const kept: ClaimValues = {};
  for (const field of CLAIM_FIELDS) {
    const v = value[field];
    if (typeof v === 'string' && v !== '') kept[field] = v.slice(0, MAX_KEPT_LENGTH);
  }
  const errors: FieldError[] = result.errors.filter((e) => isClaimField(e.field)).map((e) => ({ field: e.field, code: e.code }));
  return { type: 'form.rejected', values: kept, errors };
}

/** Turns text typed at a one-field step into the machine's verdict event. */
export function fieldEvent(field: string, text: string, options?: ClaimsValidationOptions): IdentityEvent | undefined {
  if (!isClaimField(field)) return undefined;
  const result = validateClaimField(field, text, options);
  if (!result.ok) return { type: 'field.rejected', field, code: result.error.code };
  // An optional field left empty is a skip.
  if (result.value === undefined) return { type: 'field.skipped' };
  return { type: 'field.accepted', field, value: finalValue(field, result.value) };
}
