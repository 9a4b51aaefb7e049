/**
 * What support agents do to tickets. Every action takes the acting agent's id from the caller's
 * authentication (never from the request body), applies one change through ticket-change.ts, and
 * queues what the customer must be told in the same transaction. Who may call which action is
 * the desk's business (src/desk); the rules of the lifecycle are the machine's.
 */
import { AppError } from '../errors.js';
import {
  isCloseReason,
  isVerificationFailureReason,
  type CloseReason,
  type TicketActor,
  type VerificationFailureReason,
} from '../../flows/ticket-lifecycle/index.js';
import { applyLifecycleEvent, applyWorkEvent, requireTicketId, sanitizeNote } from './ticket-change.js';
import type { NotificationOutbox } from './outbox/notification-outbox.js';
import type { OutboxNotification } from './outbox/notification.js';
import type { QueueFilter, QueuePage, QueuePageRequest, StatusCounts } from './ticket-queue.js';
import type { TicketRepository, UpdateOptions } from './ticket-repository.js';
import type { Ticket } from './ticket.js';

export interface AgentTicketServiceDeps {
  readonly repository: TicketRepository;
  readonly outbox: NotificationOutbox;
  readonly now?: () => Date;
}

/** The version the agent saw (`If-Match`); every action requires it so no one acts on a stale view. */
export interface ActionOptions extends UpdateOptions {
  readonly note?: string | null;
}

export type AgentTicketService = ReturnType<typeof createAgentTicketService>;

export function createAgentTicketService(deps: AgentTicketServiceDeps) {
  const { repository, outbox } = deps;
  const now = deps.now ?? (() => new Date());
  /** The acting agent, from the caller's authentication; a blank or padded id would dodge the two-agent rule. */
  const agent = (agentId: string): TicketActor => {
    if (typeof agentId !== 'string' || agentId.trim() === '' || agentId.trim() !== agentId || agentId.length > 128) {
      throw new AppError('invalid_input', 'agent id is required', { field: 'agentId' });
    }
    return { kind: 'agent', id: agentId };
  };
  const base = (agentId: string, options: ActionOptions) => ({
    actor: agent(agentId),
    note: options.note ?? null,
    at: now().toISOString(),
    options: options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion },
  });

  return {
    async get(ticketId: string): Promise<Ticket | undefined> {
      return repository.get(requireTicketId(ticketId));
    },

    async listQueue(filter: QueueFilter, page: QueuePageRequest): Promise<QueuePage> {
      return repository.listQueue(filter, page);
    },

    async countByStatus(): Promise<StatusCounts> {
      return repository.countByStatus();
    },

    async notifications(ticketId: string): Promise<OutboxNotification[]> {
      return outbox.listForTicket(requireTicketId(ticketId));
    },

    /** A notification that failed for good goes back to the dispatcher. */
    async requeueNotification(notificationId: number): Promise<OutboxNotification> {
      return outbox.requeue(notificationId, now());
    },

    /** Takes the ticket (or, for a supervisor, gives it to `assigneeId`; `null` puts it back in the queue). */
    async assign(ticketId: string, agentId: string, assigneeId: string | null, options: ActionOptions = {}) {
      return applyWorkEvent(repository, ticketId, { ...base(agentId, options), event: 'ticket.assigned', assigneeId, detail: { assigneeId } });
    },

    /** An internal note: agents only, never sent to the customer. */
    async addNote(ticketId: string, agentId: string, note: string, options: UpdateOptions = {}) {
      if (typeof note !== 'string' || note.trim() === '') throw new AppError('invalid_input', 'a note is required', { field: 'note' });
      return applyWorkEvent(repository, ticketId, { ...base(agentId, { ...options, note }), event: 'note.added' });
    },

    /** Asks the customer for more information: the message goes into their conversation and onto the ticket. */
    async requestInfo(ticketId: string, agentId: string, message: string, options: UpdateOptions = {}) {
      // Sanitised once: the customer gets exactly what the ticket's history shows was sent.
      const text = sanitizeNote(message);
      if (text === null) throw new AppError('invalid_input', 'a message is required', { field: 'message' });
      // The raw message as the note: sanitising it again gives the same text (and the length limit
      // applies to what the agent wrote, not to the longer redaction markers).
      return applyWorkEvent(repository, ticketId, {
        ...base(agentId, { ...options, note: message }),
        event: 'info.requested',
        notify: () => ({ kind: 'info_requested', params: { message: text } }),
      });
    },

    async verifyIdentity(ticketId: string, agentId: string, options: ActionOptions = {}) {
      return applyLifecycleEvent(repository, ticketId, {
        ...base(agentId, options),
        event: { type: 'identity.verified', agentId },
        notify: () => ({ kind: 'verified', params: {} }),
      });
    },

    async failVerification(ticketId: string, agentId: string, reason: VerificationFailureReason, options: ActionOptions = {}) {
      if (!isVerificationFailureReason(reason)) throw new AppError('invalid_input', 'unknown failure reason', { field: 'reason' });
      return applyLifecycleEvent(repository, ticketId, {
        ...base(agentId, options),
        event: { type: 'identity.rejected', agentId, reason },
        detail: { failureReason: reason },
        notify: () => ({ kind: 'verification_failed', params: { failureReason: reason } }),
      });
    },

    /** A second agent approves the change the ticket's reason calls for (see approvalActionFor). */
    async approve(ticketId: string, agentId: string, options: ActionOptions = {}) {
      return applyLifecycleEvent(repository, ticketId, {
        ...base(agentId, options),
        event: { type: 'approval.granted', agentId },
        detail: (after) => (after.approvalAction ? { approvalAction: after.approvalAction } : {}),
        notify: (after) => (after.approvalAction ? { kind: 'change_approved', params: { approvalAction: after.approvalAction } } : undefined),
      });
    },

    /** The approved change has been made on the account: only now is the customer told it is done. */
    async markCarriedOut(ticketId: string, agentId: string, options: ActionOptions = {}) {
      return applyLifecycleEvent(repository, ticketId, {
        ...base(agentId, options),
        event: { type: 'change.carried_out', agentId },
        notify: (after) => (after.approvalAction ? { kind: 'change_carried_out', params: { approvalAction: after.approvalAction } } : undefined),
      });
    },

    /** Solved without an account change (a request that needed none). */
    async resolve(ticketId: string, agentId: string, options: ActionOptions = {}) {
      return applyLifecycleEvent(repository, ticketId, {
        ...base(agentId, options),
        event: { type: 'ticket.resolved', agentId },
        notify: () => ({ kind: 'resolved', params: {} }),
      });
    },

    async close(ticketId: string, agentId: string, reason: CloseReason, options: ActionOptions = {}) {
      if (!isCloseReason(reason)) throw new AppError('invalid_input', 'unknown close reason', { field: 'reason' });
      const actor = agent(agentId);
      return applyLifecycleEvent(repository, ticketId, {
        ...base(agentId, options),
        event: { type: 'ticket.closed', actor, reason },
        detail: { closeReason: reason },
        notify: () => ({ kind: 'closed', params: { closeReason: reason } }),
      });
    },
  };
}
