/**
 * What the ticket repository contract suites share: the repository under test with its outbox, and
 * builders for the changes the suites write (the service's decisions, made by hand).
 */
import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { NotificationOutbox } from '../../src/tickets/outbox/notification-outbox.js';
import type { TicketChange, TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { Ticket } from '../../src/tickets/ticket.js';

export interface RepositoryUnderTest {
  readonly repository: TicketRepository;
  /** The outbox the repository writes its changes' notifications to. */
  readonly outbox: NotificationOutbox;
  /** Releases resources (closes and deletes a database file). */
  readonly dispose?: () => void;
}

/** A verification by agent-a, or whatever `overrides` says instead. */
export function change(current: Ticket, overrides: Partial<TicketChange> = {}): TicketChange {
  return {
    status: 'verified',
    verifiedBy: 'agent-a',
    approvedBy: null,
    approvalAction: null,
    closeReason: null,
    failureReason: null,
    history: {
      at: '2025-01-02T00:00:00.000Z',
      actor: { kind: 'agent', id: 'agent-a' },
      event: 'identity.verified',
      from: current.status,
      to: 'verified',
      note: 'checked against KYC record',
      detail: null,
    },
    ...overrides,
  };
}

export function closeChange(current: Ticket): TicketChange {
  return change(current, {
    status: 'closed',
    verifiedBy: current.verifiedBy,
    closeReason: 'duplicate',
    history: {
      at: '2025-01-03T00:00:00.000Z',
      actor: { kind: 'agent', id: 'agent-b' },
      event: 'ticket.closed',
      from: current.status,
      to: 'closed',
      note: null,
      detail: { closeReason: 'duplicate' },
    },
  });
}

/** A work event (status unchanged) such as an assignment. */
export function workChange(current: Ticket, overrides: Partial<TicketChange> = {}): TicketChange {
  return {
    status: current.status,
    verifiedBy: current.verifiedBy,
    approvedBy: current.approvedBy,
    approvalAction: current.approvalAction,
    closeReason: current.closeReason,
    failureReason: current.failureReason,
    history: {
      at: '2025-01-02T12:00:00.000Z',
      actor: { kind: 'agent', id: 'agent-a' },
      event: 'note.added',
      from: current.status,
      to: current.status,
      note: 'internal',
      detail: null,
    },
    ...overrides,
  };
}

export async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

