/** The desk API's ticket routes: the queue, one ticket, and every action on it. */
import { AppError } from '../../errors.js';
import type { QueueCursor, QueueFilter } from '../../tickets/ticket-queue.js';
import type { Ticket } from '../../tickets/ticket.js';
import type { DeskCaller, DeskService } from '../desk-service.js';
import { defineRoute, type DeskRoute, type RouteResult } from './route.js';
import {
  ActionResponse,
  AssignBody,
  CloseBody,
  FailBody,
  NoteBody,
  NotificationParams,
  OptionalNoteBody,
  QueueQuery,
  QueueResponse,
  RequestInfoBody,
  TicketIdParams,
  TicketQuery,
  TicketResponse,
} from './schemas.js';
import { z } from 'zod';
import type { Language } from '../../i18n/language.js';

export interface TicketRoutesDeps {
  readonly desk: DeskService;
  readonly verificationSlaHours: number;
  readonly defaultLanguage: Language;
}

/** The short answer to an action: the ticket's new status and version (also sent as ETag). */
function actionResult(ticket: Ticket): RouteResult {
  const { id, status, version, assigneeId, approvalAction, updatedAt } = ticket;
  return { body: { ticket: { id, status, version, assigneeId, approvalAction, updatedAt } }, version };
}

function requireVersion(version: number | null): number {
  if (version === null) throw new AppError('precondition_required', 'Send the ticket version you based this on in If-Match (the ETag of GET /api/desk/tickets/{id})');
  return version;
}

export function encodeCursor(cursor: QueueCursor | null): string | null {
  return cursor ? Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url') : null;
}

function decodeCursor(value: string | undefined): QueueCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { createdAt: parsed[0], id: parsed[1] as QueueCursor['id'] };
    }
  } catch {
    // fall through to the refusal
  }
  throw new AppError('invalid_input', 'Invalid cursor', { errors: [{ field: 'query.cursor', message: 'not a cursor from this API' }] });
}

function assigneeFilter(value: string | undefined, caller: DeskCaller): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  return value === 'me' ? caller.agent.id : value;
}

const actionBase = { method: 'post' as const, tag: 'tickets' as const, params: TicketIdParams, ifMatch: true, response: ActionResponse };

/** An action whose only input is an optional note for the history (verify, approve, carry out, resolve). */
function noteOnlyAction(
  segment: string,
  operationId: string,
  summary: string,
  role: DeskRoute['role'],
  run: (caller: DeskCaller, ticketId: string, note: string | null, version: number) => Promise<Ticket>,
): DeskRoute {
  return defineRoute({
    ...actionBase,
    path: `/api/desk/tickets/{id}/${segment}`,
    operationId,
    summary,
    role,
    body: OptionalNoteBody,
    handle: async ({ caller, params, body, version }) => actionResult(await run(caller, params.id, body.note ?? null, requireVersion(version))),
  });
}

