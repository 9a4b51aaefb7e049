/**
 * One queue page's event stream: each changed ticket rendered as the row the page would show (in
 * the agent's language and time zone, assignee by name), whether it belongs to the page's filters,
 * the new counts per status, and the sentence a screen reader announces. The counts, the agent
 * list and the row for a language and zone are the same for every stream: computed once per
 * change (see {@link SharedChange}), only the fit to the page's filters is the stream's own.
 */
import type { TicketSummary } from '../../tickets/ticket-queue.js';
import type { Agent } from '../agents/agent.js';
import type { LiveStream, SharedChange } from './console-events.js';
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
  /** The session the stream belongs to (see {@link LiveStream.sessionKey}). */
  readonly sessionKey: string;
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
  /** Through the API like every console read: the counts, and a check the agent may still see the queue. */
  const countsOf = async (): Promise<Readonly<Record<string, number>> | null> => {
    const outcome = await s.run('listTickets', { query: { limit: '1' } });
    if (!outcome.ok) return null;
    return Object.fromEntries(STATUS_TABS.map((tab) => [tab, tabCount(tab, (outcome.result.body as QueueAnswer).counts) ?? 0]));
  };
  return {
    sessionKey: o.sessionKey,
    signedIn: o.signedIn,
    async render(ticket, change: SharedChange): Promise<TicketEvent | null> {
      let asked = false;
      const shared = await change.once('counts', () => {
        asked = true;
        return countsOf();
      });
      // Refused for the stream that asked first: ask for this one's agent rather than drop the event.
      const counts = shared ?? (asked ? null : await countsOf());
      if (counts === null) return null;
      const now = await change.once('now', async () => new Date());
      const page = { ...s.page, now };
      const { t } = page;
      const row = await change.once(`row:${page.lang}:${page.timeZone}`, async () => {
        const agentNames = await change.once('agentNames', async () => new Map((await o.listAgents()).map((a) => [a.id, a.displayName])));
        return renderFragment(page, <QueueRowView row={rowOf(ticket, o.slaHours, now)} agentNames={agentNames} />);
      });
      return {
        ticket,
        row,
        matches: matchesQueue(ticket, o.form, s.auth.agent.id, page.timeZone),
        counts,
        added: t('desk:live.added', { id: ticket.id, reason: t(`desk:reason.${ticket.reason}`) }),
        updated: t('desk:live.updated', { id: ticket.id, status: t(`desk:status.${ticket.status}`) }),
      };
    },
  };
}
