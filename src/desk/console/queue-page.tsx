/**
 * `/desk`: the queue. Status tabs with counts, the API's filters and search as a GET form, one row
 * per ticket (waiting time against the verification SLA, overdue ones marked in words, assignee by
 * name, failed customer notifications), cursor paging. desk.js keeps it live over `/desk/events`.
 */
import { OPEN_TICKET_STATUSES, TICKET_STATUSES } from '../../../flows/ticket-lifecycle/index.js';
import type { StatusCounts, TicketSummary } from '../../tickets/ticket-queue.js';
import { channelName, formatDateTime, formatDuration, KNOWN_CHANNELS } from './format.js';
import { ConsoleLayout, type Flash } from './layout.js';
import { usePage } from './page-context.js';
import { ASSIGNEE_CHOICES, queueHref, REASONS, STATUS_TABS, type QueueForm, type StatusTab } from './queue-filter.js';

/** A queue row: the summary and its wait against the SLA (as the API's `listTickets` answers). */
export interface QueueRow extends TicketSummary {
  readonly waitingHours: number;
  readonly slaDueAt: string;
  readonly overdue: boolean;
}

/** The same wait the desk service computes, for a summary from the change feed. */
export function rowOf(ticket: TicketSummary, slaHours: number, now: Date): QueueRow {
  const created = Date.parse(ticket.createdAt);
  const open = ticket.status !== 'resolved' && ticket.status !== 'closed';
  const end = open ? now.getTime() : Date.parse(ticket.updatedAt);
  const slaMs = slaHours * 3_600_000;
  return {
    ...ticket,
    waitingHours: Math.max(0, Math.round(((end - created) / 3_600_000) * 10) / 10),
    slaDueAt: new Date(created + slaMs).toISOString(),
    overdue: ticket.status === 'awaiting_verification' && now.getTime() - created > slaMs,
  };
}

export interface QueuePageProps {
  readonly form: QueueForm;
  readonly rows: readonly QueueRow[];
  readonly counts: StatusCounts | null;
  readonly slaHours: number;
  readonly nextCursor: string | null;
  /** Why the filters were refused, in the agent's language. */
  readonly problem: string | null;
  readonly agentNames: ReadonlyMap<string, string>;
  readonly flash: Flash | null;
}

/** The number a status tab shows. */
export function tabCount(tab: StatusTab, counts: StatusCounts | null): number | null {
  if (!counts) return null;
  const statuses = tab === 'open' ? OPEN_TICKET_STATUSES : tab === 'all' ? TICKET_STATUSES : [tab];
  return statuses.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

export function QueuePage(props: QueuePageProps) {
  const { t } = usePage();
  const { form } = props;
  const firstPage = form.cursor === '';
  const eventsUrl = `/desk/events${queueHref(form, { cursor: '' }).slice('/desk'.length)}`;
  return (
    <ConsoleLayout title={t('desk:queue.title')} section="queue" flash={props.flash}>
      <div class="page-head">
        <h1>{t('desk:queue.title')}</h1>
        <p class="sla-note">{t('desk:queue.slaNote', { hours: props.slaHours })}</p>
      </div>
      <nav class="tabs" aria-label={t('desk:queue.tabsLabel')}>
        {STATUS_TABS.map((tab) => {
          const n = tabCount(tab, props.counts);
          return (
            <a href={queueHref(form, { status: tab, cursor: '' })} aria-current={tab === form.status ? 'page' : undefined} data-tab={tab}>
              {t(`desk:queue.tab.${tab}`)}
              {n === null ? null : (
                <span class="count" data-count={tab}>
                  {n}
                </span>
              )}
            </a>
          );
        })}
      </nav>
      <Filters form={form} />
      {props.problem ? (
        <p class="error" role="alert">
          {props.problem}
        </p>
      ) : null}
      <div
        id="queue-notice"
        class="notice"
        role="status"
        hidden
        data-first={firstPage ? undefined : queueHref(form, { cursor: '' })}
        data-one={t('desk:live.notice_one', { n: '{n}' })}
        data-other={t('desk:live.notice_other', { n: '{n}' })}
        data-show={t('desk:live.show')}
        data-ended={t('desk:live.ended')}
        data-sign-in={t('desk:live.signInAgain')}
        data-offline={t('desk:live.offline')}
      />
      <div class="table-wrap">
        <table class="queue" id="queue" data-events={eventsUrl} data-first-page={firstPage ? 'true' : 'false'}>
          <caption class="visually-hidden">{t('desk:queue.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk:queue.col.ticket')}</th>
              <th scope="col">{t('desk:queue.col.reason')}</th>
              <th scope="col">{t('desk:queue.col.language')}</th>
              <th scope="col">{t('desk:queue.col.channel')}</th>
              <th scope="col">{t('desk:queue.col.status')}</th>
              <th scope="col">{t('desk:queue.col.waiting')}</th>
              <th scope="col">{t('desk:queue.col.due')}</th>
              <th scope="col">{t('desk:queue.col.assignee')}</th>
              <th scope="col">{t('desk:queue.col.delivery')}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <QueueRowView row={row} agentNames={props.agentNames} />
            ))}
          </tbody>
        </table>
      </div>
      {props.rows.length === 0 && !props.problem ? (
        <p class="empty" id="queue-empty">
          {t('desk:queue.empty')}
        </p>
      ) : null}
      <nav class="paging" aria-label={t('desk:queue.pagingLabel')}>
        {!firstPage ? <a href={queueHref(form, { cursor: '' })}>{t('desk:queue.firstPage')}</a> : null}
        {props.nextCursor ? (
          <a href={queueHref(form, { cursor: props.nextCursor })} rel="next">
            {t('desk:queue.nextPage')}
          </a>
        ) : null}
      </nav>
    </ConsoleLayout>
  );
}

