/**
 * The sections of the reports page (issue 18), each a chart with its figures as a table: outcomes,
 * handoffs by reason, where customers give up, satisfaction, ticket waiting against the SLA, and
 * outcomes by language and by channel. Step ids are shown by the tree's short labels.
 */
import { CONVERSATION_OUTCOMES, HANDOFF_REASONS, type ConversationOutcome } from '../../../flows/outcome.js';
import type { OutcomeCounts, RatingSummary, Report } from '../../analytics/report.js';
import { LANGUAGES, type Translate } from '../../i18n/i18n.js';
import { treeStepLabels } from '../tree/index.js';
import { channelName } from './format.js';
import { usePage } from './page-context.js';
import { ChartFigure, FigureTable, OUTCOME_COLORS, SERIES_COLORS, useNumbers } from './report-chart.js';

/** Resolved ÷ finished (resolved, handoff, out of scope, abandoned), as the report defines containment. */
export function containmentOf(c: OutcomeCounts): number | null {
  const finished = c.resolved + c.handoff + c.out_of_scope + c.abandoned;
  return finished === 0 ? null : c.resolved / finished;
}

export const totalOf = (c: OutcomeCounts): number => CONVERSATION_OUTCOMES.reduce((sum, o) => sum + c[o], 0);

/** A translation, or null when the key is unknown (i18next answers with the key itself). */
function known(t: Translate, key: string): string | null {
  const text = t(key);
  return text === key || text === key.slice(key.indexOf(':') + 1) ? null : text;
}

/** A step's name for supervisors: the tree's label for its box, an identity step's, else its id. */
export function stepLabel(t: Translate, step: string): string {
  return treeStepLabels(t).get(step) ?? known(t, `desk:reports.step.${step}`) ?? step;
}

export function OutcomesSection({ report }: { report: Report }) {
  const { t } = usePage();
  const n = useNumbers();
  const total = totalOf(report.outcomes);
  const label = (o: ConversationOutcome) => t(`desk:reports.outcome.${o}`);
  return (
    <ChartFigure
      id="chart-outcomes"
      title={t('desk:reports.outcomes.title')}
      summary={t('desk:reports.outcomes.summary', { total: n.count(total), rate: n.percent(report.containmentRate) })}
      size="small"
      spec={{ type: 'doughnut', labels: CONVERSATION_OUTCOMES.map(label), datasets: [{ label: t('desk:reports.col.conversations'), data: CONVERSATION_OUTCOMES.map((o) => report.outcomes[o]), color: CONVERSATION_OUTCOMES.map((o) => OUTCOME_COLORS[o]!) }] }}
    >
      <FigureTable
        caption={t('desk:reports.outcomes.title')}
        head={[t('desk:reports.col.outcome'), t('desk:reports.col.conversations'), t('desk:reports.col.share')]}
        rows={CONVERSATION_OUTCOMES.map((o) => [label(o), n.count(report.outcomes[o]), n.percent(total === 0 ? null : report.outcomes[o] / total)])}
      />
    </ChartFigure>
  );
}

export function HandoffsSection({ report }: { report: Report }) {
  const { t } = usePage();
  const n = useNumbers();
  const label = (r: string) => t(`desk:reason.${r}`);
  return (
    <ChartFigure
      id="chart-handoffs"
      title={t('desk:reports.handoffs.title')}
      summary={t('desk:reports.handoffs.summary', { total: n.count(report.outcomes.handoff) })}
      spec={{ type: 'bar', horizontal: true, labels: HANDOFF_REASONS.map(label), datasets: [{ label: t('desk:reports.col.handoffs'), data: HANDOFF_REASONS.map((r) => report.handoffsByReason[r]), color: OUTCOME_COLORS['handoff']! }] }}
    >
      <FigureTable caption={t('desk:reports.handoffs.title')} head={[t('desk:reports.col.reason'), t('desk:reports.col.handoffs')]} rows={HANDOFF_REASONS.map((r) => [label(r), n.count(report.handoffsByReason[r])])} />
    </ChartFigure>
  );
}

