/**
 * Which answer took a customer from one question to the next, read off the machine itself: for a
 * trail of step ids (what a ticket keeps), the option of each step whose transition leads to the
 * following step. Agents see the path as questions and answers, not as step ids.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { isStepMeta } from '../step-meta.js';

export interface PathStep {
  readonly stepId: string;
  /** Locale keys of what the step said, in order (the last one asks the question). */
  readonly messageKeys: readonly string[];
  /** Id of the option chosen (`options:<id>.label` names its text); `null` for the last step or when unknown. */
  readonly answerId: string | null;
}

/**
 * Describes each step of `trail` with the answer that led on to the next step; the last step's
 * answer is the one leading to `endedAt` (e.g. the handoff state's id), when given.
 */
export function describePath(machine: AnyStateMachine, trail: readonly string[], endedAt?: string): PathStep[] {
  return trail.map((stepId, i) => {
    const node = nodeById(machine, stepId);
    const meta = node && isStepMeta(node.meta) ? node.meta : null;
    const next = i + 1 < trail.length ? trail[i + 1] : endedAt;
    const answer =
      meta && next !== undefined && node ? meta.options.find((o) => leadsTo(node, o.event, next)) : undefined;
    return {
      stepId,
      messageKeys: meta ? meta.messages : [],
      answerId: answer?.id ?? null,
    };
  });
}

function nodeById(machine: AnyStateMachine, id: string): AnyStateNode | undefined {
  try {
    return machine.getStateNodeById(id);
  } catch {
    return undefined;
  }
}

/** Whether `event` in `node` (or an ancestor handling it) targets `stepId` or a state that starts there. */
function leadsTo(node: AnyStateNode, event: string, stepId: string): boolean {
  for (let n: AnyStateNode | undefined = node; n; n = n.parent) {
    const transitions = n.transitions.get(event);
    if (!transitions) continue;
    return transitions.some((t) => (t.target ?? []).some((target) => entersAt(target, stepId)));
  }
  return false;
}

function entersAt(target: AnyStateNode, stepId: string): boolean {
  for (let n: AnyStateNode | undefined = target; n; ) {
    if (n.id === stepId || sameEnding(n, stepId)) return true;
    const initial: AnyStateNode | undefined = n.initial?.target?.[0];
    n = initial;
  }
  return false;
}

/**
 * Two final states with the same outcome end the path alike: a ticket keeps its reason, not which
 * of that reason's endings was reached (a lost phone with no backup, or with one that will not
 * restore), so either answer leads to the ending the desk names for the reason.
 */
function sameEnding(node: AnyStateNode, stepId: string): boolean {
  if (node.type !== 'final') return false;
  let end: AnyStateNode;
  try {
    end = node.machine.getStateNodeById(stepId);
  } catch {
    return false;
  }
  return end.type === 'final' && JSON.stringify(end.output) === JSON.stringify(node.output);
}
