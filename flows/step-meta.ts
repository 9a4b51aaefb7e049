/**
 * The contract between a flow's states and whatever renders them.
 *
 * Flows never hold user-facing text: a state names locale keys in its `meta`, and the
 * renderer (src/conversation) turns them into messages and buttons in the customer's language.
 * The interpreter turns typed text or a pressed button back into one of the `event`s below,
 * so the machine only ever sees events that carry meaning.
 */

/** One answer a question state accepts, shown as a button. */
export interface AnswerOption {
  /** The event sent to the machine when this option is chosen, e.g. `answer.yes`. */
  readonly event: string;
  /**
   * Option id: names the locale keys `options:<id>.label` (button text) and
   * `options:<id>.synonyms` (`|`-separated words a customer may type instead). An id with a
   * namespace (`identity:options.cancel`) names `<id>.label` and `<id>.synonyms` instead.
   */
  readonly id: string;
}

/** `meta` of a state the customer sees: a message, and for a question its answers. */
export interface StepMeta {
  /**
   * Locale keys (namespace-qualified, e.g. `troubleshooting:smsNotReceived.airplaneMode.prompt`)
   * of the messages shown on entering the state, in order. Interpolation values
   * (`{{exchangeName}}`, `{{supportUrl}}`, `{{securityMenuPath}}`) come from configuration.
   */
  readonly messages: readonly string[];
  /** The answers, in display order; empty for a state that only informs (a final state). */
  readonly options: readonly AnswerOption[];
  /** The guide's section this step comes from, for reviewers (e.g. `2. SMSが届かない`). */
  readonly guideSection?: string;
  /**
   * A final state's closing line (a locale key) when it is not the default "glad that's sorted":
   * an informational topic ends with "anything else?" instead.
   */
  readonly closing?: string;
  /**
   * A resolved ending: the step asks whether this solved the problem (yes closes with the final
   * state's `closing`, no offers the branch's remaining checks, then a person). The turn that
   * reaches it is the one the reports count as "a resolved ending shown".
   */
  readonly resolvedEnding?: true;
  /**
   * The step is not in the guide but inferred from its pattern (e.g. a direction of a method
   * change the guide does not describe): its wording must not claim details the guide never gave.
   */
  readonly extrapolated?: true;
  /** A step that expects free text for this field (identity claims) rather than a choice. */
  readonly field?: string;
  /** A step answered by submitting a whole form (rendered as an Adaptive Card where possible). */
  readonly form?: 'identity';
  /** A step that shows the identity answers given so far above its messages (confirm or correct). */
  readonly summary?: 'identity';
}

/** Reads a state's meta in a type-safe way (XState types `meta` as `any`-ish records). */
export function isStepMeta(value: unknown): value is StepMeta {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v['messages']) && Array.isArray(v['options']);
}
