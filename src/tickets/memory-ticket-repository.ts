/**
 * In-memory ticket repository for tests and local experiments. Same semantics as the SQLite one
 * (it passes the same contract suite): every operation runs to completion without awaiting, so
 * concurrent calls cannot interleave, and callers only ever get copies.
 */
import { AppError } from '../errors.js';
import { isOpenTicketStatus, TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import { MemoryNotificationOutbox } from './outbox/memory-notification-outbox.js';
import {
  type ChangeCursor,
  type ChangePage,
  searchKey,
  searchTermsOf,
  type QueueFilter,
  type QueuePage,
  type QueuePageRequest,
  type StatusCounts,
  type TicketSummary,
} from './ticket-queue.js';
import type { CustomerRef, NewTicket, Ticket, TicketId } from './ticket.js';
import type { FindOrCreateResult, TicketChange, TicketRepository, UpdateOptions } from './ticket-repository.js';
import { firstDecisionAt, type TicketWaitingFilter, type TicketWaitingTime } from './ticket-waiting.js';

export class MemoryTicketRepository implements TicketRepository {
  readonly #tickets = new Map<string, Ticket>();
  readonly #activities = new Map<string, TicketId>();
  /** Where this repository's changes leave their customer notifications. */
  readonly outbox = new MemoryNotificationOutbox();

  async findOrCreateOpen(ticket: NewTicket, activityId: string | null): Promise<FindOrCreateResult> {
    const activityKey = activityId === null ? null : `${ticket.channelId}\u0000${activityId}`;
    const byActivity = activityKey === null ? undefined : this.#activities.get(activityKey);
    const existingByActivity = byActivity === undefined ? undefined : this.#tickets.get(byActivity);
    if (existingByActivity) return { ticket: clone(existingByActivity), created: false, matchedBy: 'activity' };

    const open = [...this.#tickets.values()].find(
      (t) =>
        t.channelId === ticket.channelId &&
        t.conversationId === ticket.conversationId &&
        t.reason === ticket.reason &&
        isOpenTicketStatus(t.status),
    );
    if (open) {
      if (activityKey !== null) this.#activities.set(activityKey, open.id);
      return { ticket: clone(open), created: false, matchedBy: 'conversation' };
    }

    if (this.#tickets.has(ticket.id)) {
      throw new AppError('conflict', 'ticket id already taken', { field: 'id' });
    }
    const created: Ticket = {
      id: ticket.id,
      reason: ticket.reason,
      language: ticket.language,
      channelId: ticket.channelId,
      userId: ticket.userId,
      tenantId: ticket.tenantId,
      conversationId: ticket.conversationId,
      conversationReference: ticket.conversationReference,
      claims: ticket.claims,
      path: ticket.path,
      stepsTried: ticket.stepsTried,
      status: 'awaiting_verification',
      closeReason: null,
      approvalAction: null,
      failureReason: null,
      assigneeId: null,
      verifiedBy: null,
      approvedBy: null,
      createdAt: ticket.createdAt,
      updatedAt: ticket.createdAt,
      version: 1,
      history: [
        {
          at: ticket.createdAt,
          actor: ticket.openedBy,
          event: 'ticket.opened',
          from: null,
          to: 'awaiting_verification',
          note: ticket.note,
          detail: null,
        },
      ],
    };
    this.#tickets.set(created.id, clone(created));
    if (activityKey !== null) this.#activities.set(activityKey, created.id);
    return { ticket: clone(created), created: true, matchedBy: null };
  }

  async get(id: TicketId): Promise<Ticket | undefined> {
    const t = this.#tickets.get(id);
    return t ? clone(t) : undefined;
  }

  async listForCustomer(customer: CustomerRef): Promise<Ticket[]> {
    return [...this.#tickets.values()]
      .filter((t) => t.channelId === customer.channelId && t.userId === customer.userId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .map(clone);
  }

  async update(
    id: TicketId,
    decide: (current: Ticket) => TicketChange,
    options: UpdateOptions = {},
  ): Promise<Ticket> {
    const current = this.#tickets.get(id);
    if (!current) throw new AppError('not_found', 'ticket not found');
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new AppError('conflict', 'ticket was changed by someone else', {
        expectedVersion: options.expectedVersion,
        version: current.version,
      });
    }
    const change = decide(clone(current));
    const next: Ticket = {
      ...current,
      status: change.status,
      verifiedBy: change.verifiedBy,
      approvedBy: change.approvedBy,
      approvalAction: change.approvalAction,
      closeReason: change.closeReason,
      failureReason: change.failureReason,
      assigneeId: change.assigneeId === undefined ? current.assigneeId : change.assigneeId,
      claims: change.claims ?? current.claims,
      updatedAt: change.history.at,
      version: current.version + 1,
      history: [...current.history, change.history],
    };
    this.#tickets.set(id, clone(next));
    if (change.notification) this.outbox.add(next, change.notification, change.history.at);
    return clone(next);
  }

  async listQueue(filter: QueueFilter, page: QueuePageRequest): Promise<QueuePage> {
    const q = filter.q === undefined ? '' : searchKey(filter.q);
    const matches = (t: Ticket): boolean =>
      (filter.status === undefined || filter.status.includes(t.status)) &&
      (filter.reason === undefined || filter.reason.includes(t.reason)) &&
      (filter.language === undefined || t.language === filter.language) &&
      (filter.channelId === undefined || t.channelId === filter.channelId) &&
      (filter.assigneeId === undefined || t.assigneeId === filter.assigneeId) &&
      (filter.createdFrom === undefined || t.createdAt >= filter.createdFrom) &&
      (filter.createdTo === undefined || t.createdAt < filter.createdTo) &&
      (q === '' ||
        (/^tfa-/.test(q) ? t.id.startsWith(q.toUpperCase()) : searchTermsOf(t.claims).some((term) => term.startsWith(q)))) &&
      (page.after === undefined ||
        t.createdAt < page.after.createdAt ||
        (t.createdAt === page.after.createdAt && t.id < page.after.id));
    const rows = [...this.#tickets.values()]
      .filter(matches)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const tickets = rows.slice(0, page.limit).map((t) => this.#summary(t));
    const last = tickets[tickets.length - 1];
    return { tickets, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async countByStatus(): Promise<StatusCounts> {
    const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<Ticket['status'], number>;
    for (const t of this.#tickets.values()) counts[t.status] += 1;
    return counts;
  }

  async listChangedSince(after: ChangeCursor | null, limit: number): Promise<ChangePage> {
    const later = (t: Ticket) => !after || t.updatedAt > after.updatedAt || (t.updatedAt === after.updatedAt && t.id > after.id);
    const tickets = [...this.#tickets.values()]
      .filter(later)
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit)
      .map((t) => this.#summary(t));
    const last = tickets[tickets.length - 1];
    return { tickets, cursor: last ? { updatedAt: last.updatedAt, id: last.id } : after };
  }

  async listWaitingTimes(filter: TicketWaitingFilter): Promise<TicketWaitingTime[]> {
    return [...this.#tickets.values()]
      .filter((t) => t.createdAt >= filter.since && t.createdAt < filter.until)
      .filter((t) => (filter.language === undefined || t.language === filter.language) && (filter.channelId === undefined || t.channelId === filter.channelId))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => ({ id: t.id, language: t.language, channelId: t.channelId, status: t.status, createdAt: t.createdAt, firstDecisionAt: firstDecisionAt(t.history) }));
  }

  #summary(t: Ticket): TicketSummary {
    return {
      id: t.id,
      reason: t.reason,
      language: t.language,
      channelId: t.channelId,
      status: t.status,
      assigneeId: t.assigneeId,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      version: t.version,
      failedNotifications: this.outbox.failedCount(t.id),
    };
  }
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
