import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { identityMachine } from '../../flows/identity/index.js';
import { troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import { parseButtonValue } from '../conversation/button-value.js';

const ANSWER_KEYS = new Set(['t', 'step', 'event']);
const COMMAND_KEYS = new Set(['t', 'command', 'lang']);
const JUMP_KEYS = new Set(['t', 'topic']);
const RATE_KEYS = new Set(['t', 'about', 'value']);

/** The machines whose steps the bot's buttons name: the same two flows the conversation runs. */
const BUTTON_MACHINES: readonly AnyStateMachine[] = [troubleshootingMachine, identityMachine];

/**
 * The one test for "is this the bot's own button value?", used by every activity sanitiser (the
 * redaction middleware, the transcript, the local web chat's history): true only for a payload the
 * bot itself could have produced: exactly the payload's keys, a state id the flows have and an
 * event (or `topic.<topic>` for a jump) they accept. Such a value is kept verbatim: its step ids
 * are protocol, not customer text, and some ("changeMethodSmsToApp") read like a setup key to the
 * detectors, so redacting them would break replay and the bot's reading of the press.
 *
 * Anything else is customer data and sanitised like text: a card form, a value with an extra key
 * (`parseButtonValue` alone drops unknown keys, so it cannot answer this), a forged step or event.
 */
export const isOwnButtonValue: (value: object) => boolean = ownButtonValues(BUTTON_MACHINES);

function ownButtonValues(machines: readonly AnyStateMachine[]): (value: object) => boolean {
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
    if (t !== 'answer' && t !== 'command' && t !== 'jump' && t !== 'rate') return false;
    // The answer buttons (ten on a menu, in every reply and every press) without the schema: a
    // step and an event the flows know are strings the schema accepts, so the sets decide alone.
    if (t === 'answer') {
      const { step, event } = value as { step?: unknown; event?: unknown };
      return typeof step === 'string' && typeof event === 'string' && stepIds.has(step) && events.has(event) && Object.keys(value).every((k) => ANSWER_KEYS.has(k));
    }
    const parsed = parseButtonValue(value);
    if (!parsed) return false;
    const keys = Object.keys(value);
    switch (parsed.t) {
      case 'command':
        return keys.every((k) => COMMAND_KEYS.has(k));
      case 'jump':
        return keys.every((k) => JUMP_KEYS.has(k)) && events.has(`topic.${parsed.topic}`);
      case 'rate':
        // A rating button: the schema allows only its two subjects and the numbers 1 to 5.
        return keys.every((k) => RATE_KEYS.has(k));
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
