/** The ticket lifecycle: machine, vocabulary and the pure decision function the service uses. */
export * from './types.js';
export { ticketLifecycleMachine, isDifferentAgent, needsApprovedChange } from './ticket-lifecycle-machine.js';
export {
  decideTicketTransition,
  canApplyTicketEvent,
  ticketEventTypesFrom,
  type TicketTransitionDecision,
} from './decide-transition.js';
