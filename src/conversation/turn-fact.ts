import type { HandoffReason } from '../../flows/outcome.js';

/**
 * What one turn tells the reports, beside its replies: where the conversation stands and what
 * the customer said about the help. Ids, step names and answers only; the one text it may carry
 * (`notUnderstood`) is the customer's message as the redaction middleware left it.
 */
export interface TurnFact {
  /** The flow the turn ended in (`troubleshooting`, `identity`). */
  readonly flow: string;
  /** The step the turn ended on: a troubleshooting step id, or the identity flow's step. */
  readonly step: string;
  /**
   * Free text the bot could not place (asked to pick a topic, or said it did not understand),
   * already redacted; undefined when the turn was understood or was a button press.
   */
  readonly notUnderstood?: string;
  /** Set on the turn that reached an ending. */
  readonly ending?: TurnEnding;
  /** The customer's answer to "did this solve your problem?" at a resolved ending. */
  readonly solved?: boolean;
  /** A 1–5 rating the customer gave this turn, and what it rates. */
  readonly rating?: { readonly value: 1 | 2 | 3 | 4 | 5; readonly about: 'resolution' | 'ticket' };
}

export type TurnEnding =
  /** A resolved ending was shown (the customer has not confirmed yet: see `solved`). */
  | { readonly kind: 'resolved' }
  | { readonly kind: 'handoff'; readonly reason: HandoffReason; readonly ticketId?: string }
  /** The bot told the customer the question is not about 2FA. */
  | { readonly kind: 'out_of_scope' };
