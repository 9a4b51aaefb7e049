/**
 * Loads the reports page and its CSV for a console request (issue 18): the filter form becomes
 * the desk API's `getReport` query, run as the signed-in agent (its validation, role check and
 * audit entry); a refusal becomes a sentence on the page in the agent's language, or the
 * "no access" page. The tree is drawn from the report's step traffic; a tree that cannot be drawn
 * costs the page nothing but the picture.
 */
import type { Report } from '../../analytics/report.js';
import type { Language } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import { stepCountsOf, type StepCounts } from '../tree/tree-counts.js';
import type { ConsoleSession } from './console-session.js';
import { reportCsv } from './report-csv.js';
import { parseReportForm, reportApiQuery, reportProblemKeys } from './report-form.js';
import { ReportsPage } from './reports-page.js';
import type { RenderedPage } from './render.js';
import { AccessDenied } from './status-pages.js';

export interface ReportPageDeps {
  /** The troubleshooting tree coloured by step counts, as escaped SVG markup. */
  readonly drawTree?: (counts: Readonly<Record<string, StepCounts>>, endings: { resolved: number; handoff: number }, lang: Language) => Promise<string>;
  /** The chart library's URL (see src/server/desk-console-routes.ts). */
  readonly chartScript: string;
  readonly logger?: Logger;
}

type Loaded = { readonly report: Report } | { readonly page: RenderedPage };

async function load(s: ConsoleSession, query: unknown): Promise<Loaded & { form: ReturnType<typeof parseReportForm> }> {
  const form = parseReportForm(query);
  const outcome = await s.run('getReport', { query: reportApiQuery(form, s.page.timeZone) });
  if (outcome.ok) return { form, report: outcome.result.body as Report };
  if (outcome.code === 'forbidden') return { form, page: s.render(403, <AccessDenied role="supervisor" flash={s.flash} />) };
  const problems = reportProblemKeys(outcome.code, outcome.err).map((key) => s.page.t(key));
  const status = outcome.code === 'invalid_input' ? 400 : outcome.code === 'unavailable' ? 503 : 500;
  if (status === 500) throw outcome.err;
  return { form, page: s.render(status, <ReportsPage form={form} report={null} problems={problems} treeSvg={null} chartScript="" flash={s.flash} />) };
}

export async function reportsPage(s: ConsoleSession, query: unknown, deps: ReportPageDeps): Promise<RenderedPage> {
  const loaded = await load(s, query);
  if ('page' in loaded) return loaded.page;
  const treeSvg = await drawing(loaded.report, s.page.lang, deps);
  return s.render(200, <ReportsPage form={loaded.form} report={loaded.report} problems={[]} treeSvg={treeSvg} chartScript={deps.chartScript} flash={s.flash} />);
}

/** The CSV download, or the page that says why there is none. */
export async function reportCsvDownload(s: ConsoleSession, query: unknown): Promise<{ csv: string; filename: string } | RenderedPage> {
  const loaded = await load(s, query);
  if ('page' in loaded) return loaded.page;
  const day = (iso: string) => iso.slice(0, 10);
  return { csv: reportCsv(loaded.report), filename: `report-${day(loaded.report.query.since)}-${day(loaded.report.query.until)}.csv` };
}

async function drawing(report: Report, lang: Language, deps: ReportPageDeps): Promise<string | null> {
  if (!deps.drawTree) return null;
  try {
    return await deps.drawTree(stepCountsOf(report.stepTraffic), { resolved: report.outcomes.resolved, handoff: report.outcomes.handoff }, lang);
  } catch (err) {
    deps.logger?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'desk console: the report tree could not be drawn');
    return null;
  }
}
