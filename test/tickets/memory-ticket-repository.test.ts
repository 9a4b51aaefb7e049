import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { describeTicketRepositoryContract } from './ticket-repository.contract.js';

describeTicketRepositoryContract('memory', () => {
  const repository = new MemoryTicketRepository();
  return { repository, outbox: repository.outbox };
});
