/**
 * The reports page's evidence below the charts (issue 18): the troubleshooting tree coloured by how
 * many customers reached each step and left there, with the same figures as a table, and the
 * latest messages the bot did not understand, redacted before they were stored and shown as text.
 */
import type { Report } from '../../analytics/report.js';
import { channelName, formatDateTime } from './format.js';
import { usePage } from './page-context.js';
import { FigureTable, useNumbers } from './report-chart.js';
import { stepLabel } from './report-sections.js';

/** The tree coloured by traffic, with every step's figures as a table (its text alternative). */
export function TreeSection({ report, treeSvg }: { report: Report; treeSvg: string | null }) {
  const { t } = usePage();
  const n = useNumbers();
  const steps = [...report.stepTraffic].sort((a, b) => b.reached - a.reached);
  return (
    <div class="report-tree">
      <h3 id="tree-caption">{t('desk:reports.tree.title')}</h3>
      <p class="field-note">{t('desk:reports.tree.intro')}</p>
      {treeSvg !== null ? (
        <figure class="tree" aria-labelledby="tree-caption">
          <button type="button" class="secondary small" id="tree-fit" data-fit={t('desk:path.treeFit')} data-actual={t('desk:path.treeActual')} aria-controls="tree-frame" hidden>
            {t('desk:path.treeFit')}
          </button>
          <div class="tree-frame" id="tree-frame" tabindex={0} aria-labelledby="tree-caption" dangerouslySetInnerHTML={{ __html: treeSvg }} />
        </figure>
      ) : (
        <p class="muted">{t('desk:reports.tree.unavailable')}</p>
      )}
      <details class="step-traffic">
        <summary>{t('desk:reports.tree.tableSummary')}</summary>
        <FigureTable
          caption={t('desk:reports.tree.title')}
          head={[t('desk:reports.col.step'), t('desk:reports.col.reached'), t('desk:reports.col.leftHere'), t('desk:reports.col.leftShare')]}
          rows={steps.map((s) => [stepLabel(t, s.step), n.count(s.reached), n.count(s.leftHere), n.percent(s.reached === 0 ? null : s.leftHere / s.reached)])}
        />
      </details>
    </div>
  );
}

/** The latest messages the bot did not understand: redacted before they were stored, shown as text. */
export function NotUnderstood({ report }: { report: Report }) {
  const { t, lang, timeZone, now } = usePage();
  if (report.notUnderstood.length === 0) return <p class="empty">{t('desk:reports.notUnderstood.none')}</p>;
  return (
    <>
      <p class="field-note">{t('desk:reports.notUnderstood.intro', { count: report.notUnderstood.length })}</p>
      <div class="table-wrap">
        <table class="compact not-understood">
          <caption class="visually-hidden">{t('desk:reports.section.notUnderstood')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk:reports.col.at')}</th>
              <th scope="col">{t('desk:queue.filter.language')}</th>
              <th scope="col">{t('desk:queue.filter.channel')}</th>
              <th scope="col">{t('desk:reports.col.step')}</th>
              <th scope="col">{t('desk:reports.col.message')}</th>
            </tr>
          </thead>
          <tbody>
            {report.notUnderstood.map((m) => (
              <tr>
                <td class="nowrap">
                  <time datetime={m.at}>{formatDateTime(m.at, lang, timeZone, now)}</time>
                </td>
                <td>{t(`desk:language.${m.language}`)}</td>
                <td>{channelName(t, m.channel)}</td>
                <td>{stepLabel(t, m.step)}</td>
                <td class="message" lang={m.language}>
                  {m.text}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
