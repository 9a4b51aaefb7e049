/**
 * Where tickets live. Two implementations (SQLite for the bot, memory for tests) pass one contract
 * suite (test/tickets/ticket-repository.contract.ts).
 *
 * There is deliberately no delete and no way to edit history: a ticket changes only through
 * {@link TicketRepository.update}, which appends exactly one history entry per change.
 */
import type {
  ApprovalAction,
  CloseReason,
  CustomerRef,
  HistoryEntry,
  NewTicket,
  Ticket,
  TicketId,
  TicketStatus,
  VerificationFailureReason,
} from './ticket.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import type { NotificationRequest } from './outbox/notification.js';
import type { ChangeCursor, ChangePage, QueueFilter, QueuePage, QueuePageRequest, StatusCounts } from './ticket-queue.js';
import type { TicketWaitingFilter, TicketWaitingTime } from './ticket-waiting.js';

/** How {@link TicketRepository.findOrCreateOpen} found an existing ticket. */
export type OpenTicketMatch = 'activity' | 'conversation';

export interface FindOrCreateResult {
  readonly ticket: Ticket;
  readonly created: boolean;
  /** `null` when the ticket was just created. */
  readonly matchedBy: OpenTicketMatch | null;
}

/** One change decided by the service (from the lifecycle machine) for the repository to write. */
export interface TicketChange {
  readonly status: TicketStatus;
  readonly verifiedBy: string | null;
  readonly approvedBy: string | null;
  readonly approvalAction: ApprovalAction | null;
  readonly closeReason: CloseReason | null;
  readonly failureReason: VerificationFailureReason | null;
  /** The new assignee (`null` to unassign); absent when unchanged. */
  readonly assigneeId?: string | null;
  /** New identity claims, when the customer resubmitted them. */
  readonly claims?: IdentityClaims;
  /** What to tell the customer: written to the outbox in the same transaction as the change. */
  readonly notification?: NotificationRequest;
  /** The entry to append; its `at` becomes the ticket's `updatedAt`. */
  readonly history: HistoryEntry;
}

export interface UpdateOptions {
  /**
   * Version the caller based its decision on (what the agent saw). If the ticket has moved on,
   * the update fails with `conflict` and writes nothing.
   */
  readonly expectedVersion?: number;
}

export interface TicketRepository {
  /**
   * Atomically returns the ticket for this handoff, creating it only if there is none:
   * 1. a ticket already recorded for `activityId` on the channel (a redelivered activity), whatever
   *    its status; else
   * 2. an open ticket for the same channel, conversation and reason; else
   * 3. `ticket`, inserted with status `awaiting_verification`, version 1 and a `ticket.opened` entry.
   * `activityId` is recorded against the returned ticket in every case. Concurrent calls with the
   * same key yield one ticket. Throws `AppError('conflict', …, { field: 'id' })` if `ticket.id` is
   * taken (the caller retries with a fresh id).
   */
  findOrCreateOpen(ticket: NewTicket, activityId: string | null): Promise<FindOrCreateResult>;

  /** The ticket with its full history, or `undefined`. */
  get(id: TicketId): Promise<Ticket | undefined>;

  /** The customer's tickets only, newest first. */
  listForCustomer(customer: CustomerRef): Promise<Ticket[]>;

  /**
   * Reads the current ticket, calls `decide` with it and writes the change, all in one transaction.
   * `decide` must be synchronous and pure; if it throws, nothing is written and the error propagates.
   * Increments `version`. Throws `AppError('not_found')` for an unknown id and `AppError('conflict')`
   * when `expectedVersion` no longer matches or another writer won the race.
   */
  update(id: TicketId, decide: (current: Ticket) => TicketChange, options?: UpdateOptions): Promise<Ticket>;

  /** One page of the agents' queue, newest first (see ticket-queue.ts). */
  listQueue(filter: QueueFilter, page: QueuePageRequest): Promise<QueuePage>;

  /** How many tickets are in each status, over the whole store. */
  countByStatus(): Promise<StatusCounts>;

  /**
   * The change feed: tickets created or changed after `after` (all, when `null`), oldest change
   * first, at most `limit`. Every instance can follow it (the desk's live queue, agents' alerts),
   * because it reads the store rather than an in-process event.
   */
  listChangedSince(after: ChangeCursor | null, limit: number): Promise<ChangePage>;

  /**
   * Tickets opened in the period (with the filter's language and channel), oldest first, each with
   * its first agent decision (ticket-waiting.ts): the reports' waiting times.
   */
  listWaitingTimes(filter: TicketWaitingFilter): Promise<TicketWaitingTime[]>;
}
