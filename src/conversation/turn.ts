import type { FlowOutcome } from '../../flows/outcome.js';
import type { Language } from '../i18n/i18n.js';
import type { ConversationData } from './conversation-data.js';
import type { FlowSession } from './flow-session.js';
import type { CustomerContext, TicketView } from './handoff-port.js';
import type { Reply } from './reply.js';
import type { TurnEnding, TurnFact } from './turn-fact.js';
import type { TurnPlan } from './turn-plan.js';

/** One customer turn as the engine sees it, already stripped of channel details. */
export interface TurnInput {
  readonly kind: 'message' | 'welcome';
  readonly text?: string | undefined;
  readonly value?: unknown;
  /** The channel's locale hint (activity.locale), e.g. `ja-JP`. */
  readonly locale?: string | undefined;
  /** Who is talking and how to reach them later; needed to open a ticket. */
  readonly customer?: CustomerContext | undefined;
  /** Whether the channel renders Adaptive Cards (forms as one card, else one question per field). */
  readonly cards?: boolean | undefined;
  /** Kinds of secrets the redaction middleware removed from this message (the customer is warned). */
  readonly secretsFound?: readonly string[] | undefined;
}

export interface TurnResult {
  readonly data: ConversationData;
  readonly replies: readonly Reply[];
  /** Set when this turn finished the troubleshooting flow. */
  readonly outcome?: FlowOutcome;
  /** Set when this turn opened (or found, or rated) a ticket. */
  readonly ticket?: TicketView;
  /** Where the conversation stands after the turn, for the reports. */
  readonly fact?: TurnFact;
}

/** Maps a channel locale (`ja-JP`, `en-US`, `en`) to a supported language. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  const l = locale?.trim().toLowerCase() ?? '';
  if (l.startsWith('ja')) return 'ja';
  if (l.startsWith('en')) return 'en';
  return undefined;
}

/** Mutable state of one turn while it is being handled. */
export interface Turn {
  readonly input: TurnInput;
  readonly data: ConversationData;
  /** The active flow; a phase may replace it (a handoff starts identity, a ticket ends it). */
  session: FlowSession;
  /** What the turn will say, rendered once at its end. */
  plan: TurnPlan;
  outcome?: FlowOutcome;
  ticket?: TicketView;
  /** The welcome went out this turn (a "hello" needs no second greeting). */
  greeted?: boolean;
  /** An identity answer was checked this turn: its verdict (and reasons) is fresh. */
  identityAnswered?: boolean;
  /** What the phases noted for the reports; the engine adds where the turn ended (TurnFact). */
  readonly facts: TurnFacts;
}

/** The parts of a {@link TurnFact} the phases note while deciding; all optional. */
export interface TurnFacts {
  notUnderstood?: string;
  ending?: TurnEnding;
  solved?: boolean;
  rating?: TurnFact['rating'];
  /**
   * Where the ending happened, when the conversation has moved on by the end of the turn (a
   * handoff's final state, once identity has taken over; the identity step a ticket was opened at).
   */
  endedAt?: { readonly flow: string; readonly step: string };
}
