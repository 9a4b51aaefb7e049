import type { Topic } from '../../flows/troubleshooting/index.js';
import type { Command } from './button-value.js';

/** A value put into a message: as is, or `{ key }` to be said in the turn's language too (a status's name). */
export type NoteValue = string | number | { readonly key: string };

/** One line of a message: a locale key and its values. */
export interface NoteLine {
  readonly key: string;
  readonly values?: Readonly<Record<string, NoteValue>>;
}

/** A button a note offers: a command (its label a locale key), a topic from a clarifying question, or a rating 1–5. */
export type PlannedButton =
  | { readonly command: Command; readonly label: string }
  | { readonly topic: Topic }
  | { readonly rating: 1 | 2 | 3 | 4 | 5; readonly about: 'resolution' | 'ticket' };

/** One message the turn says besides the step: lines (joined by newlines) and the buttons under them. */
export interface Note {
  readonly lines: readonly NoteLine[];
  readonly buttons?: readonly PlannedButton[];
}

/**
 * What a turn will say, filled by the phase that decides it and rendered once at the end of the
 * turn, in the language the turn ended in: notes before the current step, whether the step is
 * shown, and what comes after it (a closing, the ticket's lines).
 */
export interface TurnPlan {
  readonly before: Note[];
  /** False when the turn ends without a question (a closing, a ticket, a clarifying question). */
  showStep: boolean;
  readonly after: Note[];
}

export function emptyPlan(): TurnPlan {
  return { before: [], showStep: true, after: [] };
}

/** A one-line note. */
export function note(key: string, values?: NoteLine['values'], buttons?: readonly PlannedButton[]): Note {
  return { lines: [values ? { key, values } : { key }], ...(buttons ? { buttons } : {}) };
}

/** Back to the main menu ("start over" under a closing). */
export const MENU_BUTTON: PlannedButton = { command: 'restart', label: 'common:buttons.menu' };
export const AGENT_BUTTON: PlannedButton = { command: 'agent', label: 'common:buttons.agent' };
/** Under every ticket message: the customer's tickets, and the menu. */
export const AFTER_TICKET_BUTTONS: readonly PlannedButton[] = [{ command: 'status', label: 'common:buttons.status' }, MENU_BUTTON];
