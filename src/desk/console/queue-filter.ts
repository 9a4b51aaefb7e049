/**
 * The queue page's filters as the GET form sends them, translated to the desk API's query (the
 * same filters and search as the API), back into links (tabs, next page), and checked against a
 * ticket that changed so the live queue knows whether it belongs on the page.
 */
import { HANDOFF_REASONS, isHandoffReason, type HandoffReason } from '../../../flows/outcome.js';
import { isTicketStatus, OPEN_TICKET_STATUSES, TICKET_STATUSES, type TicketStatus } from '../../../flows/ticket-lifecycle/index.js';
import type { TicketSummary } from '../../tickets/ticket-queue.js';
import { field } from './console-http.js';
import { startOfDay } from './format.js';
import type { Language } from '../../i18n/language.js';

/** The status tabs: the open ones together, each status, everything. */
export const STATUS_TABS = ['open', ...TICKET_STATUSES, 'all'] as const;
export type StatusTab = (typeof STATUS_TABS)[number];

export const ASSIGNEE_CHOICES = ['any', 'me', 'none'] as const;
export type AssigneeChoice = (typeof ASSIGNEE_CHOICES)[number];

/** What the filter form shows and sends (dates as `YYYY-MM-DD` in the agent's zone). */
export interface QueueForm {
  readonly status: StatusTab;
  readonly reason: HandoffReason | '';
  readonly language: Language | '';
  readonly channel: string;
  readonly assignee: AssigneeChoice;
  readonly from: string;
  readonly to: string;
  readonly q: string;
  readonly cursor: string;
}

export const REASONS: readonly HandoffReason[] = HANDOFF_REASONS;

export function parseQueueForm(query: unknown): QueueForm {
  const status = field(query, 'status');
  const reason = field(query, 'reason');
  const language = field(query, 'language');
  const assignee = field(query, 'assignee');
  return {
    status: (STATUS_TABS as readonly string[]).includes(status ?? '') ? (status as StatusTab) : 'open',
    reason: isHandoffReason(reason) ? reason : '',
    language: language === 'ja' || language === 'en' ? language : '',
    channel: (field(query, 'channel') ?? '').trim().slice(0, 64),
    assignee: (ASSIGNEE_CHOICES as readonly string[]).includes(assignee ?? '') ? (assignee as AssigneeChoice) : 'any',
    from: (field(query, 'from') ?? '').slice(0, 10),
    to: (field(query, 'to') ?? '').slice(0, 10),
    q: (field(query, 'q') ?? '').slice(0, 254),
    cursor: (field(query, 'cursor') ?? '').slice(0, 200),
  };
}

/** Statuses a tab stands for (undefined: every status). */
export function tabStatuses(tab: StatusTab): readonly TicketStatus[] | undefined {
  if (tab === 'all') return undefined;
  return tab === 'open' ? OPEN_TICKET_STATUSES : [tab];
}

/** The desk API's `listTickets` query for the form. */
export function apiQuery(form: QueueForm, timeZone: string, limit: number): Record<string, string> {
  const statuses = tabStatuses(form.status);
  const createdFrom = form.from ? startOfDay(form.from, timeZone) : null;
  const createdTo = form.to ? startOfDay(form.to, timeZone, 1) : null;
  return {
    limit: String(limit),
    ...(statuses ? { status: statuses.join(',') } : {}),
    ...(form.reason ? { reason: form.reason } : {}),
    ...(form.language ? { language: form.language } : {}),
    ...(form.channel ? { channel: form.channel } : {}),
    ...(form.assignee !== 'any' ? { assignee: form.assignee } : {}),
    // A date that is not one is sent as is, so the API names the field it refuses.
    ...(form.from ? { createdFrom: createdFrom ?? form.from } : {}),
    ...(form.to ? { createdTo: createdTo ?? form.to } : {}),
    ...(form.q.trim() ? { q: form.q.trim() } : {}),
    ...(form.cursor ? { cursor: form.cursor } : {}),
  };
}

/** A link to the queue with the form's filters and some changed (empty values left out). */
export function queueHref(form: QueueForm, change: Partial<QueueForm> = {}): string {
  const merged = { ...form, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === '' || (key === 'status' && value === 'open') || (key === 'assignee' && value === 'any')) continue;
    params.set(key, value);
  }
  const qs = params.toString();
  return qs ? `/desk?${qs}` : '/desk';
}

/**
 * Whether a changed ticket belongs on the first page of this queue. `null` when the summary cannot
 * tell (a search by name or e-mail: summaries carry no personal data).
 */
export function matchesQueue(ticket: TicketSummary, form: QueueForm, agentId: string, timeZone: string): boolean | null {
  if (form.q.trim()) return null;
  const statuses = tabStatuses(form.status);
  if (statuses && !statuses.includes(ticket.status)) return false;
  if (form.reason && ticket.reason !== form.reason) return false;
  if (form.language && ticket.language !== form.language) return false;
  if (form.channel && ticket.channelId !== form.channel) return false;
  if (form.assignee === 'me' && ticket.assigneeId !== agentId) return false;
  if (form.assignee === 'none' && ticket.assigneeId !== null) return false;
  const from = form.from ? startOfDay(form.from, timeZone) : null;
  const to = form.to ? startOfDay(form.to, timeZone, 1) : null;
  if (from && ticket.createdAt < from) return false;
  if (to && ticket.createdAt >= to) return false;
  return true;
}

export function isStatusTab(value: unknown): value is StatusTab {
  return value === 'open' || value === 'all' || isTicketStatus(value);
}
