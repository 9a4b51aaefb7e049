/**
 * The ticket service as the chat uses it, telling operations about each handoff: the metrics
 * count the tickets opened by reason. The conversation and the ticket service stay unaware of it.
 */
import type { TicketService } from '../tickets/ticket-service.js';

export function observedHandoffs(service: TicketService, opened: (reason: string) => void): TicketService {
  return {
    ...service,
    async openForHandoff(request) {
      const outcome = await service.openForHandoff(request);
      // An existing ticket given back (a redelivered activity, the same handoff again) is no new handoff.
      if (outcome.created) opened(outcome.ticket.reason);
      return outcome;
    },
  };
}
