/**
 * `/desk/audit` (supervisors): the audit trail with the API's filters (agent, action, ticket,
 * outcome, dates in the agent's zone), newest first, paged by the last entry's id.
 */
import { AUDIT_OUTCOMES } from '../audit/audit-log.js';
import { field } from './console-http.js';
import { formatDateTime, startOfDay } from './format.js';
import { ConsoleLayout, type Flash } from './layout.js';
import { usePage } from './page-context.js';
import type { AgentAnswer, AuditAnswer } from './ticket-view.js';

/** Every desk operation that can appear in the trail (its `action`). */
export const AUDITED_ACTIONS = [
  'listTickets',
  'getTicket',
  'assignTicket',
  'addNote',
  'verifyIdentity',
  'failVerification',
  'approveChange',
  'markCarriedOut',
  'requestInfo',
  'resolveTicket',
  'closeTicket',
  'retryNotification',
  'listAudit',
  'getReport',
  'listAgents',
  'addAgent',
  'updateAgent',
  'listTokens',
  'createToken',
  'revokeToken',
] as const;

export interface AuditForm {
  readonly agent: string;
  readonly action: string;
  readonly ticket: string;
  readonly outcome: string;
  readonly since: string;
  readonly until: string;
  readonly cursor: string;
}

export function parseAuditForm(query: unknown): AuditForm {
  const get = (name: string, max: number) => (field(query, name) ?? '').trim().slice(0, max);
  return { agent: get('agent', 64), action: get('action', 64), ticket: get('ticket', 32), outcome: get('outcome', 16), since: get('since', 10), until: get('until', 10), cursor: get('cursor', 12) };
}

/** The desk API's `listAudit` query for the form. */
export function auditApiQuery(form: AuditForm, timeZone: string, limit: number): Record<string, string> {
  const out: Record<string, string> = { limit: String(limit) };
  if (form.agent) out['agent'] = form.agent;
  if (form.action) out['action'] = form.action;
  if (form.ticket) out['ticket'] = form.ticket;
  if (form.outcome) out['outcome'] = form.outcome;
  if (form.since) out['since'] = startOfDay(form.since, timeZone) ?? form.since;
  if (form.until) out['until'] = startOfDay(form.until, timeZone, 1) ?? form.until;
  if (form.cursor) out['cursor'] = form.cursor;
  return out;
}

function auditHref(form: AuditForm, change: Partial<AuditForm>): string {
  const params = new URLSearchParams(Object.entries({ ...form, ...change }).filter(([, v]) => v !== ''));
  const qs = params.toString();
  return qs ? `/desk/audit?${qs}` : '/desk/audit';
}

export interface AuditPageProps {
  readonly form: AuditForm;
  readonly result: AuditAnswer | null;
  readonly problem: string | null;
  readonly agents: readonly AgentAnswer[];
  readonly flash: Flash | null;
}

export function AuditPage({ form, result, problem, agents, flash }: AuditPageProps) {
  const { t, lang, timeZone, now } = usePage();
  const names = new Map(agents.map((a) => [a.id, a.displayName]));
  const actionLabel = (action: string) => ((AUDITED_ACTIONS as readonly string[]).includes(action) ? t(`desk:audit.action.${action}`) : action);
  const option = (value: string, label: string, current: string) => (
    <option value={value} selected={value === current}>
      {label}
    </option>
  );
  return (
    <ConsoleLayout title={t('desk:audit.title')} section="audit" flash={flash}>
      <div class="page-head">
        <h1>{t('desk:audit.title')}</h1>
        <p class="sla-note">{t('desk:audit.intro')}</p>
      </div>
      <form class="filters" method="get" action="/desk/audit" aria-label={t('desk:audit.filtersLabel')}>
        <div class="field">
          <label for="a-agent">{t('desk:audit.filter.agent')}</label>
          <select id="a-agent" name="agent">
            {option('', t('desk:audit.filter.anyAgent'), form.agent)}
            {agents.map((a) => option(a.id, a.displayName, form.agent))}
          </select>
        </div>
        <div class="field">
          <label for="a-action">{t('desk:audit.filter.action')}</label>
          <select id="a-action" name="action">
            {option('', t('desk:audit.filter.anyAction'), form.action)}
            {AUDITED_ACTIONS.map((a) => option(a, actionLabel(a), form.action))}
          </select>
        </div>
        <div class="field">
          <label for="a-ticket">{t('desk:audit.filter.ticket')}</label>
          <input id="a-ticket" name="ticket" value={form.ticket} placeholder="TFA-…" size={14} maxLength={32} />
        </div>
        <div class="field">
          <label for="a-outcome">{t('desk:audit.filter.outcome')}</label>
          <select id="a-outcome" name="outcome">
            {option('', t('desk:audit.filter.anyOutcome'), form.outcome)}
            {AUDIT_OUTCOMES.map((o) => option(o, t(`desk:audit.outcome.${o}`), form.outcome))}
          </select>
        </div>
        <div class="field">
          <label for="a-since">{t('desk:audit.filter.since')}</label>
          <input type="date" id="a-since" name="since" value={form.since} />
        </div>
        <div class="field">
          <label for="a-until">{t('desk:audit.filter.until')}</label>
          <input type="date" id="a-until" name="until" value={form.until} />
        </div>
        <div class="field buttons">
          <button type="submit">{t('desk:queue.filter.apply')}</button>
          <a class="button secondary" href="/desk/audit">
            {t('desk:queue.filter.clear')}
          </a>
        </div>
      </form>
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
      {result && result.entries.length > 0 ? (
        <div class="table-wrap">
          <table class="audit">
            <caption class="visually-hidden">{t('desk:audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('desk:audit.col.at')}</th>
                <th scope="col">{t('desk:audit.col.agent')}</th>
                <th scope="col">{t('desk:audit.col.action')}</th>
                <th scope="col">{t('desk:audit.col.ticket')}</th>
                <th scope="col">{t('desk:audit.col.outcome')}</th>
                <th scope="col">{t('desk:audit.col.source')}</th>
              </tr>
            </thead>
            <tbody>
              {result.entries.map((e) => (
                <tr class={e.outcome === 'refused' ? 'refused' : undefined}>
                  <td class="nowrap">
                    <time datetime={e.at}>{formatDateTime(e.at, lang, timeZone, now)}</time>
                  </td>
                  <td>{e.agentId === null ? <span class="muted">{t('desk:audit.noAgent')}</span> : (names.get(e.agentId) ?? e.agentId)}</td>
                  <td>
                    {actionLabel(e.action)} <code class="muted">{e.action}</code>
                  </td>
                  <td>{e.ticketId ? <a href={`/desk/tickets/${e.ticketId}`}>{e.ticketId}</a> : <span class="muted">—</span>}</td>
                  <td>
                    <span class={`outcome outcome-${e.outcome}`}>{t(`desk:audit.outcome.${e.outcome}`)}</span>
                    {e.code ? <code class="muted"> {e.code}</code> : null}
                  </td>
                  <td>
                    <code>{e.sourceAddress ?? '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : result ? (
        <p class="empty">{t('desk:audit.empty')}</p>
      ) : null}
      <nav class="paging" aria-label={t('desk:queue.pagingLabel')}>
        {form.cursor ? <a href={auditHref(form, { cursor: '' })}>{t('desk:queue.firstPage')}</a> : null}
        {result?.next ? (
          <a href={auditHref(form, { cursor: String(result.next) })} rel="next">
            {t('desk:queue.nextPage')}
          </a>
        ) : null}
      </nav>
    </ConsoleLayout>
  );
}
