import type { ButtonValue } from './button-value.js';

/** A button as the customer sees it: its text and what pressing it posts back. */
export interface ReplyButton {
  readonly title: string;
  readonly value: ButtonValue;
}

/**
 * One bot message, independent of any channel. src/bot turns it into an Activity
 * (suggested actions, a hero card for Teams, or an Adaptive Card attachment).
 */
export interface Reply {
  readonly text: string;
  /**
   * A frozen list (a step's own, src/conversation/step-renderer.ts) is shared by every reply of
   * that step, and src/bot may share what it makes from it (activity-mapper.ts).
   */
  readonly buttons?: readonly ReplyButton[];
  /** An Adaptive Card (JSON) for forms, on channels that render them. */
  readonly card?: Readonly<Record<string, unknown>>;
}
