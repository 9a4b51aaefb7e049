/**
 * Issue 18's reports in the console's tests: a hand-made Report with figures that add up as the
 * real one's must (outcomes = sum by language = sum by channel; handoffs by reason = handoffs;
 * abandonment by step = abandoned = the steps' "left here"), a fake ReportService that answers it
 * for any query and keeps the queries it was asked, and the console and desk API wired to that
 * fake on a server of their own beside the whole app (its agents, sessions and audit trail).
 */
import type { AddressInfo } from 'node:net';
import type { Report, ReportQuery, ReportService } from '../../../src/analytics/report.js';
import { createLogger } from '../../../src/logger.js';
import { reportRoutes } from '../../../src/desk/api/report-routes.js';
import { createServer } from '../../../src/server/create-server.js';
import { registerDeskApiRoutes } from '../../../src/server/desk-api-routes.js';
import { registerDeskConsoleRoutes } from '../../../src/server/desk-console-routes.js';
import { TicketFeed } from '../../../src/tickets/ticket-feed.js';
import type { RunningApp } from '../../helpers/http-app.js';
import { XSS } from './console-fixtures.js';

/** The clock the report routes count presets back from. */
export const REPORT_NOW = new Date('2026-11-30T15:00:00.000Z');

/** A week at a mid-sized exchange: 694 conversations, 412 resolved in chat, 138 handed off. */
export const REPORT: Report = {
  query: { since: '2026-11-23T15:00:00.000Z', until: '2026-11-30T15:00:00.000Z', language: null, channel: null, abandonAfterMinutes: 30 },
  outcomes: { resolved: 412, handoff: 138, out_of_scope: 37, abandoned: 96, open: 11 },
  // 412 / (412 + 138 + 37 + 96)
  containmentRate: 412 / 683,
  handoffsByReason: { app_lost_no_backup: 41, phone_lost_no_backup: 33, login_lockout: 19, phone_number_changed: 22, registered_number_wrong: 6, customer_requested: 17 },
  abandonmentByStep: [
    { step: 'mainMenu', count: 21 },
    { step: 'smsNotReceivedSignal', count: 17 },
    { step: 'codeRejectedExpired', count: 14 },
    { step: 'form', count: 12 },
    { step: 'appDeletedHasBackup', count: 9 },
    { step: 'phoneLostHasBackup', count: 8 },
    { step: 'changeMethodCurrent', count: 7 },
    { step: 'callNotReceivedRegisteredNumber', count: 5 },
    { step: 'offerStartNow', count: 3 },
  ],
  stepTraffic: [
    { step: 'mainMenu', reached: 694, leftHere: 21 },
    { step: 'codeRejectedOtherService', reached: 188, leftHere: 0 },
    { step: 'codeRejectedExpired', reached: 170, leftHere: 14 },
    { step: 'offerStartNow', reached: 160, leftHere: 3 },
    { step: 'form', reached: 150, leftHere: 12 },
    { step: 'smsNotReceivedMethodSetting', reached: 142, leftHere: 0 },
    { step: 'smsNotReceivedSignal', reached: 131, leftHere: 17 },
    { step: 'appDeletedHasBackup', reached: 97, leftHere: 9 },
    { step: 'phoneLostMethod', reached: 88, leftHere: 0 },
    { step: 'phoneLostHasBackup', reached: 80, leftHere: 8 },
    { step: 'changeMethodCurrent', reached: 64, leftHere: 7 },
    { step: 'callNotReceivedRegisteredNumber', reached: 29, leftHere: 5 },
  ],
  notUnderstood: [
    { at: '2026-11-30T14:02:11.000Z', language: 'ja', channel: 'local-webchat', step: 'mainMenu', text: 'ログインしようとしたら [CODE] が違うと言われた' },
    { at: '2026-11-30T11:40:05.000Z', language: 'en', channel: 'msteams', step: 'smsNotReceivedSignal', text: `my carrier is weird ${XSS.script}` },
    { at: '2026-11-29T08:15:47.000Z', language: 'ja', channel: 'local-webchat', step: 'codeRejectedExpired', text: `時計あってるけど？ ${XSS.img}` },
  ],
  satisfaction: {
    solvedYes: 412,
    solvedNo: 58,
    // (9·1 + 11·2 + 24·3 + 71·4 + 88·5) / 203 = 827 / 203
    resolutionRating: { count: 203, average: 827 / 203, distribution: [9, 11, 24, 71, 88] },
    // (4 + 10 + 27 + 80 + 115) / 61 = 236 / 61
    ticketRating: { count: 61, average: 236 / 61, distribution: [4, 5, 9, 20, 23] },
  },
  ticketWaiting: { slaHours: 24, opened: 138, decidedWithinSla: 97, decidedOverSla: 19, waiting: 22, waitingOverSla: 6, medianHours: 9.5, p90Hours: 31.2 },
  byLanguage: {
    ja: { resolved: 301, handoff: 97, out_of_scope: 25, abandoned: 70, open: 8 },
    en: { resolved: 111, handoff: 41, out_of_scope: 12, abandoned: 26, open: 3 },
  },
  byChannel: {
    'local-webchat': { resolved: 388, handoff: 120, out_of_scope: 30, abandoned: 80, open: 9 },
    msteams: { resolved: 24, handoff: 18, out_of_scope: 7, abandoned: 16, open: 2 },
  },
};

/** Answers {@link REPORT} with the asked period and filters, and keeps every query. */
export class FakeReportService implements ReportService {
  readonly queries: ReportQuery[] = [];
  report(query: ReportQuery): Promise<Report> {
    this.queries.push(query);
    return Promise.resolve({
      ...REPORT,
      query: { ...REPORT.query, since: query.since.toISOString(), until: query.until.toISOString(), language: query.language ?? null, channel: query.channel ?? null },
    });
  }
}

export interface ReportConsole {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The console and the desk API's report route on a server of their own, over `running`'s agents,
 * sessions and audit trail, with `reports` (undefined: not configured) and {@link REPORT_NOW}.
 */
export async function startReportConsole(running: RunningApp, reports: ReportService | undefined): Promise<ReportConsole> {
  const { app } = running;
  const logger = createLogger('silent');
  const server = createServer(logger);
  const deskApi = registerDeskApiRoutes(server, {
    routes: reportRoutes({ desk: app.desk, reports, now: () => REPORT_NOW }),
    authenticator: app.deskAuth.authenticator,
    desk: app.desk,
    logger,
    version: 'test',
  });
  const deskConsole = registerDeskConsoleRoutes(server, {
    deskAuth: app.deskAuth,
    deskApi,
    tickets: app.agentTickets,
    feed: new TicketFeed({ repository: app.stores.tickets, logger }),
    config: { publicBaseUrl: running.baseUrl, defaultLocale: 'ja', verificationSlaHours: 24 },
    localizer: app.localizer,
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await deskConsole.close();
      server.close();
    },
  };
}
