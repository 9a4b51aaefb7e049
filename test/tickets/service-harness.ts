/**
 * The customer and agent ticket services over one repository and its outbox, for each repository
 * implementation, with a clock the test moves and a way to walk a fresh ticket to any status.
 */
import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { HandoffReason } from '../../flows/outcome.js';
import { MemoryTicketRepository } from '../../src/tickets/memory-ticket-repository.js';
import { openDatabase } from '../../src/storage/database.js';
import { SqliteTicketRepository, migrations } from '../../src/tickets/sqlite-ticket-repository.js';
import { SqliteNotificationOutbox } from '../../src/tickets/outbox/sqlite-notification-outbox.js';
import type { NotificationOutbox } from '../../src/tickets/outbox/notification-outbox.js';
import { createAgentTicketService, type AgentTicketService } from '../../src/tickets/agent-ticket-service.js';
import { createTicketService, type TicketService } from '../../src/tickets/ticket-service.js';
import type { TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { Ticket, TicketStatus } from '../../src/tickets/ticket.js';
import { handoffRequest } from './fixtures.js';

export const AGENT_A = 'agt_verifier';
export const AGENT_B = 'agt_approver';
export const AGENT_C = 'agt_third';
export const START = Date.parse('2025-06-15T09:00:00.000Z');

export interface Store {
  readonly repository: TicketRepository;
  readonly outbox: NotificationOutbox;
  readonly dispose: () => void;
}

export const IMPLEMENTATIONS: [string, () => Store][] = [
  [
    'memory',
    () => {
      const repository = new MemoryTicketRepository();
      return { repository, outbox: repository.outbox, dispose: () => {} };
    },
  ],
  [
    'sqlite',
    () => {
      // In memory: the file-backed behaviour is the contract suites' business; these tests are about the use cases.
      const db = openDatabase(':memory:', migrations);
      return { repository: new SqliteTicketRepository(db), outbox: new SqliteNotificationOutbox(db), dispose: () => db.close() };
    },
  ],
];

export interface Harness extends Store {
  readonly customers: TicketService;
  readonly agents: AgentTicketService;
  /** Milliseconds since START; the services read the time from here. */
  tick(ms?: number): string;
  now(): string;
  /** Opens a ticket through the chat and walks it to `status` through the agents' actions. */
  ticketIn(status: TicketStatus, reason?: HandoffReason): Promise<Ticket>;
}

export function harness(store: Store): Harness {
  let ms = START;
  const now = () => new Date(ms);
  const customers = createTicketService({ repository: store.repository, now });
  const agents = createAgentTicketService({ repository: store.repository, outbox: store.outbox, now });

  async function ticketIn(status: TicketStatus, reason: HandoffReason = 'app_lost_no_backup'): Promise<Ticket> {
    const { ticket } = await customers.openForHandoff(handoffRequest({ reason }));
    const id = ticket.id;
    const verify = () => agents.verifyIdentity(id, AGENT_A);
    const finish = reason === 'customer_requested' ? [verify, () => agents.resolve(id, AGENT_B)] : [
      verify,
      () => agents.approve(id, AGENT_B),
      () => agents.markCarriedOut(id, AGENT_B),
    ];
    const steps: Record<TicketStatus, (() => Promise<unknown>)[]> = {
      awaiting_verification: [],
      verification_failed: [() => agents.failVerification(id, AGENT_A, 'details_do_not_match')],
      verified: [verify],
      change_approved: [verify, () => agents.approve(id, AGENT_B)],
      resolved: finish,
      closed: [() => agents.close(id, AGENT_A, 'duplicate')],
    };
    for (const step of steps[status]) await step();
    const current = await store.repository.get(id);
    expect(current?.status).toBe(status);
    return current as Ticket;
  }

  return {
    ...store,
    customers,
    agents,
    tick: (d = 60_000) => ((ms += d), now().toISOString()),
    now: () => now().toISOString(),
    ticketIn,
  };
}

/**
 * The AppError an action fails with (fails the test if it succeeds or throws something else).
 * Pass a function when the action may throw before returning its promise.
 */
export async function appError(action: Promise<unknown> | (() => Promise<unknown>)): Promise<AppError> {
  const error = await (typeof action === 'function' ? Promise.resolve().then(action) : action).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
