/** Privacy: secret redaction and personal-data masking for everything stored or logged. */
export { redactSecrets, redactionMarker, redactionMarkerKinds, REDACTION_MARKERS, SECRET_KINDS, type SecretKind, type RedactionResult } from './redact.js';
export { maskPersonalData, PERSONAL_DATA_KINDS, type PersonalDataKind, type MaskingResult } from './mask.js';
export {
  sanitizeForStorage,
  redactDeep,
  cleanStringsDeep,
  isProtocolValue,
  PROTOCOL_KEYS,
  type CleanStringsDeepOptions,
  type SanitizeResult,
  type RedactDeepOptions,
  type RedactDeepResult,
} from './sanitize.js';
export { isProtocolShaped } from './protocol-fields.js';
