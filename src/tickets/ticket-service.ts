/**
 * Ticket use cases of the chat: handoff, resubmitted claims, status questions, a customer's own
 * close. Agents' actions are in agent-ticket-service.ts.
 * Rules live in the lifecycle machine; this module reads it, sanitises free text, and asks the
 * repository to decide and write in one transaction, so a refused action changes nothing.
 */
import { AppError, isAppError } from '../errors.js';
import { type CloseReason, type TicketActor, type TicketLifecycleEvent, isCloseReason } from '../../flows/ticket-lifecycle/index.js';
import { sanitizeForStorage } from '../privacy/sanitize.js';
import type { SecretKind } from '../privacy/redact.js';
import { handoffRequestSchema, type HandoffRequest } from './handoff-request.js';
import { validateIdentityClaims, type ClaimsValidationOptions } from '../identity/identity-claims.js';
import { applyLifecycleEvent } from './ticket-change.js';
import { generateTicketId, parseTicketId } from '../ticket-id.js';
import { latestEvent, type TicketEvent, type TicketOutcome } from './ticket-events.js';
import type { TicketRepository, UpdateOptions } from './ticket-repository.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import type { CustomerRef, Ticket, TicketId } from './ticket.js';

export interface TicketServiceDeps {
  readonly repository: TicketRepository;
  readonly now?: () => Date;
  readonly newTicketId?: () => TicketId;
  readonly claims?: ClaimsValidationOptions;
}

export interface HandoffOutcome {
  readonly ticket: Ticket;
  /** False when an existing ticket was returned (same conversation and reason, or same activity). */
  readonly created: boolean;
  /** The change to tell the customer about; `null` when an existing ticket came back unchanged. */
  readonly event: TicketEvent | null;
  /** Secret kinds removed from the description: the chat warns the customer about each. */
  readonly secretsFound: readonly SecretKind[];
}

export type TicketService = ReturnType<typeof createTicketService>;

const ID_ATTEMPTS = 5;

