import { assign, setup } from 'xstate';
import type { HandoffReason } from '../outcome.js';

/**
 * Collecting identity claims before a ticket is opened (issue 3). Validation happens in src/
 * (it depends on policy and zod); this machine only hears the verdicts as events and decides
 * what to ask next, so the order of questions, skipping, going back and cancelling live here.
 *
 * Two modes: one form (an Adaptive Card, on channels that render them) or one question per
 * field. Values already accepted are kept in context, so an invalid field never costs the
 * customer what they typed before; the whole context is dropped once the ticket exists.
 *
 * Before the first question (issue 15): a customer who only asked for a person chooses between
 * the support contact (a question) and the procedure (a change to their 2FA or login); after "no
 * backup" the customer is asked whether to start the procedure now. After the last question of
 * the step-by-step mode, a summary is confirmed or one field corrected before the ticket opens
 * (the card is itself a form the customer reviews before pressing "Submit").
 */

export const IDENTITY_FLOW_VERSION = 2;

export const CLAIM_FIELDS = ['email', 'fullName', 'dateOfBirth', 'phoneLast4', 'description'] as const;
export type ClaimField = (typeof CLAIM_FIELDS)[number];

/** What the customer has given so far (already validated and normalised by src/). */
export type ClaimValues = Partial<Record<ClaimField, string>>;

export interface FieldError {
  readonly field: ClaimField;
  /** A stable validation code such as `email.invalid`; the renderer maps it to a text. */
  readonly code: string;
}

/**
 * What is asked before the first identity question: nothing, "start the procedure now?", or
 * "the support contact (a question) or the procedure (a change to 2FA or login)?".
 */
export type IdentityOffer = 'none' | 'startNow' | 'contactOrProcedure';

const OFFER_BY_REASON: Readonly<Record<HandoffReason, IdentityOffer>> = {
  app_lost_no_backup: 'startNow',
  phone_lost_no_backup: 'startNow',
  login_lockout: 'none',
  phone_number_changed: 'none',
  registered_number_wrong: 'none',
  customer_requested: 'contactOrProcedure',
};

/** What is asked before the identity questions of a handoff with this reason. */
export function identityOfferFor(reason: HandoffReason): IdentityOffer {
  return OFFER_BY_REASON[reason];
}

export interface IdentityInput {
  readonly mode: 'form' | 'steps';
  readonly offer?: IdentityOffer;
}

export interface IdentityContext {
  readonly mode: 'form' | 'steps';
  readonly offer: IdentityOffer;
  readonly values: ClaimValues;
  /** The errors of the last attempt, shown before asking again; empty after a success. */
  readonly errors: readonly FieldError[];
  /** A field asked again from the summary: its answer goes back to the summary. */
  readonly correcting: boolean;
}

export type IdentityOutput =
  | { readonly kind: 'submitted'; readonly values: ClaimValues }
  | { readonly kind: 'cancelled' }
  /** Not now, or only a question: the support contact instead of the procedure. */
  | { readonly kind: 'declined'; readonly offer: IdentityOffer };

/** The summary's "correct this field" answers, one event per field (a button carries one event). */
export type CorrectEvent = { type: `correct.${ClaimField}` };

export type IdentityEvent =
  | { type: 'field.accepted'; field: ClaimField; value: string }
  | { type: 'field.rejected'; field: ClaimField; code: string }
  | { type: 'field.skipped' }
  | { type: 'form.submitted'; values: ClaimValues }
  | { type: 'form.rejected'; values: ClaimValues; errors: readonly FieldError[] }
  | { type: 'identity.start' }
  | { type: 'identity.decline' }
  | { type: 'identity.confirm' }
  | CorrectEvent
  | { type: 'identity.cancel' }
  | { type: 'flow.back' };

const cancel = { event: 'identity.cancel', id: 'identity:options.cancel' } as const;
const skip = { event: 'field.skipped', id: 'identity:options.skip' } as const;
const confirm = { event: 'identity.confirm', id: 'identity:options.confirm' } as const;
const correct = (field: ClaimField) => ({ event: `correct.${field}`, id: `identity:options.correct.${field}` }) as const;

function askMeta(field: ClaimField, optional = false) {
  return { messages: [`identity:ask.${field}`], options: optional ? [skip, cancel] : [cancel], field };
}

