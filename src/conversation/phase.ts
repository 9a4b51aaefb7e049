import type { HandoffReason } from '../../flows/outcome.js';
import type { FlowDefinition } from './flow-session.js';
import type { RenderOptions } from './step-renderer.js';
import type { Turn } from './turn.js';
import type { Meaning } from './turn-meaning.js';

/** How a phase's current step is shown (the channel decides cards vs text). */
export type StepView = Omit<RenderOptions, 'cards'>;

/** A troubleshooting flow that ended in a handoff: why, and the steps that led there. */
export interface Handover {
  readonly reason: HandoffReason;
  readonly trail: readonly string[];
}

/**
 * One part of the conversation, running one flow (troubleshooting, identity collection). It
 * decides what the turn's meaning does to its flow and fills the turn's plan; it never renders
 * and never calls another phase. Commands every phase shares are in shared-commands.ts.
 */
export interface Phase {
  /** The flow this phase runs: a stored snapshot of it puts the conversation in this phase. */
  readonly flow: FlowDefinition;
  /** Whether free text its steps cannot use is read for a topic (the NLU). */
  readonly readsTopics: boolean;
  /** Acts on the meaning; returns a handover when its flow ended in a handoff. */
  handle(turn: Turn, meaning: Meaning): Promise<Handover | void>;
  /** How the current step of its flow is shown at the end of the turn. */
  view(turn: Turn): StepView;
}
