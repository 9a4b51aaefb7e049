/**
 * `npm run report -- --since 7d [--until …] [--format table|csv|json] [--language ja|en] [--channel …]`:
 * reads the arguments, asks the ReportService and prints. scripts/report.ts only opens the
 * configured database and hands this a service. Exit codes: 0 printed, 2 bad arguments, 1 the
 * report could not be made.
 */
import { isLanguage } from '../i18n/language.js';
import type { Report, ReportQuery, ReportService } from './report.js';
import { reportCsv, reportTable, type StepTitle } from './report-format.js';

export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The longest period a report covers (as the desk API's). */
const MAX_DAYS = 366;

export const REPORT_USAGE = `Usage: npm run report -- --since <when> [--until <when>] [--format table|csv|json] [--language ja|en] [--channel <id>]

  --since     start of the period: a duration back from now (30m, 24h, 7d, 2w) or a date/time
              (2026-11-01, 2026-11-01T09:00:00Z); conversations that started at or after it
  --until     end of the period (same forms; default: now)
  --format    table (default, for a terminal), csv (one section per figure) or json (the Report)
  --language  only conversations in ja or en
  --channel   only one channel (msteams, local-webchat, directline, …)

Reads the configured database (DATABASE_URL, else DATABASE_FILE). Aggregates and ids only.`;

export interface ReportArgs {
  readonly query: ReportQuery;
  readonly format: ReportFormat;
}

/** Bad arguments: the message says which and why; the CLI prints it with the usage and exits 2. */
export class ReportArgsError extends Error {
  override readonly name = 'ReportArgsError';
}

const DURATION = /^(\d{1,6})(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A duration back from `now`, or an ISO date/time (a date alone is midnight UTC). */
export function parseWhen(value: string, now: Date, option: string): Date {
  const duration = DURATION.exec(value);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]);
  if (DATE.test(value)) {
    const iso = value.length === 10 ? `${value}T00:00:00Z` : value.replace(' ', 'T');
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new ReportArgsError(`${option}: "${value}" is neither a duration (30m, 24h, 7d, 2w) nor a date (2026-11-01 or 2026-11-01T09:00:00Z)`);
}

export function parseReportArgs(argv: readonly string[], now: Date): ReportArgs {
  const values = new Map<string, string>();
  const known = new Set(['--since', '--until', '--format', '--language', '--channel']);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.has(name)) throw new ReportArgsError(`unknown argument "${arg}"`);
    if (values.has(name)) throw new ReportArgsError(`${name} given twice`);
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new ReportArgsError(`${name} needs a value`);
    values.set(name, value);
  }
  const sinceText = values.get('--since');
  if (sinceText === undefined) throw new ReportArgsError('--since is required (for example --since 7d)');
  const since = parseWhen(sinceText, now, '--since');
  const untilText = values.get('--until');
  const until = untilText === undefined ? now : parseWhen(untilText, now, '--until');
  if (until.getTime() <= since.getTime()) throw new ReportArgsError('--until must be after --since');
  if (until.getTime() - since.getTime() > MAX_DAYS * 86_400_000) throw new ReportArgsError(`the period is at most ${MAX_DAYS} days`);
  const format = values.get('--format') ?? 'table';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new ReportArgsError(`--format: "${format}" is not one of ${REPORT_FORMATS.join(', ')}`);
  const language = values.get('--language');
  if (language !== undefined && !isLanguage(language)) throw new ReportArgsError(`--language: "${language}" is not ja or en`);
  const channel = values.get('--channel');
  if (channel !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(channel)) throw new ReportArgsError(`--channel: "${channel}" is not a channel id`);
  return {
    query: { since, until, ...(language !== undefined ? { language } : {}), ...(channel !== undefined ? { channel } : {}) },
    format: format as ReportFormat,
  };
}

export function formatReport(report: Report, format: ReportFormat, stepTitle?: StepTitle): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return reportCsv(report);
    case 'table':
      return reportTable(report, stepTitle);
  }
}

export interface ReportCliDeps {
  /** Opens the configured database and gives the service; `close` ends it. Called only for valid arguments. */
  readonly open: () => Promise<{ readonly reports: ReportService; readonly close: () => Promise<void> | void }>;
  readonly now?: () => Date;
  readonly stepTitle?: StepTitle;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs the command; resolves to the exit code. */
export async function runReportCli(argv: readonly string[], deps: ReportCliDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(`${REPORT_USAGE}\n`);
    return 0;
  }
  let args: ReportArgs;
  try {
    args = parseReportArgs(argv, (deps.now ?? (() => new Date()))());
  } catch (err) {
    if (!(err instanceof ReportArgsError)) throw err;
    deps.err(`report: ${err.message}\n\n${REPORT_USAGE}\n`);
    return 2;
  }
  let opened: Awaited<ReturnType<ReportCliDeps['open']>> | undefined;
  try {
    opened = await deps.open();
    const report = await opened.reports.report(args.query);
    deps.out(formatReport(report, args.format, deps.stepTitle));
    return 0;
  } catch (err) {
    // The message only: a connection error may name the host, never the URL's password (pg leaves it out).
    deps.err(`report: could not make the report: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}
