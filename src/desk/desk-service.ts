/**
 * The desk's use cases as the API (and through it the console and the command line) calls them:
 * every call names the signed-in agent (never an id from the request), is checked against the
 * role table, and runs through the agent ticket service. The HTTP layer writes the audit entry.
 */
import { AppError } from '../errors.js';
import type { CloseReason, VerificationFailureReason } from '../../flows/ticket-lifecycle/index.js';
import type { AgentTicketService } from '../tickets/agent-ticket-service.js';
import type { OutboxNotification } from '../tickets/outbox/notification.js';
import type { QueueFilter, QueuePageRequest, StatusCounts, TicketSummary, QueueCursor } from '../tickets/ticket-queue.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import type { HistoryEntry, Ticket } from '../tickets/ticket.js';
import type { TranscriptLine } from '../transcripts/transcript-lines.js';
import type { Agent } from './agents/agent.js';
import type { AuditFilter, AuditLog, AuditEntry } from './audit/audit-log.js';
import { availability, hasCapability, ticketActionsFor, type Availability, type DeskCapability, type TicketAction } from './desk-permissions.js';
import type { Language } from '../i18n/language.js';


/** One step of the customer's path as an agent reads it. */
export interface PathStepView {
  readonly stepId: string;
  /** What the bot said at that step, in the agent's language. */
  readonly question: string;
  /** The answer that led on, or `null` at the last step. */
  readonly answer: string | null;
}

export interface DeskServiceDeps {
  readonly tickets: AgentTicketService;
  readonly audit: AuditLog;
  /** The redacted conversation of a ticket, from the transcript store. */
  readonly readTranscript: (ticket: Ticket) => Promise<TranscriptLine[]>;
  /** The customer's trail and tried steps as questions and answers in `lang`. */
  readonly describePath: (ticket: Ticket, lang: Language) => { path: PathStepView[]; stepsTried: { stepId: string; title: string }[] };
  /** Called after a change that queued a customer notification. */
  readonly notificationsQueued: () => void;
  /** Whether an id names an agent who may hold tickets (exists and is not disabled). */
  readonly isActiveAgent: (agentId: string) => Promise<boolean>;
  readonly verificationSlaHours: number;
  readonly now?: () => Date;
}

/** Who is acting, and from where (for the audit trail). */
export interface DeskCaller {
  readonly agent: Pick<Agent, 'id' | 'role' | 'displayName'>;
  readonly sourceAddress: string | null;
}

/** A queue row with its wait measured against the verification SLA. */
export interface QueueRow extends TicketSummary {
  readonly waitingHours: number;
  /** When verification should be done by (createdAt + VERIFICATION_SLA_HOURS). */
  readonly slaDueAt: string;
  /** Still awaiting verification past the SLA. */
  readonly overdue: boolean;
}

export interface TicketView {
  readonly ticket: Omit<Ticket, 'claims' | 'history' | 'conversationReference' | 'path' | 'stepsTried' | 'userId' | 'conversationId'> & {
    readonly waitingHours: number;
    readonly slaDueAt: string;
    readonly overdue: boolean;
  };
  readonly claims: IdentityClaims;
  readonly history: readonly HistoryEntry[];
  readonly notifications: readonly Omit<OutboxNotification, 'conversationReference' | 'channelId' | 'language'>[];
  readonly path: readonly PathStepView[];
  readonly stepsTried: readonly { stepId: string; title: string }[];
  readonly transcript: readonly TranscriptLine[];
  readonly actions: Readonly<Record<TicketAction, Availability>>;
}

export type DeskService = ReturnType<typeof createDeskService>;

