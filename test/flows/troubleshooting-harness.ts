/**
 * Helpers for the troubleshooting flow tests: drive the machine with events, read the step the
 * customer sees, and load the locale files directly (no i18next: the tests check the files).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActor, getNextSnapshot, type SnapshotFrom } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { isStepMeta, type StepMeta } from '../../flows/step-meta.js';
import { CONFIRM_STEP_IDS, pathStateKey, troubleshootingMachine, type TroubleshootingEvent } from '../../flows/troubleshooting/index.js';

export type Snapshot = SnapshotFrom<typeof troubleshootingMachine>;

/** An event from its type (all but `topic.jump` carry no data). */
export const ev = (type: Exclude<TroubleshootingEvent['type'], 'topic.jump'>): TroubleshootingEvent => ({ type });

/** Starts the machine and sends the events in order; returns the actor. */
export function run(events: readonly (TroubleshootingEvent | Exclude<TroubleshootingEvent['type'], 'topic.jump'>)[]) {
  const actor = createActor(troubleshootingMachine);
  actor.subscribe({ error: (err) => { throw err; } });
  actor.start();
  for (const e of events) {
    const event = typeof e === 'string' ? ev(e) : e;
    const before = actor.getSnapshot();
    if (before.status !== 'active') throw new Error(`machine is ${before.status}, cannot send ${event.type}`);
    if (!before.can(event)) throw new Error(`${stepOf(before)?.id ?? String(before.value)} does not accept ${event.type}`);
    actor.send(event);
  }
  return actor;
}

/** The step the customer sees: the active state carrying StepMeta (there is exactly one). */
export function stepOf(snapshot: Snapshot): { id: string; meta: StepMeta } | undefined {
  const steps = Object.entries(snapshot.getMeta() as Record<string, unknown>).filter(
    (entry): entry is [string, StepMeta] => isStepMeta(entry[1]),
  );
  if (steps.length > 1) throw new Error(`several steps active: ${steps.map(([id]) => id).join(', ')}`);
  const [step] = steps;
  return step && { id: step[0], meta: step[1] };
}

/** The option events of the current step, as events. */
export function optionEvents(snapshot: Snapshot): TroubleshootingEvent[] {
  return (stepOf(snapshot)?.meta.options ?? []).map((o) => ({ type: o.event }) as TroubleshootingEvent);
}

type Json = string | { [key: string]: Json };

function loadNamespace(lang: 'ja' | 'en', ns: string): Json {
  const path = fileURLToPath(new URL(`../../locales/${lang}/${ns}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

/** Flattens a locale file to `a.b.c` → text. */
export function flatten(node: Json, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') {
    out.set(prefix, node);
    return out;
  }
  for (const [key, value] of Object.entries(node)) {
    for (const [k, v] of flatten(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

/** `namespace:key` → text, for one language, over the flow's namespaces. */
export function localeTexts(lang: 'ja' | 'en'): Map<string, string> {
  const out = new Map<string, string>();
  for (const ns of ['troubleshooting', 'options']) {
    for (const [k, v] of flatten(loadNamespace(lang, ns))) out.set(`${ns}:${k}`, v);
  }
  return out;
}

/** The flattened keys of one namespace file. */
export function namespaceKeys(lang: 'ja' | 'en', ns: string): string[] {
  return [...flatten(loadNamespace(lang, ns)).keys()].sort();
}

/**
 * Every way through the tree, as lists of events: every simple path over the options with each
 * "has this solved it?" answered yes, plus, from each of those questions (one per way a "no" goes
 * on: pathStateKey), every simple path after a "no", reached the shortest way. All simple paths
 * with "no" too would be some 15,000: each way to a fix times each way on after it.
 */
export function everyPath(): TroubleshootingEvent[][] {
  const isConfirm = (s: Snapshot) => (CONFIRM_STEP_IDS as readonly string[]).includes(stepOf(s)?.id ?? '');
  const yesOnly = (s: Snapshot) => optionEvents(s).filter((e) => !(isConfirm(s) && e.type === 'answer.no'));
  const serializeState = (s: Snapshot) => pathStateKey(s) as never;
  const toState = (s: Snapshot) => s.status === 'done';
  const eventsOf = (steps: readonly { event: TroubleshootingEvent }[]) => steps.map((s) => s.event).filter((e) => !e.type.startsWith('xstate.'));
  const paths = getSimplePaths(troubleshootingMachine, { events: yesOnly, serializeState, toState }).map((p) => eventsOf(p.steps));
  const confirms = getShortestPaths(troubleshootingMachine, { events: (s) => optionEvents(s), serializeState }).filter((p) => isConfirm(p.state));
  for (const to of confirms) {
    const no: TroubleshootingEvent = { type: 'answer.no' };
    const after = getNextSnapshot(troubleshootingMachine, to.state, no);
    for (const rest of getSimplePaths(troubleshootingMachine, { events: yesOnly, serializeState, toState, fromState: after })) {
      paths.push([...eventsOf(to.steps), no, ...eventsOf(rest.steps)]);
    }
  }
  return paths;
}
