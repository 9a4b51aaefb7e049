/**
 * Every path of the troubleshooting tree, generated from the options each step offers
 * (xstate/graph): each ends in a final state with a valid outcome, and each step on the way
 * shows at least one option and accepts every option it shows.
 */
import { describe, expect, it } from 'vitest';
import { getInitialSnapshot, getNextSnapshot, type AnyStateNode } from 'xstate';
import { HANDOFF_REASONS, isHandoffReason, type FlowOutcome } from '../../flows/outcome.js';
import { isStepMeta } from '../../flows/step-meta.js';
import {
  HANDOFF_STATE_IDS,
  MAIN_MENU_ID,
  QUESTION_STEP_IDS,
  troubleshootingMachine,
  type TroubleshootingEvent,
} from '../../flows/troubleshooting/index.js';
import { everyPath, stepOf, type Snapshot } from './troubleshooting-harness.js';

// Every simple path with "has this solved it?" answered yes, and every way on after a "no" (everyPath).
const paths = everyPath();

const isFlowOutcome = (value: unknown): value is FlowOutcome => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v['kind'] === 'resolved' && Object.keys(v).length === 1) || (v['kind'] === 'handoff' && isHandoffReason(v['reason']));
};

function allStateNodes(node: AnyStateNode = troubleshootingMachine.root): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allStateNodes(child))];
}

/**
 * The snapshot after each prefix already walked, with its step checked. Paths share long prefixes
 * (the ~2,600 paths have only a few hundred distinct steps on the way), so each transition is
 * computed and each step's options checked once, not once per path through it: the same checks,
 * in a tenth of the time (issue 13). A failure still names the path that first reaches the step.
 */
const walked = new Map<string, { readonly snapshot: Snapshot; readonly stepId: string }>();

/** Replays a path step by step, checking every step the customer sees on the way. */
function replay(events: readonly TroubleshootingEvent[]): { final: Snapshot; visited: string[] } {
  let snapshot = getInitialSnapshot(troubleshootingMachine);
  const visited: string[] = [];
  let prefix = '';
  for (const event of events) {
    prefix += `${event.type}\n`;
    const known = walked.get(prefix);
    if (known) {
      visited.push(known.stepId);
      snapshot = known.snapshot;
      continue;
    }
    const step = stepOf(snapshot);
    expect(snapshot.status, `before ${event.type}`).toBe('active');
    expect(step, `a step is shown before ${event.type}`).toBeDefined();
    visited.push(step!.id);
    expect(step!.meta.options.length, `${step!.id} offers options`).toBeGreaterThan(0);
    for (const option of step!.meta.options) {
      expect(snapshot.can({ type: option.event } as TroubleshootingEvent), `${step!.id} accepts ${option.event}`).toBe(true);
    }
    expect(step!.meta.options.map((o) => o.event)).toContain(event.type);
    snapshot = getNextSnapshot(troubleshootingMachine, snapshot, event);
    walked.set(prefix, { snapshot, stepId: step!.id });
  }
  const last = stepOf(snapshot);
  if (last) visited.push(last.id);
  return { final: snapshot, visited };
}

describe('troubleshooting machine: every path', () => {
  it('has a manageable, non-empty set of paths', () => {
    expect(paths.length).toBeGreaterThan(100);
    expect(paths.length).toBeLessThan(5000);
  });

  it.each(paths.map((p) => [p.map((e) => e.type).join(' → '), p] as const))('%s', (_name, path) => {
    const { final } = replay(path);
    expect(final.status).toBe('done');
    expect(isFlowOutcome(final.output), JSON.stringify(final.output)).toBe(true);
    const end = stepOf(final);
    expect(end, 'the final state has meta').toBeDefined();
    expect(end!.meta.options).toEqual([]);
    expect(end!.meta.messages.length).toBeGreaterThan(0);
  });

  it('reaches every question state, every final state and every handoff reason', () => {
    const visited = new Set<string>();
    const outcomes = new Set<string>();
    for (const path of paths) {
      const { final, visited: ids } = replay(path);
      ids.forEach((id) => visited.add(id));
      const out = final.output as FlowOutcome;
      outcomes.add(out.kind === 'handoff' ? out.reason : 'resolved');
    }
    for (const id of [MAIN_MENU_ID, ...QUESTION_STEP_IDS, 'resolved', 'informed', 'handoffPhoneLostRestoreFailed', ...Object.values(HANDOFF_STATE_IDS)]) {
      expect(visited, id).toContain(id);
    }
    expect([...outcomes].sort()).toEqual(['resolved', ...HANDOFF_REASONS].sort());
  });
});

describe('troubleshooting machine: structure', () => {
  const nodes = allStateNodes();

  it('describes every state (citing the guide)', () => {
    for (const node of nodes) expect(node.description, node.id).toBeTruthy();
  });

  it('gives every state the customer sees a StepMeta with a guide section', () => {
    for (const node of nodes) {
      if (node.type === 'final' || (node.type === 'atomic' && node.always === undefined)) {
        expect(isStepMeta(node.meta), node.id).toBe(true);
      }
      if (isStepMeta(node.meta)) {
        expect(node.meta.guideSection, node.id).toBeTruthy();
        expect(node.meta.messages.length, node.id).toBeGreaterThan(0);
        for (const key of node.meta.messages) expect(key, node.id).toMatch(/^troubleshooting:[a-zA-Z]+(\.[a-zA-Z]+)+$/);
      }
    }
  });

  it('lists exactly the question states in QUESTION_STEP_IDS (so back can return to each)', () => {
    const questions = nodes
      .filter((n) => n.type !== 'final' && isStepMeta(n.meta) && n.id !== MAIN_MENU_ID)
      .map((n) => n.id)
      .sort();
    expect(questions).toEqual([...QUESTION_STEP_IDS].sort());
    expect(new Set(QUESTION_STEP_IDS).size).toBe(QUESTION_STEP_IDS.length);
  });

  it('uses camelCase explicit ids for question states', () => {
    for (const id of QUESTION_STEP_IDS) {
      expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
      expect(troubleshootingMachine.getStateNodeById(id).id).toBe(id);
    }
  });

  it('ends only in root-level final states, each with an output', () => {
    const finals = nodes.filter((n) => n.type === 'final');
    // `informed` ends an informational topic ("anything else?"); a phone lost with a backup that
    // will not restore has its own words for the same reason as "no backup".
    const extra = ['informed', 'handoffPhoneLostRestoreFailed'];
    expect(finals.map((n) => n.id).sort()).toEqual(['resolved', ...extra, ...Object.values(HANDOFF_STATE_IDS)].sort());
    for (const node of finals) {
      expect(node.parent, node.id).toBe(troubleshootingMachine.root);
      expect(isFlowOutcome(node.output), node.id).toBe(true);
    }
  });
});