/** Builds the ticket use cases over a repository. */
export function createTicketService(deps: TicketServiceDeps) {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());
  const newTicketId = deps.newTicketId ?? (() => generateTicketId());

  /** Applies one lifecycle event for the customer or the system; refused events throw and write nothing. */
  async function apply(
    ticketId: string,
    actor: TicketActor,
    event: TicketLifecycleEvent,
    note: string | null | undefined,
    options: UpdateOptions = {},
    claims?: IdentityClaims,
  ): Promise<TicketOutcome> {
    const ticket = await applyLifecycleEvent(repository, ticketId, {
      actor,
      event,
      note,
      at: now().toISOString(),
      options,
      ...(claims ? { claims } : {}),
      ...(event.type === 'ticket.closed' ? { detail: { closeReason: event.reason } } : {}),
      // The customer knows what they did themselves; a close by the system (no response…) is news to them.
      ...(event.type === 'ticket.closed' && actor.kind === 'system'
        ? { notify: () => ({ kind: 'closed' as const, params: { closeReason: event.reason } }) }
        : {}),
    });
    return { ticket, event: latestEvent(ticket) };
  }

  function validateClaims(input: unknown): { claims: IdentityClaims; secretsFound: SecretKind[] } {
    const result = validateIdentityClaims(input, deps.claims);
    if (!result.ok) {
      throw new AppError('invalid_input', 'identity claims are invalid', { errors: result.errors });
    }
    // The description is free text: secrets never stored; e-mail and phone stay only in their fields.
    const description = sanitizeForStorage(result.claims.description);
    return { claims: { ...result.claims, description: description.text }, secretsFound: description.found };
  }

  return {
    /**
     * Opens the ticket for a handoff, or returns the one that already exists for the same activity
     * (redelivery) or the same conversation and reason while open. If that existing ticket had failed
     * verification, the new claims are taken as a resubmission and it returns to
     * `awaiting_verification`. Safe under concurrent calls: one ticket, never two.
     */
    async openForHandoff(request: HandoffRequest): Promise<HandoffOutcome> {
      const parsed = handoffRequestSchema.safeParse(request);
      if (!parsed.success) {
        throw new AppError('invalid_input', 'handoff request is invalid', {
          fields: [...new Set(parsed.error.issues.map((i) => String(i.path[0])))],
        });
      }
      const r = parsed.data;
      const { claims, secretsFound } = validateClaims(r.claims);
      const createdAt = now().toISOString();
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await repository.findOrCreateOpen(
            {
              id: newTicketId(),
              reason: r.reason,
              language: r.language,
              channelId: r.channelId,
              userId: r.userId,
              tenantId: r.tenantId,
              conversationId: r.conversationId,
              conversationReference: r.conversationReference,
              claims,
              path: r.path,
              stepsTried: r.stepsTried,
              createdAt,
              openedBy: { kind: 'customer', id: r.userId },
              note: null,
            },
            r.activityId,
          );
          if (result.created) {
            return { ticket: result.ticket, created: true, event: latestEvent(result.ticket), secretsFound };
          }
          if (result.matchedBy === 'conversation' && result.ticket.status === 'verification_failed') {
            const customer: TicketActor = { kind: 'customer', id: r.userId };
            return await resubmit(result.ticket.id, customer, claims, secretsFound, { raceTolerant: true });
          }
          return { ticket: result.ticket, created: false, event: null, secretsFound };
        } catch (err) {
          const idTaken = isAppError(err) && err.code === 'conflict' && err.details?.['field'] === 'id';
          if (!idTaken || attempt >= ID_ATTEMPTS) throw err;
        }
      }
    },

    /** The customer sends corrected claims for a ticket whose verification failed (reopen rule). */
    async resubmitClaims(ticketId: string, customer: CustomerRef, claimsInput: unknown): Promise<HandoffOutcome> {
      const ticket = await getForCustomer(customer, ticketId);
      if (!ticket) throw new AppError('not_found', 'ticket not found');
      const { claims, secretsFound } = validateClaims(claimsInput);
      return resubmit(ticket.id, { kind: 'customer', id: customer.userId }, claims, secretsFound, { raceTolerant: false });
    },

    /** The customer (or the system) closes an open ticket; a customer may close only their own. Agents use the agent service. */
    async close(ticketId: string, actor: TicketActor, reason: CloseReason, note?: string | null, options?: UpdateOptions) {
      if (!isCloseReason(reason)) throw new AppError('invalid_input', 'unknown close reason', { field: 'reason' });
      const who = requireActor(actor);
      return apply(ticketId, who, { type: 'ticket.closed', actor: who, reason }, note, options);
    },

    /** Any ticket by id, as typed (for the system and tests; agents go through the desk). */
    async get(ticketId: string): Promise<Ticket | undefined> {
      const id = parseTicketId(ticketId);
      return id ? repository.get(id) : undefined;
    },

    /** The customer's own tickets, newest first; nobody else's. */
    findForCustomer(channelId: string, userId: string): Promise<Ticket[]> {
      return repository.listForCustomer({ channelId, userId });
    },

    getForCustomer,
  };

  /** One ticket if (and only if) it belongs to the customer; accepts the id as typed. */
  async function getForCustomer(customer: CustomerRef, ticketId: string): Promise<Ticket | undefined> {
    const id = parseTicketId(ticketId);
    if (!id) return undefined;
    const ticket = await repository.get(id);
    return ticket && ticket.channelId === customer.channelId && ticket.userId === customer.userId
      ? ticket
      : undefined;
  }

  async function resubmit(
    id: TicketId,
    actor: TicketActor,
    claims: IdentityClaims,
    secretsFound: SecretKind[],
    { raceTolerant }: { raceTolerant: boolean },
  ): Promise<HandoffOutcome> {
    try {
      const outcome = await apply(id, actor, { type: 'claims.resubmitted' }, null, {}, claims);
      return { ...outcome, created: false, secretsFound };
    } catch (err) {
      // From a handoff: a concurrent resubmission won and the ticket is already back in review,
      // so return it as it is. An explicit resubmission to a ticket in another status is refused.
      if (!raceTolerant || !isAppError(err) || err.code !== 'illegal_transition') throw err;
      const current = await repository.get(id);
      if (!current) throw err;
      return { ticket: current, created: false, event: null, secretsFound };
    }
  }
}

function requireActor(actor: TicketActor): TicketActor {
  const kinds: readonly string[] = ['customer', 'agent', 'system'];
  if (!actor || !kinds.includes(actor.kind) || typeof actor.id !== 'string' || actor.id.trim() === '') {
    throw new AppError('invalid_input', 'actor is required', { field: 'actor' });
  }
  return { kind: actor.kind, id: actor.id.trim() };
}
