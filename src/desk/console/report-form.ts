/**
 * The reports page's filter form (issue 18): what the agent chose (a period, or dates in their own
 * time zone; a language; a channel), the desk API query it becomes, and the API's refusal of a
 * field as a sentence in the agent's language. The API validates; the console only translates, so
 * the page and `GET /api/desk/reports` accept and refuse the same things.
 */
import { isAppError } from '../../errors.js';
import { field } from './console-http.js';
import { startOfDay } from './format.js';

export interface ReportForm {
  /** As sent: one of the API's `REPORT_PERIODS` when valid; empty means "7d", or "custom" with dates. */
  readonly period: string;
  /** `YYYY-MM-DD` in the agent's time zone, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly language: string;
  readonly channel: string;
}

/** The form from a query string; values are cut short, never trusted (the API checks them). */
export function parseReportForm(query: unknown): ReportForm {
  const get = (name: string, max: number) => (field(query, name) ?? '').trim().slice(0, max);
  return { period: get('period', 16), from: get('from', 32), to: get('to', 32), language: get('language', 16), channel: get('channel', 80) };
}

/** The period the form stands for: what was chosen, else custom when dates were given, else the last 7 days. */
export function effectivePeriod(form: ReportForm): string {
  if (form.period !== '') return form.period;
  return form.from !== '' || form.to !== '' ? 'custom' : '7d';
}

/**
 * The desk API's `getReport` query. Custom dates become the start of the first day and the start
 * of the day after the last one, in `timeZone`; a date that is not one is passed on as written,
 * so the API refuses it by name. With a preset period the dates are left out (the period wins).
 */
export function reportApiQuery(form: ReportForm, timeZone: string): Record<string, string> {
  const period = effectivePeriod(form);
  const out: Record<string, string> = { period };
  if (period === 'custom') {
    if (form.from !== '') out['since'] = startOfDay(form.from, timeZone) ?? form.from;
    if (form.to !== '') out['until'] = startOfDay(form.to, timeZone, 1) ?? form.to;
  }
  if (form.language !== '') out['language'] = form.language;
  if (form.channel !== '') out['channel'] = form.channel;
  return out;
}

/** The same query as a link (the CSV download, the language switch keep the filters). */
export function reportHref(path: string, form: ReportForm): string {
  const params = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Fields the report query can be refused for, each with its own sentence (`desk:reports.error.*`). */
const REPORT_FIELDS = ['period', 'since', 'until', 'range', 'language', 'channel'] as const;

/**
 * Locale keys for a refused report request: one per field the API named (`invalid_input`), or the
 * problem's own (`unavailable`: no report service; else the console's generic problems).
 */
export function reportProblemKeys(code: string, err: unknown): string[] {
  if (code === 'invalid_input' && isAppError(err)) {
    const errors = (err.details?.['errors'] ?? []) as { field?: unknown }[];
    const fields = [...new Set(errors.map((e) => String(e.field ?? '').split('.').pop() ?? ''))].filter((f): f is (typeof REPORT_FIELDS)[number] =>
      (REPORT_FIELDS as readonly string[]).includes(f),
    );
    return fields.length > 0 ? fields.map((f) => `desk:reports.error.${f}`) : ['desk:problem.invalid_input'];
  }
  if (code === 'unavailable') return ['desk:reports.error.unavailable'];
  return ['desk:problem.internal'];
}
