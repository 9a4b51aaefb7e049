import { assign, setup } from 'xstate';

/**
 * Collecting identity claims before a ticket is opened (issue 3). Validation happens in src/
 * (it depends on policy and zod); this machine only hears the verdicts as events and decides
 * what to ask next, so the order of questions, skipping, going back and cancelling live here.
 *
 * Two modes: one form (an Adaptive Card, on channels that render them) or one question per
 * field. Values already accepted are kept in context, so an invalid field never costs the
 * customer what they typed before; the whole context is dropped once the ticket exists.
 */

export const IDENTITY_FLOW_VERSION = 1;

export const CLAIM_FIELDS = ['email', 'fullName', 'dateOfBirth', 'phoneLast4', 'description'] as const;
export type ClaimField = (typeof CLAIM_FIELDS)[number];

/** What the customer has given so far (already validated and normalised by src/). */
export type ClaimValues = Partial<Record<ClaimField, string>>;

export interface FieldError {
  readonly field: ClaimField;
  /** A stable validation code such as `email.invalid`; the renderer maps it to a text. */
  readonly code: string;
}

export interface IdentityInput {
  readonly mode: 'form' | 'steps';
}

export interface IdentityContext {
  readonly mode: 'form' | 'steps';
  readonly values: ClaimValues;
  /** The errors of the last attempt, shown before asking again; empty after a success. */
  readonly errors: readonly FieldError[];
}

export type IdentityOutput = { readonly kind: 'submitted'; readonly values: ClaimValues } | { readonly kind: 'cancelled' };

export type IdentityEvent =
  | { type: 'field.accepted'; field: ClaimField; value: string }
  | { type: 'field.rejected'; field: ClaimField; code: string }
  | { type: 'field.skipped' }
  | { type: 'form.submitted'; values: ClaimValues }
  | { type: 'form.rejected'; values: ClaimValues; errors: readonly FieldError[] }
  | { type: 'identity.cancel' }
  | { type: 'flow.back' };

const cancel = { event: 'identity.cancel', id: 'identity:options.cancel' } as const;
const skip = { event: 'field.skipped', id: 'identity:options.skip' } as const;

function askMeta(field: ClaimField, optional = false) {
  return { messages: [`identity:ask.${field}`], options: optional ? [skip, cancel] : [cancel], field };
}

export const identityMachine = setup({
  types: {
    context: {} as IdentityContext,
    events: {} as IdentityEvent,
    input: {} as IdentityInput,
    output: {} as IdentityOutput,
  },
  guards: {
    isFormMode: ({ context }) => context.mode === 'form',
    isField: ({ event }, params: { field: ClaimField }) =>
      (event.type === 'field.accepted' || event.type === 'field.rejected') && event.field === params.field,
  },
  actions: {
    acceptField: assign(({ context, event }) =>
      event.type === 'field.accepted' ? { values: { ...context.values, [event.field]: event.value }, errors: [] } : {},
    ),
    rejectField: assign(({ event }) => (event.type === 'field.rejected' ? { errors: [{ field: event.field, code: event.code }] } : {})),
    clearErrors: assign({ errors: [] }),
    keepForm: assign(({ event }) => (event.type === 'form.rejected' ? { values: event.values, errors: event.errors } : {})),
    acceptForm: assign(({ event }) => (event.type === 'form.submitted' ? { values: event.values, errors: [] } : {})),
  },
}).createMachine({
  id: 'identity',
  description: 'Identity verification claims before a 2FA reset or unlock (handoff to a support agent)',
  context: ({ input }) => ({ mode: input.mode, values: {}, errors: [] }),
  initial: 'start',
  on: {
    'identity.cancel': '.cancelled',
  },
  states: {
    start: {
      always: [{ guard: 'isFormMode', target: 'form' }, { target: 'email' }],
    },
    form: {
      description: 'All claims in one Adaptive Card',
      meta: { messages: ['identity:form.prompt'], options: [cancel], form: 'identity' },
      on: {
        'form.submitted': { target: 'submitted', actions: 'acceptForm' },
        'form.rejected': { target: 'form', actions: 'keepForm', reenter: true },
      },
    },
    email: {
      description: 'Asks for email',
      meta: askMeta('email'),
      on: {
        'field.accepted': { guard: { type: 'isField', params: { field: 'email' } }, target: 'fullName', actions: 'acceptField' },
        'field.rejected': { guard: { type: 'isField', params: { field: 'email' } }, target: 'email', reenter: true, actions: 'rejectField' },
      },
    },
    fullName: {
      description: 'Asks for fullName',
      meta: askMeta('fullName'),
      on: {
        'field.accepted': { guard: { type: 'isField', params: { field: 'fullName' } }, target: 'dateOfBirth', actions: 'acceptField' },
        'field.rejected': { guard: { type: 'isField', params: { field: 'fullName' } }, target: 'fullName', reenter: true, actions: 'rejectField' },
        'flow.back': { target: 'email', actions: 'clearErrors' },
      },
    },
    dateOfBirth: {
      description: 'Asks for dateOfBirth',
      meta: askMeta('dateOfBirth'),
      on: {
        'field.accepted': { guard: { type: 'isField', params: { field: 'dateOfBirth' } }, target: 'phoneLast4', actions: 'acceptField' },
        'field.rejected': { guard: { type: 'isField', params: { field: 'dateOfBirth' } }, target: 'dateOfBirth', reenter: true, actions: 'rejectField' },
        'flow.back': { target: 'fullName', actions: 'clearErrors' },
      },
    },
    phoneLast4: {
      description: 'Asks for phoneLast4 (optional: may be skipped)',
      meta: askMeta('phoneLast4', true),
      on: {
        'field.accepted': { guard: { type: 'isField', params: { field: 'phoneLast4' } }, target: 'description', actions: 'acceptField' },
        'field.rejected': { guard: { type: 'isField', params: { field: 'phoneLast4' } }, target: 'phoneLast4', reenter: true, actions: 'rejectField' },
        'field.skipped': { target: 'description', actions: 'clearErrors' },
        'flow.back': { target: 'dateOfBirth', actions: 'clearErrors' },
      },
    },
    description: {
      description: 'Asks for description',
      meta: askMeta('description'),
      on: {
        'field.accepted': { guard: { type: 'isField', params: { field: 'description' } }, target: 'submitted', actions: 'acceptField' },
        'field.rejected': { guard: { type: 'isField', params: { field: 'description' } }, target: 'description', reenter: true, actions: 'rejectField' },
        'flow.back': { target: 'phoneLast4', actions: 'clearErrors' },
      },
    },
    submitted: {
      type: 'final',
      output: ({ context }) => ({ kind: 'submitted', values: context.values }) satisfies IdentityOutput,
    },
    cancelled: {
      type: 'final',
      meta: { messages: ['identity:cancelled'], options: [] },
      output: { kind: 'cancelled' } satisfies IdentityOutput,
    },
  },
  output: ({ event }) => event.output as IdentityOutput,
});
