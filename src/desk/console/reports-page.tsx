/**
 * `/desk/reports` (supervisors, issue 18): is the bot helping? A period and filters, then the
 * report's figures as charts with tables, the troubleshooting tree coloured by how many customers
 * reached each step and left there, and the messages the bot did not understand (redacted, shown
 * as text). Read through the desk API's `getReport` as the signed-in agent, so the page and the API
 * refuse the same queries and the same people.
 */
import type { ComponentChildren } from 'preact';
import type { Report } from '../../analytics/report.js';
import { LANGUAGES } from '../../i18n/i18n.js';
import { formatDateTime, KNOWN_CHANNELS, channelName } from './format.js';
import { ConsoleLayout, ASSET_PATH, type Flash } from './layout.js';
import { usePage } from './page-context.js';
import { useNumbers } from './report-chart.js';
import { NotUnderstood, TreeSection } from './report-details.js';
import { REPORT_PERIODS } from '../api/report-schemas.js';
import { effectivePeriod, reportHref, type ReportForm } from './report-form.js';
import {
  AbandonmentSection,
  BreakdownSection,
  channelGroups,
  HandoffsSection,
  languageGroups,
  OutcomesSection,
  SatisfactionSection,
  totalOf,
  WaitingSection,
} from './report-sections.js';

export const REPORT_SCRIPT = 'desk-reports.js';
export const REPORT_STYLE = 'desk-reports.css';

export interface ReportsPageProps {
  readonly form: ReportForm;
  readonly report: Report | null;
  /** Sentences saying what is wrong with the query, already in the agent's language. */
  readonly problems: readonly string[];
  /** The tree coloured by step traffic (escaped SVG), or null when it could not be drawn. */
  readonly treeSvg: string | null;
  /** Where the chart library is served (a versioned, long-cached URL). */
  readonly chartScript: string;
  readonly flash: Flash | null;
}

export function ReportsPage({ form, report, problems, treeSvg, chartScript, flash }: ReportsPageProps) {
  const { t } = usePage();
  return (
    <ConsoleLayout title={t('desk:reports.title')} section="reports" flash={flash} styles={[REPORT_STYLE, ...(treeSvg !== null ? ['desk-tree.css'] : [])]}>
      <div class="page-head">
        <h1>{t('desk:reports.title')}</h1>
        <p class="sla-note">{t('desk:reports.intro')}</p>
      </div>
      <ReportFilters form={form} report={report} />
      {problems.length > 0 ? (
        <div class="error" role="alert" id="report-problem">
          {problems.map((p) => (
            <p>{p}</p>
          ))}
        </div>
      ) : null}
      {report ? <ReportBody report={report} form={form} treeSvg={treeSvg} /> : null}
      {report ? (
        <>
          <script src={chartScript} defer />
          <script src={`${ASSET_PATH}/${REPORT_SCRIPT}`} defer />
        </>
      ) : null}
    </ConsoleLayout>
  );
}

function ReportFilters({ form, report }: { form: ReportForm; report: Report | null }) {
  const { t } = usePage();
  const period = effectivePeriod(form);
  const channels = [...new Set([...KNOWN_CHANNELS, ...Object.keys(report?.byChannel ?? {})])];
  const option = (value: string, label: string, current: string) => (
    <option value={value} selected={value === current}>
      {label}
    </option>
  );
  return (
    <form class="filters report-filters" method="get" action="/desk/reports" aria-label={t('desk:reports.filtersLabel')}>
      <div class="field">
        <label for="r-period">{t('desk:reports.filter.period')}</label>
        <select id="r-period" name="period">
          {REPORT_PERIODS.map((p) => option(p, t(`desk:reports.period.${p}`), period))}
        </select>
      </div>
      <div class="field">
        <label for="r-from">{t('desk:reports.filter.from')}</label>
        <input type="date" id="r-from" name="from" value={form.from} aria-describedby="r-dates-note" />
      </div>
      <div class="field">
        <label for="r-to">{t('desk:reports.filter.to')}</label>
        <input type="date" id="r-to" name="to" value={form.to} aria-describedby="r-dates-note" />
      </div>
      <div class="field">
        <label for="r-language">{t('desk:queue.filter.language')}</label>
        <select id="r-language" name="language">
          {option('', t('desk:queue.filter.anyLanguage'), form.language)}
          {LANGUAGES.map((l) => option(l, t(`desk:language.${l}`), form.language))}
        </select>
      </div>
      <div class="field">
        <label for="r-channel">{t('desk:queue.filter.channel')}</label>
        <select id="r-channel" name="channel">
          {option('', t('desk:reports.filter.anyChannel'), form.channel)}
          {channels.map((c) => option(c, channelName(t, c), form.channel))}
        </select>
      </div>
      <div class="field buttons">
        <button type="submit">{t('desk:reports.filter.show')}</button>
        <a class="button secondary" href="/desk/reports">
          {t('desk:queue.filter.clear')}
        </a>
      </div>
      <p class="field-note" id="r-dates-note">
        {t('desk:reports.filter.datesNote')}
      </p>
    </form>
  );
}

