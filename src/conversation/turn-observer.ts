import type { Language } from '../i18n/language.js';
import type { TurnFact } from './turn-fact.js';

/** One customer turn once its state is saved and its replies sent: ids and facts, never text but `fact.notUnderstood`. */
export interface FinishedTurn {
  /** The conversation's storage key (`<channel>/conversations/<id>`). */
  readonly conversationKey: string;
  readonly channelId: string;
  /** The language the turn ended in. */
  readonly language: Language;
  readonly at: Date;
  readonly inputKind: 'message' | 'welcome';
  readonly fact?: TurnFact | undefined;
  /** The ticket this turn opened or found. */
  readonly ticketId?: string | undefined;
}

/**
 * Something that wants to know about every finished turn (the reports' recorder, metrics).
 * Called after the replies went out, so it must be quick (queue the work) and must not throw:
 * the bot catches and logs what it throws, and the customer never notices.
 */
export interface TurnObserver {
  turnFinished(turn: FinishedTurn): void;
}