/** The steps most people gave up at, as bars (the first 12); every step in the table. */
export function AbandonmentSection({ report }: { report: Report }) {
  const { t } = usePage();
  const n = useNumbers();
  const steps = report.abandonmentByStep;
  const shown = steps.slice(0, 12);
  if (steps.length === 0) return <EmptyFigure title={t('desk:reports.abandonment.title')} text={t('desk:reports.abandonment.none')} />;
  return (
    <ChartFigure
      id="chart-abandonment"
      title={t('desk:reports.abandonment.title')}
      summary={t('desk:reports.abandonment.summary', { total: n.count(report.outcomes.abandoned), step: stepLabel(t, steps[0]!.step) })}
      size={shown.length > 6 ? 'tall' : 'medium'}
      spec={{ type: 'bar', horizontal: true, labels: shown.map((s) => stepLabel(t, s.step)), datasets: [{ label: t('desk:reports.col.abandoned'), data: shown.map((s) => s.count), color: OUTCOME_COLORS['abandoned']! }] }}
    >
      <FigureTable caption={t('desk:reports.abandonment.title')} head={[t('desk:reports.col.step'), t('desk:reports.col.abandoned')]} rows={steps.map((s) => [stepLabel(t, s.step), n.count(s.count)])} />
    </ChartFigure>
  );
}

function ratingRow(label: string, r: RatingSummary, n: ReturnType<typeof useNumbers>, one: (x: number) => string) {
  return [label, ...r.distribution.map((c) => n.count(c)), n.count(r.count), r.average === null ? '—' : one(r.average)];
}

export function SatisfactionSection({ report }: { report: Report }) {
  const { t, lang } = usePage();
  const n = useNumbers();
  const s = report.satisfaction;
  const answered = s.solvedYes + s.solvedNo;
  const one = (x: number) => new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
  const stars = [1, 2, 3, 4, 5].map((v) => t('desk:reports.satisfaction.stars', { count: v }));
  return (
    <div class="chart-pair">
      <ChartFigure
        id="chart-solved"
        title={t('desk:reports.satisfaction.solvedTitle')}
        summary={t('desk:reports.satisfaction.solvedSummary', { yes: n.count(s.solvedYes), no: n.count(s.solvedNo) })}
        size="small"
        spec={{ type: 'doughnut', labels: [t('desk:reports.satisfaction.yes'), t('desk:reports.satisfaction.no')], datasets: [{ label: t('desk:reports.col.answers'), data: [s.solvedYes, s.solvedNo], color: [OUTCOME_COLORS['resolved']!, OUTCOME_COLORS['abandoned']!] }] }}
      >
        <FigureTable
          caption={t('desk:reports.satisfaction.solvedTitle')}
          head={[t('desk:reports.col.answer'), t('desk:reports.col.answers'), t('desk:reports.col.share')]}
          rows={[
            [t('desk:reports.satisfaction.yes'), n.count(s.solvedYes), n.percent(answered === 0 ? null : s.solvedYes / answered)],
            [t('desk:reports.satisfaction.no'), n.count(s.solvedNo), n.percent(answered === 0 ? null : s.solvedNo / answered)],
          ]}
        />
      </ChartFigure>
      <ChartFigure
        id="chart-ratings"
        title={t('desk:reports.satisfaction.ratingsTitle')}
        summary={t('desk:reports.satisfaction.ratingsSummary', {
          resolution: s.resolutionRating.average === null ? '—' : one(s.resolutionRating.average),
          ticket: s.ticketRating.average === null ? '—' : one(s.ticketRating.average),
        })}
        spec={{
          type: 'bar',
          labels: stars,
          datasets: [
            { label: t('desk:reports.satisfaction.resolution'), data: s.resolutionRating.distribution, color: SERIES_COLORS[0] },
            { label: t('desk:reports.satisfaction.ticket'), data: s.ticketRating.distribution, color: SERIES_COLORS[1] },
          ],
        }}
      >
        <FigureTable
          caption={t('desk:reports.satisfaction.ratingsTitle')}
          head={[t('desk:reports.col.rated'), ...stars, t('desk:reports.col.ratings'), t('desk:reports.col.average')]}
          rows={[ratingRow(t('desk:reports.satisfaction.resolution'), s.resolutionRating, n, one), ratingRow(t('desk:reports.satisfaction.ticket'), s.ticketRating, n, one)]}
        />
      </ChartFigure>
    </div>
  );
}