function ReportBody({ report, form, treeSvg }: { report: Report; form: ReportForm; treeSvg: string | null }) {
  const { t, lang, timeZone, now } = usePage();
  const n = useNumbers();
  const q = report.query;
  const filters = [q.language ? t(`desk:language.${q.language}`) : null, q.channel ? channelName(t, q.channel) : null].filter((f): f is string => f !== null);
  const total = totalOf(report.outcomes);
  return (
    <>
      <p class="report-period" id="report-period">
        {t('desk:reports.periodShown', { since: formatDateTime(q.since, lang, timeZone, now), until: formatDateTime(q.until, lang, timeZone, now) })}
        {filters.length > 0 ? ` · ${filters.join(' · ')}` : ''}{' '}
        <a href={reportHref('/desk/reports.csv', form)} download>
          {t('desk:reports.csv')}
        </a>
      </p>
      <dl class="report-figures">
        <Figure label={t('desk:reports.figure.conversations')} value={n.count(total)} />
        <Figure label={t('desk:reports.figure.containment')} value={n.percent(report.containmentRate)} note={t('desk:reports.figure.containmentNote')} />
        <Figure label={t('desk:reports.outcome.handoff')} value={n.count(report.outcomes.handoff)} />
        <Figure label={t('desk:reports.outcome.abandoned')} value={n.count(report.outcomes.abandoned)} note={t('desk:reports.figure.abandonedNote', { minutes: q.abandonAfterMinutes })} />
        <Figure label={t('desk:reports.figure.tickets')} value={n.count(report.ticketWaiting.opened)} />
        <Figure label={t('desk:reports.waiting.median')} value={n.hours(report.ticketWaiting.medianHours)} note={t('desk:reports.figure.slaNote', { hours: report.ticketWaiting.slaHours })} />
      </dl>
      {total === 0 ? <p class="empty">{t('desk:reports.noConversations')}</p> : null}
      <Section id="outcomes" title={t('desk:reports.section.outcomes')}>
        <div class="chart-pair">
          <OutcomesSection report={report} />
          <HandoffsSection report={report} />
        </div>
      </Section>
      <Section id="abandonment" title={t('desk:reports.section.abandonment')}>
        <AbandonmentSection report={report} />
        <TreeSection report={report} treeSvg={treeSvg} />
      </Section>
      <Section id="satisfaction" title={t('desk:reports.section.satisfaction')}>
        <SatisfactionSection report={report} />
      </Section>
      <Section id="waiting" title={t('desk:reports.section.waiting')}>
        <WaitingSection report={report} />
      </Section>
      <Section id="breakdown" title={t('desk:reports.section.breakdown')}>
        <div class="chart-pair">
          <BreakdownSection id="chart-languages" title={t('desk:reports.byLanguage')} groups={languageGroups(report, t)} />
          <BreakdownSection id="chart-channels" title={t('desk:reports.byChannel')} groups={channelGroups(report, t)} />
        </div>
      </Section>
      <Section id="not-understood" title={t('desk:reports.section.notUnderstood')}>
        <NotUnderstood report={report} />
      </Section>
    </>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div class="report-figure">
      <dt>{label}</dt>
      <dd>
        <span class="value">{value}</span>
        {note ? <span class="note">{note}</span> : null}
      </dd>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="panel report-section" id={id} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}
