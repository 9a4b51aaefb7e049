import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { describeTicketRepositoryContract } from './ticket-repository.contract.js';

describeTicketRepositoryContract('memory', () => ({ repository: new MemoryTicketRepository() }));
