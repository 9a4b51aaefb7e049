import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { parseButtonValue } from '../conversation/button-value.js';

const ANSWER_KEYS = new Set(['t', 'step', 'event']);
const COMMAND_KEYS = new Set(['t', 'command', 'lang']);
const JUMP_KEYS = new Set(['t', 'topic']);

/**
 * A predicate for {@link ActivitySanitizer}: true for a button payload the bot itself could have
 * produced for one of these machines: exactly the payload's keys, a state id the machines have
 * and an event (or `topic.<topic>` for a jump) they accept. Anything else (a card form, a crafted value) is sanitised like text.
 */
export function trustedButtonValues(machines: readonly AnyStateMachine[]): (value: object) => boolean {
  const stepIds = new Set<string>();
  const events = new Set<string>();
  for (const machine of machines) {
    for (const node of allNodes(machine.root)) stepIds.add(node.id);
    for (const event of machine.root.events) events.add(event);
  }
  return (value) => {
    // Most objects in an activity (accounts, conversation, actions) are not button values:
    // answer that without running the schema, which costs far more than this check.
    const t = (value as { t?: unknown }).t;
    if (t !== 'answer' && t !== 'command' && t !== 'jump') return false;
    const parsed = parseButtonValue(value);
    if (!parsed) return false;
    const keys = Object.keys(value);
    switch (parsed.t) {
      case 'command':
        return keys.every((k) => COMMAND_KEYS.has(k));
      case 'jump':
        return keys.every((k) => JUMP_KEYS.has(k)) && events.has(`topic.${parsed.topic}`);
      case 'answer':
        return keys.every((k) => ANSWER_KEYS.has(k)) && stepIds.has(parsed.step) && events.has(parsed.event);
      default:
        return false;
    }
  };
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allNodes(child))];
}

/**
 * A predicate for the redaction middleware: true for the id of a step that asks for the phone's
 * last four digits. A bare number typed there is an answer, not half of a one-time code.
 */
export function stepsAskingForDigits(machines: readonly AnyStateMachine[]): (step: string) => boolean {
  const ids = new Set<string>();
  for (const machine of machines) {
    for (const node of allNodes(machine.root)) {
      if ((node.meta as { field?: unknown } | undefined)?.field === 'phoneLast4') ids.add(node.id);
    }
  }
  return (step) => ids.has(step);
}