export function createDeskService(deps: DeskServiceDeps) {
  const { tickets, audit } = deps;
  const now = deps.now ?? (() => new Date());
  const slaMs = deps.verificationSlaHours * 3_600_000;

  function timing(t: Pick<Ticket, 'createdAt' | 'updatedAt' | 'status'>) {
    const created = Date.parse(t.createdAt);
    const open = t.status !== 'resolved' && t.status !== 'closed';
    const end = open ? now().getTime() : Date.parse(t.updatedAt);
    return {
      waitingHours: Math.max(0, Math.round(((end - created) / 3_600_000) * 10) / 10),
      slaDueAt: new Date(created + slaMs).toISOString(),
      overdue: t.status === 'awaiting_verification' && now().getTime() - created > slaMs,
    };
  }

  function require(caller: DeskCaller, capability: DeskCapability): void {
    if (!hasCapability(caller.agent, capability)) {
      throw new AppError('forbidden', `Your role (${caller.agent.role}) may not do this`, { capability });
    }
  }

  /** Refuses an action the agent may not take on this ticket now, before the lifecycle is asked. */
  async function allowed(caller: DeskCaller, ticketId: string, action: TicketAction): Promise<void> {
    const ticket = await tickets.get(ticketId);
    if (!ticket) throw new AppError('not_found', 'ticket not found');
    const verdict = availability(caller.agent, ticket, action);
    if (verdict.allowed) return;
    if (verdict.reason === 'role') throw new AppError('forbidden', `This needs the ${verdict.requiredRole ?? 'supervisor'} role`, { action, requiredRole: verdict.requiredRole });
    // Lifecycle refusals are left to the service, which names them precisely (same_agent, illegal_transition).
  }

  async function act(caller: DeskCaller, action: TicketAction, ticketId: string, run: () => Promise<Ticket>): Promise<Ticket> {
    await allowed(caller, ticketId, action);
    const ticket = await run();
    deps.notificationsQueued();
    return ticket;
  }

  return {
    /** The queue: one page plus counts per status. */
    async listQueue(caller: DeskCaller, filter: QueueFilter, page: QueuePageRequest): Promise<{ tickets: QueueRow[]; next: QueueCursor | null; counts: StatusCounts }> {
      require(caller, 'tickets.read');
      const [result, counts] = await Promise.all([tickets.listQueue(filter, page), tickets.countByStatus()]);
      return { tickets: result.tickets.map((t) => ({ ...t, ...timing(t) })), next: result.next, counts };
    },

    /** Everything an agent needs on one ticket. */
    async getTicket(caller: DeskCaller, ticketId: string, lang: Language): Promise<TicketView> {
        require(caller, 'tickets.read');
        const ticket = await tickets.get(ticketId);
        if (!ticket) throw new AppError('not_found', 'ticket not found');
        const [notifications, transcript] = await Promise.all([tickets.notifications(ticket.id), deps.readTranscript(ticket)]);
        const { claims, history, conversationReference: _ref, path: _path, stepsTried: _tried, userId: _user, conversationId: _conv, ...rest } = ticket;
        const described = deps.describePath(ticket, lang);
        return {
          ticket: { ...rest, ...timing(ticket) },
          claims,
          history,
          notifications: notifications.map(({ conversationReference: _r, channelId: _c, language: _l, ...n }) => n),
          path: described.path,
          stepsTried: described.stepsTried,
          transcript,
          actions: ticketActionsFor(caller.agent, ticket),
        };
    },

    /**
     * Takes a ticket (anyone), or gives it to someone else or back to the queue (a supervisor; an
     * agent may put back only a ticket they hold).
     */
    async assign(caller: DeskCaller, ticketId: string, assigneeId: string | null, version: number) {
      const current = await tickets.get(ticketId);
      if (!current) throw new AppError('not_found', 'ticket not found');
      const ownRelease = assigneeId === null && current.assigneeId === caller.agent.id;
      require(caller, assigneeId === caller.agent.id || ownRelease ? 'tickets.assign_self' : 'tickets.reassign');
      // A ticket given to nobody real would drop out of every agent's view, "mine" and "unassigned" alike.
      if (assigneeId !== null && assigneeId !== caller.agent.id && !(await deps.isActiveAgent(assigneeId))) {
        throw new AppError('invalid_input', 'The ticket can only be given to an active agent', { errors: [{ field: 'body.assigneeId', message: 'not an active agent' }] });
      }
      return tickets.assign(ticketId, caller.agent.id, assigneeId, { expectedVersion: version });
    },
    addNote: (caller: DeskCaller, ticketId: string, note: string, version: number) =>
      act(caller, 'note', ticketId, () => tickets.addNote(ticketId, caller.agent.id, note, { expectedVersion: version })),
    requestInfo: (caller: DeskCaller, ticketId: string, message: string, version: number) =>
      act(caller, 'request_info', ticketId, () => tickets.requestInfo(ticketId, caller.agent.id, message, { expectedVersion: version })),
    verify: (caller: DeskCaller, ticketId: string, note: string | null, version: number) =>
      act(caller, 'verify', ticketId, () => tickets.verifyIdentity(ticketId, caller.agent.id, { note, expectedVersion: version })),
    failVerification: (caller: DeskCaller, ticketId: string, reason: VerificationFailureReason, note: string | null, version: number) =>
      act(caller, 'fail', ticketId, () => tickets.failVerification(ticketId, caller.agent.id, reason, { note, expectedVersion: version })),
    approve: (caller: DeskCaller, ticketId: string, note: string | null, version: number) =>
      act(caller, 'approve', ticketId, () => tickets.approve(ticketId, caller.agent.id, { note, expectedVersion: version })),
    markCarriedOut: (caller: DeskCaller, ticketId: string, note: string | null, version: number) =>
      act(caller, 'carry_out', ticketId, () => tickets.markCarriedOut(ticketId, caller.agent.id, { note, expectedVersion: version })),
    resolve: (caller: DeskCaller, ticketId: string, note: string | null, version: number) =>
      act(caller, 'resolve', ticketId, () => tickets.resolve(ticketId, caller.agent.id, { note, expectedVersion: version })),
    close: (caller: DeskCaller, ticketId: string, reason: CloseReason, note: string | null, version: number) =>
      act(caller, 'close', ticketId, () => tickets.close(ticketId, caller.agent.id, reason, { note, expectedVersion: version })),

    /** Sends a failed customer notification again. */
    async retryNotification(caller: DeskCaller, ticketId: string, notificationId: number): Promise<void> {
      require(caller, 'tickets.notifications.retry');
      const own = (await tickets.notifications(ticketId)).some((n) => n.id === notificationId);
      if (!own) throw new AppError('not_found', 'notification not found');
      await tickets.requeueNotification(notificationId);
      deps.notificationsQueued();
    },

    /** The audit trail, for supervisors. */
    async listAudit(caller: DeskCaller, filter: AuditFilter): Promise<AuditEntry[]> {
      require(caller, 'audit.read');
      return audit.list(filter);
    },

    /** Writes one audit entry: the HTTP layer records every desk request that reads personal data or changes anything. */
    record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
      return audit.record({ at: now().toISOString(), ...entry });
    },

    /** Runs `work` for a caller with `capability` (agent administration uses it). */
    async guarded<T>(caller: DeskCaller, capability: DeskCapability, work: () => Promise<T>): Promise<T> {
      require(caller, capability);
      return work();
    },
  };
}
