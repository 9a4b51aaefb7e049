export {
  identityMachine,
  IDENTITY_FLOW_VERSION,
  CLAIM_FIELDS,
  type ClaimField,
  type ClaimValues,
  type FieldError,
  type IdentityContext,
  type IdentityEvent,
  type IdentityInput,
  type IdentityOutput,
} from './identity-machine.js';
