/**
 * The card the agents' Teams channel shows for a ticket: an Adaptive Card 1.5 (Teams' ceiling)
 * built from the ticket's queue summary only, so no name, e-mail, claim or transcript can reach
 * the channel. Agents follow its button to the desk, where reading personal data is audited.
 *
 * Pure: no botbuilder and no clock of its own; the same ticket at the same time gives the same card.
 */
import type { Translate } from '../../i18n/i18n.js';
import type { TicketSummary } from '../../tickets/ticket-queue.js';

/** What a card may show: the queue summary's fields, nothing about the customer. */
export type AlertTicket = Pick<TicketSummary, 'id' | 'reason' | 'language' | 'channelId' | 'status' | 'assigneeId' | 'createdAt' | 'updatedAt'>;

export interface TicketAlertCardOptions {
  /** A translator in the agents' language (DESK_ALERT_LANGUAGE). */
  readonly t: Translate;
  readonly verificationSlaHours: number;
  /** The desk's public origin (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string;
  /** The time the card is drawn at, for the waiting time. */
  readonly now: Date;
}

/** A card and the one-line text Teams shows in notifications and the activity feed. */
export interface TicketAlert {
  readonly card: Record<string, unknown>;
  readonly summary: string;
  /** Whether the card marks the ticket overdue (a card drawn before the deadline is redrawn after it). */
  readonly overdue: boolean;
  /** When verification is due, while the ticket awaits it; else `null`. */
  readonly verificationDueAt: string | null;
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

const HOUR_MS = 3_600_000;
const FINISHED = new Set<string>(['resolved', 'closed']);
/** Channel ids the card names; any other is shown by its id, reduced to characters that cannot form markup. */
const KNOWN_CHANNELS = new Set(['msteams', 'local-webchat', 'directline', 'webchat', 'emulator']);

/** The desk console's page of one ticket. */
export function ticketConsoleUrl(publicBaseUrl: string, ticketId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/desk/tickets/${encodeURIComponent(ticketId)}`;
}

/**
 * How long the ticket has waited and whether it is past the verification target: the same rule as
 * the desk's queue (only a ticket still awaiting verification can be overdue; a finished ticket's
 * wait ends at its last change).
 */
export function alertTiming(ticket: Pick<AlertTicket, 'status' | 'createdAt' | 'updatedAt'>, slaHours: number, now: Date) {
  const created = Date.parse(ticket.createdAt);
  const end = FINISHED.has(ticket.status) ? Date.parse(ticket.updatedAt) : now.getTime();
  const awaiting = ticket.status === 'awaiting_verification';
  const due = created + slaHours * HOUR_MS;
  return {
    waitedMs: Math.max(0, end - created),
    verificationDueAt: awaiting ? new Date(due).toISOString() : null,
    overdue: awaiting && now.getTime() > due,
  };
}

/** Builds the card for one ticket as it is now. */
export function ticketAlertCard(ticket: AlertTicket, options: TicketAlertCardOptions): TicketAlert {
  const { t, verificationSlaHours: slaHours } = options;
  const timing = alertTiming(ticket, slaHours, options.now);
  const reason = t(`tickets:reason.${ticket.reason}`);
  const status = t(`tickets:status.${ticket.status}`);
  const duration = durationText(t, timing.waitedMs);
  const waiting = FINISHED.has(ticket.status)
    ? t('alerts:card.waiting.done', { duration })
    : timing.overdue
      ? t('alerts:card.waiting.overdue', { duration, slaHours })
      : ticket.status === 'awaiting_verification'
        ? t('alerts:card.waiting.open', { duration, slaHours })
        : t('alerts:card.waiting.working', { duration });
  const times =
    timing.verificationDueAt !== null
      ? t('alerts:card.times.awaiting', { opened: cardTime(ticket.createdAt), due: cardTime(timing.verificationDueAt) })
      : t('alerts:card.times.other', { opened: cardTime(ticket.createdAt), updated: cardTime(ticket.updatedAt) });

  const header: Record<string, unknown>[] = [
    { type: 'TextBlock', text: t('alerts:card.title', { ticketId: ticket.id }), weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  if (timing.overdue) header.push({ type: 'TextBlock', text: t('alerts:card.overdue', { slaHours }), color: 'Attention', weight: 'Bolder', wrap: true });

  const card = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: t('alerts:card.summary', { ticketId: ticket.id, reason, status }),
    body: [
      { type: 'Container', style: timing.overdue ? 'attention' : FINISHED.has(ticket.status) ? 'good' : 'emphasis', bleed: true, items: header },
      {
        type: 'FactSet',
        facts: [
          { title: t('alerts:card.fact.status'), value: status },
          { title: t('alerts:card.fact.reason'), value: reason },
          { title: t('alerts:card.fact.language'), value: t(`alerts:language.${ticket.language}`) },
          { title: t('alerts:card.fact.channel'), value: channelText(t, ticket.channelId) },
          { title: t('alerts:card.fact.waiting'), value: waiting },
          { title: t('alerts:card.fact.assignee'), value: ticket.assigneeId === null ? t('alerts:card.unassigned') : plainId(ticket.assigneeId) },
        ],
      },
      { type: 'TextBlock', text: times, isSubtle: true, size: 'Small', wrap: true },
      { type: 'TextBlock', text: t('alerts:card.privacy'), isSubtle: true, size: 'Small', wrap: true },
    ],
    actions: [{ type: 'Action.OpenUrl', title: t('alerts:card.open'), url: ticketConsoleUrl(options.publicBaseUrl, ticket.id) }],
  };
  return {
    card,
    summary: t('alerts:card.summary', { ticketId: ticket.id, reason, status }),
    overdue: timing.overdue,
    verificationDueAt: timing.verificationDueAt,
  };
}

function durationText(t: Translate, ms: number): string {
  const hours = Math.floor(ms / HOUR_MS);
  if (hours < 1) return t('alerts:duration.underAnHour');
  if (hours < 48) return t('alerts:duration.hours', { hours });
  return t('alerts:duration.days', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/**
 * A time Teams shows in each reader's own time zone and locale (the Adaptive Card DATE/TIME
 * functions; they take RFC 3339 without fractions of a second).
 */
function cardTime(iso: string): string {
  const rfc3339 = new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${rfc3339}, SHORT)}} {{TIME(${rfc3339})}}`;
}

function channelText(t: Translate, channelId: string): string {
  if (KNOWN_CHANNELS.has(channelId)) return t(`alerts:channel.${channelId}`);
  return t('alerts:channel.other', { id: plainId(channelId) || '?' });
}

/** Ids shown on the card keep only characters that cannot make a Markdown link or markup. */
function plainId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
}
