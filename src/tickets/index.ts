/** Tickets: model, ids, repositories and the use cases (identity claims: src/identity). */
export * from './ticket.js';
export * from '../ticket-id.js';
export * from './ticket-events.js';
export type { HandoffRequest } from './handoff-request.js';
export type * from './ticket-repository.js';
export { MemoryTicketRepository } from './memory-ticket-repository.js';
export { SqliteTicketRepository, ticketMigrations } from './sqlite-ticket-repository.js';
export { createTicketService, type TicketService, type TicketServiceDeps, type HandoffOutcome } from './ticket-service.js';
