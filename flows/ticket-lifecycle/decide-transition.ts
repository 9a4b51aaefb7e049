/**
 * Answers, without side effects, "may event E be applied to a ticket in status S with context C,
 * and what follows?" by asking the lifecycle machine itself, so the service never duplicates the rules.
 */
import { transition } from 'xstate';
import { isDifferentAgent, needsApprovedChange, ticketLifecycleMachine } from './ticket-lifecycle-machine.js';
import type {
  TicketLifecycleContext,
  TicketLifecycleEvent,
  TicketLifecycleEventType,
  TicketRefusal,
  TicketStatus,
} from './types.js';
import { isTicketStatus } from './types.js';

/** Outcome of {@link decideTicketTransition}. */
export type TicketTransitionDecision =
  | {
      readonly ok: true;
      readonly from: TicketStatus;
      readonly status: TicketStatus;
      readonly context: TicketLifecycleContext;
    }
  | { readonly ok: false; readonly from: TicketStatus; readonly code: TicketRefusal };

type GuardArgs = { readonly context: TicketLifecycleContext; readonly event: TicketLifecycleEvent };

/**
 * Guards whose failure has a more specific explanation than "not allowed from this status".
 * The rule itself stays in the machine; this only names the refusal.
 */
const REFUSAL_BY_GUARD: Readonly<
  Record<string, { readonly holds: (args: GuardArgs) => boolean; readonly code: TicketRefusal }>
> = {
  // Checked in the machine's order: approving a ticket that needs no change is simply not a step.
  needsApprovedChange: { holds: needsApprovedChange, code: 'illegal_transition' },
  isDifferentAgent: { holds: isDifferentAgent, code: 'same_agent' },
};

/**
 * Decides whether `event` applies to a ticket in `status` with `context`, and the resulting status
 * and context. Pure: the same inputs always give the same decision.
 */
export function decideTicketTransition(
  status: TicketStatus,
  context: TicketLifecycleContext,
  event: TicketLifecycleEvent,
): TicketTransitionDecision {
  const snapshot = ticketLifecycleMachine.resolveState({ value: status, context: { ...context } });
  if (snapshot.status !== 'active' || !snapshot.can(event)) {
    return { ok: false, from: status, code: explainRefusal(status, context, event) };
  }
  const [next] = transition(ticketLifecycleMachine, snapshot, event);
  const nextStatus = next.value;
  if (!isTicketStatus(nextStatus)) {
    // The machine is flat; a nested value would mean the machine changed without this module.
    throw new Error(`ticket lifecycle produced an unexpected state ${JSON.stringify(nextStatus)}`);
  }
  return { ok: true, from: status, status: nextStatus, context: next.context };
}

/** Convenience form of {@link decideTicketTransition} for callers that only need yes or no. */
export function canApplyTicketEvent(
  status: TicketStatus,
  context: TicketLifecycleContext,
  event: TicketLifecycleEvent,
): boolean {
  return decideTicketTransition(status, context, event).ok;
}

/**
 * Event types that have a transition out of `status` (guards not evaluated): what an agent
 * console may offer for a ticket. Empty for the final statuses.
 */
export function ticketEventTypesFrom(status: TicketStatus): TicketLifecycleEventType[] {
  const node = ticketLifecycleMachine.states[status];
  return node ? (Object.keys(node.on) as TicketLifecycleEventType[]) : [];
}

function explainRefusal(
  status: TicketStatus,
  context: TicketLifecycleContext,
  event: TicketLifecycleEvent,
): TicketRefusal {
  const candidates = ticketLifecycleMachine.states[status]?.on[event.type] ?? [];
  for (const candidate of candidates) {
    for (const name of guardNames(candidate.guard)) {
      const refusal = REFUSAL_BY_GUARD[name];
      if (refusal && !refusal.holds({ context, event })) return refusal.code;
    }
  }
  return 'illegal_transition';
}

/** Names of the named guards a transition uses, including those inside `and`/`or`/`not`. */
function guardNames(guard: unknown): string[] {
  if (typeof guard === 'string') return [guard];
  if (guard === null || guard === undefined) return [];
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return [guard.type];
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    return guard.guards.flatMap(guardNames);
  }
  if (typeof guard === 'function' && 'guard' in guard) return guardNames(guard.guard);
  return [];
}
