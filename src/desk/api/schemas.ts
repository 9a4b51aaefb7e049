/**
 * The desk API's inputs and outputs as zod schemas: requests are validated by them and the
 * OpenAPI document is generated from them (openapi.ts), so the two cannot drift apart.
 */
import { z } from 'zod';
import { HANDOFF_REASONS } from '../../../flows/outcome.js';
import {
  APPROVAL_ACTIONS,
  CLOSE_REASONS,
  TICKET_STATUSES,
  VERIFICATION_FAILURE_REASONS,
} from '../../../flows/ticket-lifecycle/index.js';
import { NOTIFICATION_KINDS, DELIVERY_STATUSES } from '../../tickets/outbox/notification.js';
import { AGENT_ROLES } from '../agents/agent.js';
import { TICKET_ACTIONS } from '../desk-permissions.js';
import { AUDIT_OUTCOMES } from '../audit/audit-log.js';
import { LANGUAGES } from '../../i18n/language.js';

/** A comma-separated list in a query string (`status=verified,awaiting_verification`). */
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

const isoTime = z.iso.datetime({ offset: true });
const ticketId = z.string().regex(/^TFA-[0-9A-HJKMNP-TV-Z]{8}$/i).meta({ description: 'Ticket number, e.g. TFA-7K3M9Q2P' });
const note = z.string().max(2000);
export const LangSchema = z.enum(LANGUAGES);

export const TicketIdParams = z.object({ id: ticketId });
export const NotificationParams = z.object({ id: ticketId, notificationId: z.coerce.number().int().positive() });
export const AgentIdParams = z.object({ id: z.string().min(1).max(64) });
export const TokenParams = z.object({ id: z.string().min(1).max(64), tokenId: z.string().min(1).max(64) });

export const QueueQuery = z.object({
  status: csv(TICKET_STATUSES).optional(),
  reason: csv(HANDOFF_REASONS).optional(),
  language: LangSchema.optional(),
  channel: z.string().min(1).max(64).optional(),
  assignee: z.string().min(1).max(64).optional().meta({ description: 'An agent id, `me`, or `none` for unassigned tickets' }),
  createdFrom: isoTime.optional(),
  createdTo: isoTime.optional(),
  q: z.string().trim().min(2).max(254).optional().meta({ description: 'Ticket number, e-mail or name (the start of it)' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().meta({ description: 'The `next` value of the previous page' }),
});

export const TicketQuery = z.object({ lang: LangSchema.optional() });

export const AssignBody = z.object({
  assigneeId: z.string().min(1).max(64).nullable().meta({ description: 'Agent id (`me` for yourself), or null to put the ticket back in the queue' }),
});
export const NoteBody = z.object({ note: note.trim().min(1) });
export const OptionalNoteBody = z.object({ note: note.optional() }).default({});
export const FailBody = z.object({ reason: z.enum(VERIFICATION_FAILURE_REASONS), note: note.optional() });
export const RequestInfoBody = z.object({ message: z.string().trim().min(1).max(2000) });
export const CloseBody = z.object({ reason: z.enum(CLOSE_REASONS), note: note.optional() });

export const AuditQuery = z.object({
  agent: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(64).optional(),
  ticket: ticketId.optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.coerce.number().int().positive().optional(),
});

export const NewAgentBody = z.object({
  displayName: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  role: z.enum(AGENT_ROLES),
});
export const AgentPatchBody = z
  .object({ role: z.enum(AGENT_ROLES).optional(), active: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.active !== undefined, { message: 'role or active is required' });
export const NewTokenBody = z.object({
  label: z.string().trim().min(1).max(100).default('api'),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

// ---- Responses (documentation; the handlers build them from the services' types) ----

const Availability = z.object({
  allowed: z.boolean(),
  reason: z.enum(['role', 'status', 'own_verification', 'no_change_needed', 'change_needed', 'closed']).optional(),
  requiredRole: z.enum(AGENT_ROLES).optional(),
});

export const QueueRowSchema = z.object({
  id: ticketId,
  reason: z.enum(HANDOFF_REASONS),
  language: LangSchema,
  channelId: z.string(),
  status: z.enum(TICKET_STATUSES),
  assigneeId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  version: z.number().int(),
  failedNotifications: z.number().int(),
  waitingHours: z.number(),
  slaDueAt: isoTime,
  overdue: z.boolean(),
});

export const QueueResponse = z.object({
  tickets: z.array(QueueRowSchema),
  next: z.string().nullable(),
  counts: z.record(z.enum(TICKET_STATUSES), z.number().int()),
  slaHours: z.number().int(),
});

const HistoryEntrySchema = z.object({
  at: isoTime,
  actor: z.object({ kind: z.enum(['customer', 'agent', 'system']), id: z.string() }),
  event: z.string(),
  from: z.enum(TICKET_STATUSES).nullable(),
  to: z.enum(TICKET_STATUSES),
  note: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const TicketResponse = z.object({
  ticket: QueueRowSchema.omit({ failedNotifications: true }).extend({
    tenantId: z.string().nullable(),
    closeReason: z.enum(CLOSE_REASONS).nullable(),
    failureReason: z.enum(VERIFICATION_FAILURE_REASONS).nullable(),
    approvalAction: z.enum(APPROVAL_ACTIONS).nullable(),
    verifiedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
  }),
  claims: z.object({
    email: z.string(),
    fullName: z.string(),
    dateOfBirth: z.string(),
    phoneLast4: z.string().optional(),
    description: z.string(),
  }),
  history: z.array(HistoryEntrySchema),
  notifications: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(NOTIFICATION_KINDS),
      status: z.enum(DELIVERY_STATUSES),
      attempts: z.number().int(),
      createdAt: isoTime,
      nextAttemptAt: isoTime,
      deliveredAt: isoTime.nullable(),
      lastError: z.string().nullable(),
    }),
  ),
  path: z.array(z.object({ stepId: z.string(), question: z.string(), answer: z.string().nullable() })),
  stepsTried: z.array(z.object({ stepId: z.string(), title: z.string() })),
  transcript: z.array(z.object({ at: isoTime.nullable(), from: z.enum(['customer', 'bot']), text: z.string() })),
  actions: z.record(z.enum(TICKET_ACTIONS), Availability),
});

export const ActionResponse = z.object({
  ticket: z.object({
    id: ticketId,
    status: z.enum(TICKET_STATUSES),
    version: z.number().int(),
    assigneeId: z.string().nullable(),
    approvalAction: z.enum(APPROVAL_ACTIONS).nullable(),
    updatedAt: isoTime,
  }),
});

export const AuditResponse = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      at: isoTime,
      agentId: z.string().nullable(),
      action: z.string(),
      ticketId: z.string().nullable(),
      subjectId: z.string().nullable().meta({ description: 'For agent administration: the agent acted on' }),
      sourceAddress: z.string().nullable(),
      outcome: z.enum(AUDIT_OUTCOMES),
      code: z.string().nullable(),
    }),
  ),
  next: z.number().int().nullable(),
});

export const AgentSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: z.enum(AGENT_ROLES),
  active: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export const TokenInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  prefix: z.string(),
  createdAt: isoTime,
  expiresAt: isoTime.nullable(),
  lastUsedAt: isoTime.nullable(),
  revokedAt: isoTime.nullable(),
});
export const IssuedTokenResponse = z.object({ token: TokenInfoSchema, secret: z.string().meta({ description: 'Shown once; only its hash is stored' }) });

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
