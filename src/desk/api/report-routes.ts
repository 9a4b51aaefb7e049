/**
 * The supervisors' report over the desk API (issue 18): the same figures the console draws and
 * `npm run report` prints, from the one ReportService. The period is resolved here, once, for the
 * API and the console alike (the console asks through this route).
 */
import { z } from 'zod';
import type { Report, ReportQuery, ReportService } from '../../analytics/report.js';
import { AppError } from '../../errors.js';
import type { DeskService } from '../desk-service.js';
import { defineRoute, type DeskRoute } from './route.js';
import { ReportQuerySchema, ReportResponse } from './report-schemas.js';

/** The longest period a report covers: a year (and a leap day). */
export const MAX_REPORT_DAYS = 366;

const PRESET_HOURS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;

export type ReportQueryInput = z.infer<typeof ReportQuerySchema>;

export interface ReportRoutesDeps {
  readonly desk: DeskService;
  /** Undefined until the report service is configured: the route answers 503 `unavailable`. */
  readonly reports: ReportService | undefined;
  readonly now?: () => Date;
}

const invalid = (field: string, message: string) => new AppError('invalid_input', `Invalid query.${field}`, { errors: [{ field: `query.${field}`, message }] });

/**
 * The period and filters of a validated query: a preset counts back from `now`; `custom` (or
 * `since` without a period) runs from `since` to `until` (default now). Relations the schema cannot
 * say are refused with `invalid_input` naming the field, as the schema's own refusals do.
 */
export function resolveReportQuery(q: ReportQueryInput, now: Date): ReportQuery {
  const period = q.period ?? (q.since !== undefined || q.until !== undefined ? 'custom' : '7d');
  const filters = { ...(q.language ? { language: q.language } : {}), ...(q.channel ? { channel: q.channel } : {}) };
  if (period !== 'custom') {
    if (q.since !== undefined || q.until !== undefined) throw invalid('period', 'since and until go with period=custom');
    return { since: new Date(now.getTime() - PRESET_HOURS[period] * 3_600_000), until: now, ...filters };
  }
  if (q.since === undefined) throw invalid('since', 'required with period=custom');
  const since = new Date(q.since);
  const until = q.until === undefined ? now : new Date(q.until);
  if (until.getTime() <= since.getTime()) throw invalid('until', 'must be after since');
  if (until.getTime() - since.getTime() > MAX_REPORT_DAYS * 86_400_000) throw invalid('range', `at most ${MAX_REPORT_DAYS} days`);
  return { since, until, ...filters };
}

export function reportRoutes({ desk, reports, now = () => new Date() }: ReportRoutesDeps): DeskRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/desk/reports',
      operationId: 'getReport',
      summary:
        'The supervisors’ report for a period (supervisor): outcomes, containment, handoffs by reason, where customers give up, messages the bot did not understand (redacted), satisfaction, ticket waiting times against the SLA, by language and channel',
      tag: 'reports',
      role: 'supervisor',
      query: ReportQuerySchema,
      response: ReportResponse,
      handle: async ({ caller, query }) =>
        desk.guarded(caller, 'reports.view', async () => {
          const resolved = resolveReportQuery(query, now());
          if (!reports) throw new AppError('unavailable', 'Reports are not configured on this server');
          const report: Report = await reports.report(resolved);
          return { body: report };
        }),
    }),
  ];
}
