/**
 * The report as text for `npm run report`: a table for a terminal (English labels, step ids with
 * their titles when given) and CSV for a spreadsheet, one section per figure. The one free text
 * (the redacted not-understood messages) loses control characters in the table, so no escape
 * sequence reaches the terminal, and cannot start a formula in the CSV.
 */
import { CONVERSATION_OUTCOMES, HANDOFF_REASONS } from '../../flows/outcome.js';
import { LANGUAGES } from '../i18n/language.js';
import type { OutcomeCounts, RatingSummary, Report } from './report.js';

/** A step id's title for people (the CLI's English tree labels); undefined: the id alone. */
export type StepTitle = (step: string) => string | undefined;

const percent = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`);
const hours = (n: number | null) => (n === null ? '—' : `${n} h`);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const printable = (text: string) => text.replace(CONTROL, ' ');

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[], rightAligned: readonly number[] = []): string[] {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    '  ' +
    r
      .map((c, i) => (i === r.length - 1 && !rightAligned.includes(i) ? c : rightAligned.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
  return cells.map(line);
}

function outcomeRows(counts: OutcomeCounts): number[] {
  return CONVERSATION_OUTCOMES.map((o) => counts[o]);
}

function rating(r: RatingSummary): string {
  if (r.count === 0) return 'none';
  return `${r.average} of 5 from ${r.count} (${r.distribution.map((n, i) => `${i + 1}★ ${n}`).join(', ')})`;
}

function stepLabel(step: string, title: StepTitle | undefined): string {
  const t = title?.(step);
  return t && t !== step ? `${step} — ${printable(t).slice(0, 60)}` : step;
}

export function reportTable(report: Report, stepTitle?: StepTitle): string {
  const q = report.query;
  const total = CONVERSATION_OUTCOMES.reduce((n, o) => n + report.outcomes[o], 0);
  const w = report.ticketWaiting;
  const s = report.satisfaction;
  const lines: string[] = [
    `Conversations started ${q.since} – ${q.until}`,
    `Language: ${q.language ?? 'all'} · channel: ${q.channel ?? 'all'} · abandoned after ${q.abandonAfterMinutes} min without a reply`,
    '',
    `Outcomes (${total} conversations)`,
    ...table(
      ['outcome', 'count', 'share'],
      CONVERSATION_OUTCOMES.map((o) => [o, report.outcomes[o], percent(total === 0 ? null : report.outcomes[o] / total)]),
      [1, 2],
    ),
    `  Containment (resolved ÷ finished): ${percent(report.containmentRate)}`,
    '',
    'Handoffs by reason',
    ...table(['reason', 'count'], HANDOFF_REASONS.map((r) => [r, report.handoffsByReason[r]]), [1]),
    '',
    'Where customers give up (abandoned conversations by their last step)',
    ...(report.abandonmentByStep.length === 0 ? ['  none'] : table(['count', 'step'], report.abandonmentByStep.map((a) => [a.count, stepLabel(a.step, stepTitle)]), [0])),
    '',
    'Step traffic (conversations that reached each step, and left there)',
    ...(report.stepTraffic.length === 0
      ? ['  none']
      : table(['reached', 'left', 'step'], report.stepTraffic.map((t) => [t.reached, t.leftHere, stepLabel(t.step, stepTitle)]), [0, 1])),
    '',
    'Satisfaction',
    `  "Did this solve your problem?": yes ${s.solvedYes}, no ${s.solvedNo}`,
    `  Resolution rating: ${rating(s.resolutionRating)}`,
    `  Ticket rating: ${rating(s.ticketRating)}`,
    '',
    `Ticket waiting times (first agent decision, SLA ${w.slaHours} h)`,
    `  opened ${w.opened} · decided within SLA ${w.decidedWithinSla} · decided over SLA ${w.decidedOverSla} · still waiting ${w.waiting} (${w.waitingOverSla} over SLA)`,
    `  median ${hours(w.medianHours)} · 90th percentile ${hours(w.p90Hours)}`,
    '',
    'By language',
    ...table(['language', ...CONVERSATION_OUTCOMES], LANGUAGES.map((l) => [l, ...outcomeRows(report.byLanguage[l])]), [1, 2, 3, 4, 5]),
    '',
    'By channel',
    ...(Object.keys(report.byChannel).length === 0
      ? ['  none']
      : table(['channel', ...CONVERSATION_OUTCOMES], Object.entries(report.byChannel).map(([c, counts]) => [printable(c), ...outcomeRows(counts)]), [1, 2, 3, 4, 5])),
    '',
    `Messages the bot did not understand (redacted, newest first: ${report.notUnderstood.length})`,
    ...(report.notUnderstood.length === 0
      ? ['  none']
      : table(['at', 'lang', 'channel', 'step', 'text'], report.notUnderstood.map((m) => [m.at.slice(0, 16).replace('T', ' '), m.language, printable(m.channel), m.step, printable(m.text)]))),
  ];
  return `${lines.join('\n')}\n`;
}

/** One CSV cell: quoted when needed; a leading `= + - @` (or tab, CR) gets a `'` so it stays text. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

type Cell = string | number | null;

function section(name: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): string[] {
  return [csvCell(name), headers.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))];
}

/**
 * One section per figure: its name on a line of its own, a header row, its rows; a blank line
 * between sections. CRLF line ends and a BOM, so spreadsheet software reads UTF-8 Japanese.
 */
export function reportCsv(report: Report): string {
  const q = report.query;
  const s = report.satisfaction;
  const ratingRow = (name: string, r: RatingSummary): Cell[] => [name, r.count, r.average, ...r.distribution];
  const sections = [
    section('query', ['since', 'until', 'language', 'channel', 'abandonAfterMinutes'], [[q.since, q.until, q.language, q.channel, q.abandonAfterMinutes]]),
    section('outcomes', ['outcome', 'count'], CONVERSATION_OUTCOMES.map((o) => [o, report.outcomes[o]])),
    section('containmentRate', ['rate'], [[report.containmentRate]]),
    section('handoffsByReason', ['reason', 'count'], HANDOFF_REASONS.map((r) => [r, report.handoffsByReason[r]])),
    section('abandonmentByStep', ['step', 'count'], report.abandonmentByStep.map((a) => [a.step, a.count])),
    section('stepTraffic', ['step', 'reached', 'leftHere'], report.stepTraffic.map((t) => [t.step, t.reached, t.leftHere])),
    section('satisfaction', ['solvedYes', 'solvedNo'], [[s.solvedYes, s.solvedNo]]),
    section('ratings', ['about', 'count', 'average', '1', '2', '3', '4', '5'], [ratingRow('resolution', s.resolutionRating), ratingRow('ticket', s.ticketRating)]),
    section('ticketWaiting', Object.keys(report.ticketWaiting), [Object.values(report.ticketWaiting)]),
    section('byLanguage', ['language', ...CONVERSATION_OUTCOMES], LANGUAGES.map((l) => [l, ...outcomeRows(report.byLanguage[l])])),
    section('byChannel', ['channel', ...CONVERSATION_OUTCOMES], Object.entries(report.byChannel).map(([c, counts]) => [c, ...outcomeRows(counts)])),
    section('notUnderstood', ['at', 'language', 'channel', 'step', 'text'], report.notUnderstood.map((m) => [m.at, m.language, m.channel, m.step, m.text])),
  ];
  return `\uFEFF${sections.map((lines) => lines.join('\r\n')).join('\r\n\r\n')}\r\n`;
}