function Filters({ form }: { form: QueueForm }) {
  const { t, lang } = usePage();
  const option = (value: string, label: string, current: string) => (
    <option value={value} selected={value === current}>
      {label}
    </option>
  );
  return (
    <form class="filters" method="get" action="/desk" role="search" aria-label={t('desk:queue.filtersLabel')}>
      <input type="hidden" name="status" value={form.status} />
      <div class="field grow">
        <label for="f-q">{t('desk:queue.filter.q')}</label>
        <input type="search" id="f-q" name="q" value={form.q} minLength={2} maxLength={254} placeholder={t('desk:queue.filter.qPlaceholder')} />
      </div>
      <div class="field">
        <label for="f-reason">{t('desk:queue.filter.reason')}</label>
        <select id="f-reason" name="reason">
          {option('', t('desk:queue.filter.anyReason'), form.reason)}
          {REASONS.map((r) => option(r, t(`desk:reason.${r}`), form.reason))}
        </select>
      </div>
      <div class="field">
        <label for="f-language">{t('desk:queue.filter.language')}</label>
        <select id="f-language" name="language">
          {option('', t('desk:queue.filter.anyLanguage'), form.language)}
          {option('ja', t('desk:language.ja'), form.language)}
          {option('en', t('desk:language.en'), form.language)}
        </select>
      </div>
      <div class="field">
        <label for="f-channel">{t('desk:queue.filter.channel')}</label>
        <input id="f-channel" name="channel" value={form.channel} maxLength={64} list="channels" size={6} />
        <datalist id="channels">
          {KNOWN_CHANNELS.map((c) => (
            <option value={c} label={channelName(t, c)} />
          ))}
        </datalist>
      </div>
      <div class="field">
        <label for="f-assignee">{t('desk:queue.filter.assignee')}</label>
        <select id="f-assignee" name="assignee">
          {ASSIGNEE_CHOICES.map((a) => option(a, t(`desk:queue.assignee.${a}`), form.assignee))}
        </select>
      </div>
      <div class="field">
        <label for="f-from">{t('desk:queue.filter.from')}</label>
        <input type="date" id="f-from" name="from" value={form.from} lang={lang} />
      </div>
      <div class="field">
        <label for="f-to">{t('desk:queue.filter.to')}</label>
        <input type="date" id="f-to" name="to" value={form.to} lang={lang} />
      </div>
      <div class="field buttons">
        <button type="submit">{t('desk:queue.filter.apply')}</button>
        <a href={queueHref({ ...form, reason: '', language: '', channel: '', assignee: 'any', from: '', to: '', q: '', cursor: '' })} class="button secondary">
          {t('desk:queue.filter.clear')}
        </a>
      </div>
    </form>
  );
}

/** One row; also rendered for the live queue's `ticket` events. */
export function QueueRowView({ row, agentNames }: { row: QueueRow; agentNames: ReadonlyMap<string, string> }) {
  const { t, lang, timeZone, now } = usePage();
  const awaiting = row.status === 'awaiting_verification';
  return (
    <tr id={`row-${row.id}`} data-ticket-id={row.id} data-version={String(row.version)} class={row.overdue ? 'overdue' : undefined}>
      <th scope="row">
        <a href={`/desk/tickets/${row.id}`} class="ticket-id">
          {row.id}
        </a>
      </th>
      <td>{t(`desk:reason.${row.reason}`)}</td>
      <td class="nowrap">{t(`desk:language.${row.language}`)}</td>
      <td class="nowrap" title={row.channelId}>{channelName(t, row.channelId)}</td>
      <td class="nowrap">
        <span class={`status status-${row.status}`}>{t(`desk:status.${row.status}`)}</span>
      </td>
      <td class="nowrap">{formatDuration(row.waitingHours * 60, lang)}</td>
      <td class="nowrap">
        {awaiting ? <time datetime={row.slaDueAt}>{formatDateTime(row.slaDueAt, lang, timeZone, now)}</time> : <span class="muted">—</span>}
        {row.overdue ? <strong class="badge badge-overdue">{t('desk:queue.overdue')}</strong> : null}
      </td>
      <td>{row.assigneeId === null ? <span class="muted">{t('desk:queue.unassigned')}</span> : (agentNames.get(row.assigneeId) ?? row.assigneeId)}</td>
      <td>
        {row.failedNotifications > 0 ? (
          <strong class="badge badge-warn">{t('desk:queue.failedDeliveries', { count: row.failedNotifications })}</strong>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
    </tr>
  );
}

