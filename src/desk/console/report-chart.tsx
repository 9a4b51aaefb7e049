/**
 * One chart of the reports page: a canvas that public/desk/desk-reports.js draws with Chart.js
 * (served from node_modules, see src/server/desk-console-routes.ts) and, under it, the same
 * figures as a table, which is what a screen reader, a printout or a browser without script gets.
 * The chart's data travels in a `data-chart` attribute (JSON, escaped by preact): no inline script.
 */
import type { ComponentChildren } from 'preact';
import { usePage } from './page-context.js';

/** What desk-reports.js needs to draw a chart; colours are chosen here so the table's keys match. */
export interface ChartSpec {
  readonly type: 'bar' | 'doughnut';
  readonly labels: readonly string[];
  readonly datasets: readonly { readonly label: string; readonly data: readonly number[]; readonly color: string | readonly string[] }[];
  /** Bars run left to right (long labels such as step names stay readable). */
  readonly horizontal?: boolean;
  readonly stacked?: boolean;
}

/** Colours with at least 3:1 contrast against the white panel (WCAG non-text contrast). */
export const OUTCOME_COLORS: Readonly<Record<string, string>> = {
  resolved: '#15803d',
  handoff: '#c2410c',
  out_of_scope: '#475569',
  abandoned: '#b91c1c',
  open: '#1d4ed8',
};
export const SERIES_COLORS = ['#1d4ed8', '#7c3aed', '#c2410c', '#15803d', '#b91c1c', '#0e7490'] as const;

export interface ChartFigureProps {
  readonly id: string;
  readonly title: string;
  /** One sentence for the canvas (role="img"): what the chart shows; the table has the figures. */
  readonly summary: string;
  readonly spec: ChartSpec;
  /** Taller for charts with many bars. */
  readonly size?: 'small' | 'medium' | 'tall';
  /** The data table (the text alternative). */
  readonly children: ComponentChildren;
}

export function ChartFigure({ id, title, summary, spec, size = 'medium', children }: ChartFigureProps) {
  return (
    <figure class="report-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div class={`chart-box chart-box--${size}`}>
        <canvas id={`${id}-canvas`} role="img" aria-label={summary} aria-describedby={`${id}-table`} data-chart={JSON.stringify(spec)} />
      </div>
      {/* Focusable: a wide table scrolls sideways, and a keyboard must be able to scroll it. */}
      <div class="chart-table" id={`${id}-table`} tabindex={0} role="region" aria-label={title}>
        {children}
      </div>
    </figure>
  );
}

/** A plain two-or-more-column table of a chart's figures. */
export function FigureTable({ caption, head, rows }: { caption: string; head: readonly string[]; rows: readonly (readonly ComponentChildren[])[] }) {
  return (
    <table class="compact figures">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th scope="col" class={i > 0 ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr>
            {row.map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td class="num">{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Numbers and shares in the agent's language (`1,234`, `42.5%`). */
export function useNumbers(): { count: (n: number) => string; percent: (share: number | null) => string; hours: (h: number | null) => string } {
  const { lang, t } = usePage();
  const locale = lang === 'ja' ? 'ja-JP' : 'en-GB';
  const count = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const one = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    count: (n) => count.format(n),
    percent: (share) => (share === null ? '—' : pct.format(share)),
    hours: (h) => (h === null ? '—' : t('desk:reports.hoursValue', { hours: one.format(h) })),
  };
}
