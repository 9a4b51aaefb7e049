/**
 * The report as CSV for a spreadsheet (the reports page's download): one row per figure as
 * `section,key,value` (with `share` where a share means something), ids rather than translated
 * names so a sheet built on it keeps working in either language. The one free text, the redacted
 * not-understood messages, is written so no spreadsheet reads it as a formula.
 */
import { CONVERSATION_OUTCOMES, HANDOFF_REASONS } from '../../../flows/outcome.js';
import { csvCell } from '../../analytics/report-format.js';
import type { OutcomeCounts, RatingSummary, Report } from '../../analytics/report.js';
import { LANGUAGES } from '../../i18n/language.js';

const row = (...cells: (string | number | null)[]) => cells.map(csvCell).join(',');

function outcomeRows(section: string, group: string, c: OutcomeCounts): string[] {
  return CONVERSATION_OUTCOMES.map((o) => row(section, `${group}${o}`, c[o]));
}

function ratingRows(name: string, r: RatingSummary): string[] {
  return [row('satisfaction', `${name}.count`, r.count), row('satisfaction', `${name}.average`, r.average), ...r.distribution.map((c, i) => row('satisfaction', `${name}.${i + 1}`, c))];
}

/** The whole report, with CRLF line ends (RFC 4180) and a BOM so spreadsheet software reads UTF-8 Japanese. */
export function reportCsv(report: Report): string {
  const q = report.query;
  const w = report.ticketWaiting;
  const s = report.satisfaction;
  const lines = [
    row('section', 'key', 'value'),
    row('query', 'since', q.since),
    row('query', 'until', q.until),
    row('query', 'language', q.language),
    row('query', 'channel', q.channel),
    row('query', 'abandonAfterMinutes', q.abandonAfterMinutes),
    row('summary', 'containmentRate', report.containmentRate),
    ...outcomeRows('outcomes', '', report.outcomes),
    ...HANDOFF_REASONS.map((r) => row('handoffsByReason', r, report.handoffsByReason[r])),
    ...report.abandonmentByStep.map((a) => row('abandonmentByStep', a.step, a.count)),
    ...report.stepTraffic.flatMap((t) => [row('stepTraffic', `${t.step}.reached`, t.reached), row('stepTraffic', `${t.step}.leftHere`, t.leftHere)]),
    row('satisfaction', 'solvedYes', s.solvedYes),
    row('satisfaction', 'solvedNo', s.solvedNo),
    ...ratingRows('resolutionRating', s.resolutionRating),
    ...ratingRows('ticketRating', s.ticketRating),
    ...Object.entries(w).map(([k, v]) => row('ticketWaiting', k, v)),
    ...LANGUAGES.flatMap((l) => outcomeRows('byLanguage', `${l}.`, report.byLanguage[l])),
    ...Object.entries(report.byChannel).flatMap(([c, counts]) => outcomeRows('byChannel', `${c}.`, counts)),
    ...report.notUnderstood.map((m) => row('notUnderstood', `${m.at} ${m.language} ${m.channel} ${m.step}`, m.text)),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