/** The question for one field: accepted, it goes on to `next` (or back to the summary when correcting it). */
function fieldState(field: ClaimField, next: string, previous: string | undefined, optional = false) {
  const isThis = { type: 'isField', params: { field } } as const;
  const skipped = [
    { guard: 'isCorrecting', target: 'review', actions: 'dropField' },
    { target: next, actions: 'clearErrors' },
  ] as const;
  return {
    description: `Asks for ${field}${optional ? ' (optional: may be skipped)' : ''}`,
    meta: askMeta(field, optional),
    on: {
      'field.accepted': [
        { guard: { type: 'isFieldWhileCorrecting', params: { field } }, target: 'review', actions: 'acceptField' },
        { guard: isThis, target: next, actions: 'acceptField' },
      ],
      'field.rejected': { guard: isThis, target: field, reenter: true, actions: 'rejectField' },
      ...(optional ? { 'field.skipped': skipped } : {}),
      // While correcting, "back" returns to the summary; the first question has nothing before it.
      'flow.back': [
        { guard: 'isCorrecting', target: 'review', actions: 'clearErrors' },
        ...(previous ? [{ target: previous, actions: 'clearErrors' as const }] : []),
      ],
    },
  } as const;
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
    isCorrecting: ({ context }) => context.correcting,
    offerIs: ({ context }, params: { offer: IdentityOffer }) => context.offer === params.offer,
    isField: ({ event }, params: { field: ClaimField }) =>
      (event.type === 'field.accepted' || event.type === 'field.rejected') && event.field === params.field,
    isFieldWhileCorrecting: ({ context, event }, params: { field: ClaimField }) =>
      context.correcting && (event.type === 'field.accepted' || event.type === 'field.rejected') && event.field === params.field,
  },
  actions: {
    acceptField: assign(({ context, event }) =>
      event.type === 'field.accepted' ? { values: { ...context.values, [event.field]: event.value }, errors: [] } : {},
    ),
    rejectField: assign(({ event }) => (event.type === 'field.rejected' ? { errors: [{ field: event.field, code: event.code }] } : {})),
    clearErrors: assign({ errors: [] }),
    /** A skipped optional field while correcting: the value given before is withdrawn. */
    dropField: assign(({ context }) => {
      const { phoneLast4: _dropped, ...rest } = context.values;
      return { values: rest, errors: [] };
    }),
    startCorrecting: assign({ correcting: true, errors: [] }),
    keepForm: assign(({ event }) => (event.type === 'form.rejected' ? { values: event.values, errors: event.errors } : {})),
    acceptForm: assign(({ event }) => (event.type === 'form.submitted' ? { values: event.values, errors: [] } : {})),
  },
}).createMachine({
  id: 'identity',
  description: 'Identity verification claims before support changes the 2FA method, the registered number or lifts a login restriction (handoff to a support agent)',
  context: ({ input }) => ({ mode: input.mode, offer: input.offer ?? 'none', values: {}, errors: [], correcting: false }),
  initial: 'start',
  on: {
    'identity.cancel': '.cancelled',
  },
  states: {
    start: {
      always: [
        { guard: { type: 'offerIs', params: { offer: 'contactOrProcedure' } }, target: 'offerContactOrProcedure' },
        { guard: { type: 'offerIs', params: { offer: 'startNow' } }, target: 'offerStartNow' },
        { target: 'begin' },
      ],
    },
    offerContactOrProcedure: {
      description: 'Asked for a person: the support contact for a question, or the procedure for a change to 2FA or login',
      meta: {
        messages: ['identity:offer.contactOrProcedure'],
        options: [
          { event: 'identity.start', id: 'identity:options.startProcedure' },
          { event: 'identity.decline', id: 'identity:options.onlyQuestion' },
        ],
      },
      on: { 'identity.start': 'begin', 'identity.decline': 'declined' },
    },
    offerStartNow: {
      description: 'No backup: start the procedure (identity verification) now?',
      meta: {
        messages: ['identity:offer.startNow'],
        options: [
          { event: 'identity.start', id: 'identity:options.startNow' },
          { event: 'identity.decline', id: 'identity:options.notNow' },
        ],
      },
      on: { 'identity.start': 'begin', 'identity.decline': 'declined' },
    },
    begin: {
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
    email: fieldState('email', 'fullName', undefined),
    fullName: fieldState('fullName', 'dateOfBirth', 'email'),
    dateOfBirth: fieldState('dateOfBirth', 'phoneLast4', 'fullName'),
    phoneLast4: fieldState('phoneLast4', 'description', 'dateOfBirth', true),
    description: fieldState('description', 'review', 'phoneLast4'),
    review: {
      description: 'The answers shown back: confirm, or correct one field',
      entry: assign({ correcting: false }),
      meta: {
        messages: ['identity:review.prompt'],
        options: [confirm, ...CLAIM_FIELDS.map(correct), cancel],
        summary: 'identity',
      },
      on: {
        'identity.confirm': 'submitted',
        'flow.back': { target: 'description', actions: 'clearErrors' },
        'correct.email': { target: 'email', actions: 'startCorrecting' },
        'correct.fullName': { target: 'fullName', actions: 'startCorrecting' },
        'correct.dateOfBirth': { target: 'dateOfBirth', actions: 'startCorrecting' },
        'correct.phoneLast4': { target: 'phoneLast4', actions: 'startCorrecting' },
        'correct.description': { target: 'description', actions: 'startCorrecting' },
      },
    },
    submitted: {
      type: 'final',
      output: ({ context }) => ({ kind: 'submitted', values: context.values }) satisfies IdentityOutput,
    },
    declined: {
      type: 'final',
      output: ({ context }) => ({ kind: 'declined', offer: context.offer }) satisfies IdentityOutput,
    },
    cancelled: {
      type: 'final',
      meta: { messages: ['identity:cancelled'], options: [] },
      output: { kind: 'cancelled' } satisfies IdentityOutput,
    },
  },
  output: ({ event }) => event.output as IdentityOutput,
});