export function ticketRoutes({ desk, verificationSlaHours, defaultLanguage }: TicketRoutesDeps): DeskRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/desk/tickets',
      operationId: 'listTickets',
      summary: 'The queue: filters, search, newest first, cursor paging, counts per status',
      tag: 'tickets',
      role: 'agent',
      query: QueueQuery,
      response: QueueResponse,
      // A search by e-mail or name is a look-up of personal data; browsing the queue is not.
      audit: (query) => typeof query['q'] === 'string' && query['q'] !== '',
      handle: async ({ caller, query }) => {
        const filter: QueueFilter = {
          ...(query.status ? { status: query.status } : {}),
          ...(query.reason ? { reason: query.reason } : {}),
          ...(query.language ? { language: query.language } : {}),
          ...(query.channel ? { channelId: query.channel } : {}),
          ...(query.assignee !== undefined ? { assigneeId: assigneeFilter(query.assignee, caller) ?? null } : {}),
          ...(query.createdFrom ? { createdFrom: new Date(query.createdFrom).toISOString() } : {}),
          ...(query.createdTo ? { createdTo: new Date(query.createdTo).toISOString() } : {}),
          ...(query.q ? { q: query.q } : {}),
        };
        const after = decodeCursor(query.cursor);
        const page = await desk.listQueue(caller, filter, { limit: query.limit, ...(after ? { after } : {}) });
        return { body: { tickets: page.tickets, next: encodeCursor(page.next), counts: page.counts, slaHours: verificationSlaHours } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/desk/tickets/{id}',
      operationId: 'getTicket',
      summary: 'One ticket: claims, history, notes, notifications, path, transcript, available actions (reading it is audited)',
      tag: 'tickets',
      role: 'agent',
      params: TicketIdParams,
      query: TicketQuery,
      response: TicketResponse,
      handle: async ({ caller, params, query }) => {
        const view = await desk.getTicket(caller, params.id, query.lang ?? defaultLanguage);
        return { body: view, version: view.ticket.version };
      },
    }),
    defineRoute({
      ...actionBase,
      path: '/api/desk/tickets/{id}/assign',
      operationId: 'assignTicket',
      summary: 'Take the ticket (assigneeId "me"), or reassign it or put it back (supervisor)',
      role: 'agent',
      body: AssignBody,
      handle: async ({ caller, params, body, version }) => {
        const assignee = body.assigneeId === 'me' ? caller.agent.id : body.assigneeId;
        return actionResult(await desk.assign(caller, params.id, assignee, requireVersion(version)));
      },
    }),
    defineRoute({
      ...actionBase,
      path: '/api/desk/tickets/{id}/notes',
      operationId: 'addNote',
      summary: 'Add an internal note (never shown to the customer)',
      role: 'agent',
      body: NoteBody,
      handle: async ({ caller, params, body, version }) => actionResult(await desk.addNote(caller, params.id, body.note, requireVersion(version))),
    }),
    noteOnlyAction('verify', 'verifyIdentity', "Confirm the customer's identity", 'agent', desk.verify),
    defineRoute({
      ...actionBase,
      path: '/api/desk/tickets/{id}/fail',
      operationId: 'failVerification',
      summary: 'Identity could not be verified: a reason the customer is shown, and a note',
      role: 'agent',
      body: FailBody,
      handle: async ({ caller, params, body, version }) =>
        actionResult(await desk.failVerification(caller, params.id, body.reason, body.note ?? null, requireVersion(version))),
    }),
    noteOnlyAction('approve', 'approveChange', 'Approve the change the reason calls for (supervisor; not the agent who verified)', 'supervisor', desk.approve),
    noteOnlyAction('carry-out', 'markCarriedOut', 'The approved change has been made on the account (the customer is told it is done)', 'agent', desk.markCarriedOut),
    defineRoute({
      ...actionBase,
      path: '/api/desk/tickets/{id}/request-info',
      operationId: 'requestInfo',
      summary: "Ask the customer for more information (a message into their conversation, in their language)",
      role: 'agent',
      body: RequestInfoBody,
      handle: async ({ caller, params, body, version }) => actionResult(await desk.requestInfo(caller, params.id, body.message, requireVersion(version))),
    }),
    noteOnlyAction('resolve', 'resolveTicket', 'Resolve a verified request that needs no account change', 'agent', desk.resolve),
    defineRoute({
      ...actionBase,
      path: '/api/desk/tickets/{id}/close',
      operationId: 'closeTicket',
      summary: 'Close without resolution, with a reason',
      role: 'agent',
      body: CloseBody,
      handle: async ({ caller, params, body, version }) =>
        actionResult(await desk.close(caller, params.id, body.reason, body.note ?? null, requireVersion(version))),
    }),
    defineRoute({
      method: 'post',
      path: '/api/desk/tickets/{id}/notifications/{notificationId}/retry',
      operationId: 'retryNotification',
      summary: 'Send a failed customer notification again',
      tag: 'tickets',
      role: 'agent',
      params: NotificationParams,
      response: z.object({ queued: z.literal(true) }),
      handle: async ({ caller, params }) => {
        await desk.retryNotification(caller, params.id, params.notificationId);
        return { status: 202, body: { queued: true } };
      },
    }),
  ];
}