export function WaitingSection({ report }: { report: Report }) {
  const { t } = usePage();
  const n = useNumbers();
  const w = report.ticketWaiting;
  const parts = [
    { key: 'decidedWithinSla', value: w.decidedWithinSla, color: OUTCOME_COLORS['resolved']! },
    { key: 'decidedOverSla', value: w.decidedOverSla, color: OUTCOME_COLORS['abandoned']! },
    { key: 'waitingWithinSla', value: Math.max(0, w.waiting - w.waitingOverSla), color: OUTCOME_COLORS['open']! },
    { key: 'waitingOverSla', value: w.waitingOverSla, color: OUTCOME_COLORS['handoff']! },
  ];
  const label = (key: string) => t(`desk:reports.waiting.${key}`, { hours: w.slaHours });
  return (
    <ChartFigure
      id="chart-waiting"
      title={t('desk:reports.waiting.title', { hours: w.slaHours })}
      summary={t('desk:reports.waiting.summary', { opened: n.count(w.opened), within: n.count(w.decidedWithinSla), over: n.count(w.decidedOverSla + w.waitingOverSla), hours: w.slaHours })}
      spec={{ type: 'bar', horizontal: true, labels: parts.map((p) => label(p.key)), datasets: [{ label: t('desk:reports.col.tickets'), data: parts.map((p) => p.value), color: parts.map((p) => p.color) }] }}
    >
      <FigureTable
        caption={t('desk:reports.waiting.title', { hours: w.slaHours })}
        head={[t('desk:reports.col.tickets'), t('desk:reports.col.count')]}
        rows={[
          [t('desk:reports.waiting.opened'), n.count(w.opened)],
          ...parts.map((p) => [label(p.key), n.count(p.value)]),
          [t('desk:reports.waiting.median'), n.hours(w.medianHours)],
          [t('desk:reports.waiting.p90'), n.hours(w.p90Hours)],
        ]}
      />
    </ChartFigure>
  );
}

/** Outcomes per language or per channel as stacked bars, with containment in the table. */
export function BreakdownSection({ id, title, groups }: { id: string; title: string; groups: readonly { key: string; label: string; counts: OutcomeCounts }[] }) {
  const { t } = usePage();
  const n = useNumbers();
  if (groups.length === 0) return <EmptyFigure title={title} text={t('desk:reports.noConversations')} />;
  return (
    <ChartFigure
      id={id}
      title={title}
      summary={t('desk:reports.breakdownSummary', { groups: groups.map((g) => `${g.label} ${n.count(totalOf(g.counts))}`).join(', ') })}
      spec={{
        type: 'bar',
        stacked: true,
        labels: groups.map((g) => g.label),
        datasets: CONVERSATION_OUTCOMES.map((o) => ({ label: t(`desk:reports.outcome.${o}`), data: groups.map((g) => g.counts[o]), color: OUTCOME_COLORS[o]! })),
      }}
    >
      <FigureTable
        caption={title}
        head={['', ...CONVERSATION_OUTCOMES.map((o) => t(`desk:reports.outcome.${o}`)), t('desk:reports.col.total'), t('desk:reports.col.containment')]}
        rows={groups.map((g) => [g.label, ...CONVERSATION_OUTCOMES.map((o) => n.count(g.counts[o])), n.count(totalOf(g.counts)), n.percent(containmentOf(g.counts))])}
      />
    </ChartFigure>
  );
}

export function languageGroups(report: Report, t: Translate) {
  return LANGUAGES.map((l) => ({ key: l, label: t(`desk:language.${l}`), counts: report.byLanguage[l] }));
}

export function channelGroups(report: Report, t: Translate) {
  return Object.entries(report.byChannel).map(([c, counts]) => ({ key: c, label: channelName(t, c), counts }));
}

function EmptyFigure({ title, text }: { title: string; text: string }) {
  return (
    <section class="report-chart report-chart--empty" aria-label={title}>
      <h3>{title}</h3>
      <p class="empty">{text}</p>
    </section>
  );
}
