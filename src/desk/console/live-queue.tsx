/**
 * One queue page's event stream: each changed ticket rendered as the row the page would show (in
 * the agent's language and time zone, assignee by name), whether it belongs to the page's filters,
 * the new counts per status, and the sentence a screen reader announces.
 */
import type { TicketSummary } from '../../tickets/ticket-queue.js';
import type { Agent } from '../agents/agent.js';
import type { LiveStream } from './console-events.js';
import type { ConsoleSession } from './console-session.js';
import { matchesQueue, STATUS_TABS, type QueueForm } from './queue-filter.js';
import { QueueRowView, rowOf, tabCount } from './queue-page.js';
import { renderFragment } from './render.js';
import type { QueueAnswer } from './ticket-view.js';

export interface LiveQueueOptions {
  readonly session: ConsoleSession;
  readonly form: QueueForm;
  readonly slaHours: number;
  readonly listAgents: () => Promise<readonly Agent[]>;
  readonly signedIn: () => Promise<boolean>;
}

/** The data of a `ticket` event. */
export interface TicketEvent {
  readonly ticket: TicketSummary;
  /** The `<tr>` for the queue table (escaped markup). */
  readonly row: string;
  /** Whether the ticket belongs on the page's first page; null when the summary cannot tell (a search). */
  readonly matches: boolean | null;
  /** What each status tab now counts (`open`, each status, `all`). */
  readonly counts: Readonly<Record<string, number>>;
  /** For the live region: a new ticket, or a change to one already listed. */
  readonly added: string;
  readonly updated: string;
}

export function liveQueueStream(o: LiveQueueOptions): LiveStream {
  const { session: s } = o;
  return {
    signedIn: o.signedIn,
    async render(ticket): Promise<TicketEvent | null> {
      // Through the API like every console read: the counts, and a check the agent may still see the queue.
      const outcome = await s.run('listTickets', { query: { limit: '1' } });
      if (!outcome.ok) return null;
      const agents = await o.listAgents();
      const now = new Date();
      const page = { ...s.page, now };
      const { t } = page;
      const row = renderFragment(page, <QueueRowView row={rowOf(ticket, o.slaHours, now)} agentNames={new Map(agents.map((a) => [a.id, a.displayName]))} />);
      return {
        ticket,
        row,
        matches: matchesQueue(ticket, o.form, s.auth.agent.id, page.timeZone),
        counts: Object.fromEntries(STATUS_TABS.map((tab) => [tab, tabCount(tab, (outcome.result.body as QueueAnswer).counts) ?? 0])),
        added: t('desk:live.added', { id: ticket.id, reason: t(`desk:reason.${ticket.reason}`) }),
        updated: t('desk:live.updated', { id: ticket.id, status: t(`desk:status.${ticket.status}`) }),
      };
    },
  };
}
