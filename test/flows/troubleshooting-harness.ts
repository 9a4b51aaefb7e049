/**
 * Helpers for the troubleshooting flow tests: drive the machine with events, read the step the
 * customer sees, and load the locale files directly (no i18next: the tests check the files).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActor, type SnapshotFrom } from 'xstate';
import { isStepMeta, type StepMeta } from '../../flows/step-meta.js';
import { troubleshootingMachine, type TroubleshootingEvent } from '../../flows/troubleshooting/index.js';

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
