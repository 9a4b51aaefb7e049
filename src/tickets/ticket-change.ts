/**
 * The one way a ticket changes: read it, decide (lifecycle step from the machine, or a work event
 * such as a note), write the change, its history line and its customer notification in one
 * repository transaction. A refused change throws and writes nothing.
 */
import { AppError } from '../errors.js';
import {
  decideTicketTransition,
  isOpenTicketStatus,
  type TicketActor,
  type TicketLifecycleContext,
  type TicketLifecycleEvent,
} from '../../flows/ticket-lifecycle/index.js';
import { sanitizeForStorage } from '../privacy/sanitize.js';
import type { NotificationRequest } from './outbox/notification.js';
import { parseTicketId } from '../ticket-id.js';
import type { TicketChange, TicketRepository, UpdateOptions } from './ticket-repository.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import type { HistoryDetail, HistoryEntry, Ticket, TicketId, TicketWorkEvent } from './ticket.js';

/** Longest note or message an agent may write, in characters. */
export const NOTE_MAX_LENGTH = 2000;

interface ChangeBase {
  readonly actor: TicketActor;
  readonly note?: string | null;
  readonly at: string;
  readonly options?: UpdateOptions;
  /** Structured facts for the history line, fixed or read from the ticket after the change. */
  readonly detail?: HistoryDetail | ((after: TicketLifecycleContext) => HistoryDetail);
  /** What to tell the customer, built from the ticket as it is after the change. */
  readonly notify?: (after: TicketLifecycleContext) => NotificationRequest | undefined;
}

/** Applies one lifecycle step (verify, approve, close…) as the machine allows it. */
export async function applyLifecycleEvent(
  repository: TicketRepository,
  ticketId: string,
  change: ChangeBase & { readonly event: TicketLifecycleEvent; readonly claims?: IdentityClaims },
): Promise<Ticket> {
  return write(repository, ticketId, change, change.event.type, (current) => {
    if (change.actor.kind === 'customer' && change.actor.id !== current.userId) {
      throw new AppError('forbidden', 'customers may act on their own tickets only');
    }
    const decision = decideTicketTransition(current.status, lifecycleContextOf(current), change.event);
    if (!decision.ok) {
      throw new AppError(decision.code, refusalMessage(decision.code), {
        ticketId: current.id,
        status: current.status,
        event: change.event.type,
      });
    }
    return { status: decision.status, context: decision.context, ...(change.claims ? { claims: change.claims } : {}) };
  });
}

/**
 * Applies a work event (assignment, internal note, question to the customer): the status stays,
 * the ticket must still be open, and the history says who did what.
 */
export async function applyWorkEvent(
  repository: TicketRepository,
  ticketId: string,
  change: ChangeBase & { readonly event: TicketWorkEvent; readonly assigneeId?: string | null },
): Promise<Ticket> {
  return write(repository, ticketId, change, change.event, (current) => {
    if (!isOpenTicketStatus(current.status)) {
      throw new AppError('illegal_transition', 'the ticket is no longer open', { ticketId: current.id, status: current.status });
    }
    return {
      status: current.status,
      context: lifecycleContextOf(current),
      ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
    };
  });
}

/** What a step decides from the current ticket; the rest of the change is the same for every step. */
type Decision = Pick<TicketChange, 'status' | 'assigneeId' | 'claims'> & { readonly context: TicketLifecycleContext };

/** Writes one change: the decided status and context, one history line and the notification, in one transaction. */
async function write(
  repository: TicketRepository,
  ticketId: string,
  change: ChangeBase,
  event: HistoryEntry['event'],
  decide: (current: Ticket) => Decision,
): Promise<Ticket> {
  const id = requireTicketId(ticketId);
  const note = sanitizeNote(change.note);
  return repository.update(
    id,
    (current): TicketChange => {
      const { status, context, ...rest } = decide(current);
      const notification = change.notify?.(context);
      return {
        status,
        verifiedBy: context.verifiedBy,
        approvedBy: context.approvedBy,
        approvalAction: context.approvalAction,
        closeReason: context.closeReason,
        failureReason: context.failureReason,
        ...rest,
        ...(notification ? { notification } : {}),
        history: { at: change.at, actor: change.actor, event, from: current.status, to: status, note, detail: detailOf(change.detail, context) },
      };
    },
    change.options,
  );
}

function detailOf(detail: ChangeBase['detail'], context: TicketLifecycleContext): HistoryDetail | null {
  const value = typeof detail === 'function' ? detail(context) : detail;
  return value && Object.keys(value).length > 0 ? value : null;
}

export function lifecycleContextOf(ticket: Ticket): TicketLifecycleContext {
  return {
    reason: ticket.reason,
    verifiedBy: ticket.verifiedBy,
    approvedBy: ticket.approvedBy,
    approvalAction: ticket.approvalAction,
    closeReason: ticket.closeReason,
    failureReason: ticket.failureReason,
  };
}

export function requireTicketId(input: string): TicketId {
  const id = typeof input === 'string' ? parseTicketId(input) : null;
  if (!id) throw new AppError('not_found', 'ticket not found');
  return id;
}

/** A note or message as stored: trimmed, bounded, secrets removed; `null` when empty. */
export function sanitizeNote(note: string | null | undefined): string | null {
  if (note === null || note === undefined) return null;
  if (typeof note !== 'string') throw new AppError('invalid_input', 'note must be text', { field: 'note' });
  if (note.trim() === '') return null;
  if ([...note].length > NOTE_MAX_LENGTH) {
    throw new AppError('invalid_input', 'note is too long', { field: 'note', max: NOTE_MAX_LENGTH });
  }
  return sanitizeForStorage(note.trim()).text;
}

function refusalMessage(code: 'illegal_transition' | 'same_agent'): string {
  return code === 'same_agent'
    ? 'the agent who verified identity cannot also approve'
    : 'this action is not allowed in the ticket’s current status';
}
