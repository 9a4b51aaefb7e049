/**
 * `/desk/tickets/:id`: what an agent needs to work one ticket. Left, the case: who the customer
 * says they are, the actions, the history and internal notes. Right, the evidence: the chat, the
 * path through the guide and the diagram, and whether the customer's notifications arrived.
 */
import type { ComponentChildren } from 'preact';
import { approvalActionFor } from '../../../flows/ticket-lifecycle/index.js';
import { channelName, formatDateTime, formatDuration } from './format.js';
import { ConsoleLayout, type Flash } from './layout.js';
import { usePage } from './page-context.js';
import { NoteForm, TicketActions } from './ticket-actions.js';
import { CustomerPath, Transcript, TreeDiagram } from './ticket-evidence.js';
import { Claims, Notifications, Panel, Timeline } from './ticket-sections.js';
import type { AgentAnswer, TicketAnswer } from './ticket-view.js';

export interface TicketPageProps {
  readonly view: TicketAnswer;
  /** Every agent (names in the history; active ones to reassign to). */
  readonly agents: readonly AgentAnswer[];
  /** The tree diagram's SVG markup (escaped by its module), or null when it could not be drawn. */
  readonly treeSvg: string | null;
  readonly flash: Flash | null;
}

export function TicketPage({ view, agents, treeSvg, flash }: TicketPageProps) {
  const { t } = usePage();
  const names = new Map(agents.map((a) => [a.id, a.displayName]));
  return (
    <ConsoleLayout title={view.ticket.id} section="queue" flash={flash} styles={treeSvg !== null ? ['desk-tree.css'] : []}>
      <p class="breadcrumb">
        <a href="/desk">{t('desk:ticket.backToQueue')}</a>
      </p>
      <TicketHeader view={view} names={names} />
      <div class="ticket-grid">
        <div class="col-case">
          <Claims claims={view.claims} />
          <TicketActions view={view} agents={agents} />
          <Panel id="history" title={t('desk:history.title')}>
            <NoteForm view={view} />
            <Timeline history={view.history} agentNames={names} />
          </Panel>
        </div>
        <div class="col-evidence">
          <Panel id="transcript" title={t('desk:transcript.title')}>
            <Transcript lines={view.transcript} />
          </Panel>
          <Panel id="path" title={t('desk:path.title')}>
            <CustomerPath view={view} />
          </Panel>
          <Panel id="notifications" title={t('desk:notifications.title')}>
            <Notifications view={view} />
          </Panel>
        </div>
      </div>
      {treeSvg !== null ? (
        <Panel id="tree" title={t('desk:path.treeTitle')}>
          <TreeDiagram svg={treeSvg} />
        </Panel>
      ) : null}
    </ConsoleLayout>
  );
}

function TicketHeader({ view, names }: { view: TicketAnswer; names: ReadonlyMap<string, string> }) {
  const { t, lang, timeZone, now } = usePage();
  const tk = view.ticket;
  const time = (iso: string) => <time datetime={iso}>{formatDateTime(iso, lang, timeZone, now)}</time>;
  const who = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
  const change = tk.approvalAction ?? approvalActionFor(tk.reason);
  const facts: [string, ComponentChildren][] = [
    [t('desk:ticket.reason'), t(`desk:reason.${tk.reason}`)],
    [t('desk:ticket.language'), t(`desk:language.${tk.language}`)],
    [t('desk:ticket.channel'), channelName(t, tk.channelId)],
    [t('desk:ticket.created'), time(tk.createdAt)],
    [t('desk:ticket.waiting'), formatDuration(tk.waitingHours * 60, lang)],
    [
      t('desk:ticket.due'),
      tk.status === 'awaiting_verification' ? (
        <>
          {time(tk.slaDueAt)}
          {tk.overdue ? <strong class="badge badge-overdue">{t('desk:queue.overdue')}</strong> : null}
        </>
      ) : (
        <span class="muted">{t('desk:ticket.dueNotApplicable')}</span>
      ),
    ],
    [t('desk:ticket.assignee'), who(tk.assigneeId) ?? <span class="muted">{t('desk:queue.unassigned')}</span>],
  ];
  if (change) facts.push([t('desk:ticket.change'), t(`desk:change.${change}`)]);
  if (tk.verifiedBy) facts.push([t('desk:ticket.verifiedBy'), who(tk.verifiedBy)]);
  if (tk.approvedBy) facts.push([t('desk:ticket.approvedBy'), who(tk.approvedBy)]);
  if (tk.failureReason) facts.push([t('desk:ticket.failureReason'), t(`desk:failureReason.${tk.failureReason}`)]);
  if (tk.closeReason) facts.push([t('desk:ticket.closeReason'), t(`desk:closeReason.${tk.closeReason}`)]);
  return (
    <header class={`ticket-head ${tk.overdue ? 'overdue' : ''}`.trim()}>
      <h1>
        <span class="ticket-id">{tk.id}</span>
        <span class={`status status-${tk.status}`}>{t(`desk:status.${tk.status}`)}</span>
      </h1>
      <dl class="facts">
        {facts.map(([label, value]) => (
          <div>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
