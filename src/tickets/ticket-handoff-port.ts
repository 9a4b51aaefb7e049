import type { HandoffReason } from '../../flows/outcome.js';
import { isOpenTicketStatus } from '../../flows/ticket-lifecycle/index.js';
import type { CustomerContext, HandoffPort, OpenTicketRequest, TicketView } from '../conversation/handoff-port.js';
import type { TicketEvent } from './ticket-events.js';
import type { TicketService } from './ticket-service.js';
import type { Ticket } from './ticket.js';

function view(ticket: Ticket): TicketView {
  return { id: ticket.id, status: ticket.status, reason: ticket.reason, updatedAt: ticket.updatedAt };
}

/**
 * The conversation's window on the ticket service. `onEvent` hears each change the chat
 * caused (a ticket opened), so notifications and analytics see chat and agent actions alike.
 */
export function ticketHandoffPort(service: TicketService, onEvent?: (event: TicketEvent) => void): HandoffPort {
  /** The customer's tickets, most recently updated first. */
  const newestFirst = async (customer: CustomerContext) =>
    [...(await service.findForCustomer(customer.channelId, customer.userId))].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return {
    async findOpenTicket(customer: CustomerContext, reason?: HandoffReason) {
      const open = (await newestFirst(customer)).find(
        (k) => k.conversationId === customer.conversationId && (reason === undefined || k.reason === reason) && isOpenTicketStatus(k.status),
      );
      return open && view(open);
    },
    async openTicket(request: OpenTicketRequest) {
      const { customer } = request;
      const outcome = await service.openForHandoff({
        reason: request.reason,
        language: request.language,
        channelId: customer.channelId,
        userId: customer.userId,
        tenantId: customer.tenantId ?? null,
        conversationId: customer.conversationId,
        conversationReference: customer.conversationReference,
        activityId: customer.activityId ?? null,
        claims: request.claims,
        path: [...request.path],
        stepsTried: [...request.stepsTried],
      });
      if (outcome.event) onEvent?.(outcome.event);
      return view(outcome.ticket);
    },
    async customerTickets(customer: CustomerContext) {
      return (await newestFirst(customer)).map(view);
    },
  };
}
