import type { CloseReason } from '../../flows/ticket-lifecycle/index.js';
import type { TicketEvent, TicketOutcome } from '../tickets/ticket-events.js';
import type { TicketService } from '../tickets/ticket-service.js';

/** What an agent's action returns: the updated ticket, and whether the customer was told. */
export interface AgentActionResult extends TicketOutcome {
  readonly notification: 'sent' | 'skipped' | 'failed';
}

export type Notify = (event: TicketEvent) => Promise<'sent' | 'skipped' | 'failed'>;

/**
 * The support agents' use cases, as the agents' desk (API and console, next) will call them:
 * each applies one lifecycle step through the ticket service (rules, two-agent approval,
 * history) and then tells the customer. Refused steps throw AppError and notify no one.
 */
export function createAgentActions(service: TicketService, notify: Notify) {
  async function after(outcome: TicketOutcome): Promise<AgentActionResult> {
    return { ...outcome, notification: await notify(outcome.event) };
  }
  return {
    list: service.findForCustomer,
    get: (ticketId: string) => service.get(ticketId),
    verifyIdentity: async (ticketId: string, agentId: string, note?: string) => after(await service.verifyIdentity(ticketId, agentId, note)),
    failVerification: async (ticketId: string, agentId: string, note?: string) => after(await service.failVerification(ticketId, agentId, note)),
    approveReset: async (ticketId: string, agentId: string, note?: string) => after(await service.approveReset(ticketId, agentId, note)),
    resolve: async (ticketId: string, agentId: string, note?: string) => after(await service.resolve(ticketId, agentId, note)),
    close: async (ticketId: string, agentId: string, reason: CloseReason, note?: string) =>
      after(await service.close(ticketId, { kind: 'agent', id: agentId }, reason, note)),
  };
}

export type AgentActions = ReturnType<typeof createAgentActions>;
