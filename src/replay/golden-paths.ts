import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { getInitialSnapshot, getNextSnapshot, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import { isStepMeta, type AnswerOption, type StepMeta } from '../../flows/step-meta.js';

type Snapshot = SnapshotFrom<AnyStateMachine>;

/** One answer along a path: the step it was given at, the option chosen and its event. */
export interface PathStep {
  readonly stepId: string;
  readonly optionId: string;
  readonly event: string;
}

/** A way through the flow from the main menu to a final state. */
export interface FlowPath {
  readonly steps: readonly PathStep[];
  /** The final state reached. */
  readonly endId: string;
  /** File-name-safe summary: the option ids chosen, in order. */
  readonly slug: string;
}

/**
 * The paths golden transcripts are recorded for.
 *
 * All 670-odd simple paths through the "see also" links between topics would be 1,300 files of
 * mostly repeated conversation. The goldens take instead: every simple path within a topic
 * (following only the options that stay in it), plus, for each "see also" option, one path that
 * takes it (shortest way to its step, the link, shortest way to an end). Together they cover every
 * step and every option. test/bot/every-path drives these same paths through the bot, in each
 * language; all the simple paths are walked on the machine alone, in
 * test/flows/troubleshooting.paths.test.ts.
 */
export function goldenPaths(machine: AnyStateMachine, mainMenuId: string, stateKey: (s: Snapshot) => string = (s) => JSON.stringify(s.value)): FlowPath[] {
  // The state value alone, unless the flow routes some steps by its data (`stateKey`, e.g. the
  // troubleshooting flow's remaining checks after "not solved": pathStateKey).
  const serializeState = (s: Snapshot) => stateKey(s) as never;
  const isLink = (stepId: string, option: AnswerOption) => stepId !== mainMenuId && option.event.startsWith('topic.');
  const withinTopic = (s: Snapshot) => {
    const step = stepOf(machine, s);
    return step ? step.meta.options.filter((o) => !isLink(step.id, o)).map((o) => ({ type: o.event })) : [];
  };
  const everyOption = (s: Snapshot) => (stepOf(machine, s)?.meta.options ?? []).map((o) => ({ type: o.event }));

  const found = new Map<string, FlowPath>();
  const add = (events: readonly string[]) => {
    const path = describePath(machine, events);
    if (path && !found.has(path.slug)) found.set(path.slug, path);
  };
  const simple = getSimplePaths(machine, { events: withinTopic, serializeState, toState: (s) => s.status === 'done' });
  for (const p of simple) add(eventsOf(p.steps));

  const shortest = getShortestPaths(machine, { events: everyOption, serializeState });
  for (const toStep of shortest) {
    const step = stepOf(machine, toStep.state);
    if (!step || toStep.state.status !== 'active') continue;
    for (const option of step.meta.options.filter((o) => isLink(step.id, o))) {
      const after = getNextSnapshot(machine, toStep.state, { type: option.event }) as Snapshot;
      const ends = getShortestPaths(machine, { events: withinTopic, serializeState, fromState: after, toState: (s) => s.status === 'done' });
      const end = ends.map((e) => eventsOf(e.steps)).sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()))[0];
      if (end) add([...eventsOf(toStep.steps), option.event, ...end]);
    }
  }
  return [...found.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

/** The step a snapshot shows: the deepest active state whose meta has options or messages. */
export function stepOf(machine: AnyStateMachine, snapshot: Snapshot): { id: string; meta: StepMeta } | undefined {
  let best: { id: string; meta: StepMeta; depth: number } | undefined;
  for (const [id, meta] of Object.entries(snapshot.getMeta() as Record<string, unknown>)) {
    if (!isStepMeta(meta)) continue;
    const depth = machine.getStateNodeById(id).path.length;
    if (!best || depth > best.depth) best = { id, meta, depth };
  }
  return best && { id: best.id, meta: best.meta };
}

function eventsOf(steps: readonly { event: { type: string } }[]): string[] {
  return steps.map((s) => s.event.type).filter((t) => !t.startsWith('xstate.'));
}

/** Walks the events from the start, naming each answer by the option that carries it. */
function describePath(machine: AnyStateMachine, events: readonly string[]): FlowPath | undefined {
  let snapshot = getInitialSnapshot(machine) as Snapshot;
  const steps: PathStep[] = [];
  for (const event of events) {
    const step = stepOf(machine, snapshot);
    const option = step?.meta.options.find((o) => o.event === event);
    if (!step || !option) return undefined;
    steps.push({ stepId: step.id, optionId: option.id, event });
    snapshot = getNextSnapshot(machine, snapshot, { type: event }) as Snapshot;
  }
  const end = stepOf(machine, snapshot);
  if (snapshot.status !== 'done' || !end) return undefined;
  return { steps, endId: end.id, slug: steps.map((s) => s.optionId.replace(/[^A-Za-z0-9]+/g, '_')).join('.') };
}
