/**
 * The support agents' web console over HTTP: the queue (`/desk`), a ticket, the audit trail, agent
 * administration, their plain HTML forms (CSRF-checked, Post/Redirect/Get), the live queue's
 * event stream, the reports (issue 18: page, CSV, the chart library) and the console's own script and stylesheet. Pages and forms live in
 * src/desk/console; this file turns requests into them and their results into responses.
 *
 * Longer than 250 lines because every console route is registered here against one set of
 * request helpers (session, CSRF, language); the pages and forms themselves are in src/desk/console.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { h } from 'preact';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Localizer } from '../i18n/i18n.js';
import { logFields, type Logger } from '../logger.js';
import { requestLogContext } from './request-log-context.js';
import { troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import type { TicketFeed } from '../tickets/ticket-feed.js';
import type { Ticket } from '../tickets/ticket.js';
import { parseTicketId } from '../ticket-id.js';
import { clearSessionCookie, readCookie, secureCookies, SESSION_COOKIE } from '../desk/auth/cookies.js';
import type { DeskAuth } from '../desk/auth/desk-auth.js';
import { sha256Hex } from '../desk/auth/secrets.js';
import { ConsoleEvents } from '../desk/console/console-events.js';
import { addAgentForm, createTokenForm, retryForm, revokeTokenForm, ticketForm, updateAgentForm, type FormResult } from '../desk/console/console-forms.js';
import { browserTimeZone, field, formBody, languageCookie, languageOf, loginLocation, redirect, sendPage } from '../desk/console/console-http.js';
import { agentPage, agentsPage, auditPage, queuePage, ticketPage, type ConsolePageDeps } from '../desk/console/console-pages.js';
import { consoleSession, type ConsoleSession } from '../desk/console/console-session.js';
import { clearFlashCookie, flashCookie, flashText, readFlash } from '../desk/console/flash.js';
import { pickTimeZone } from '../desk/console/format.js';
import { liveQueueStream } from '../desk/console/live-queue.js';
import { parseQueueForm } from '../desk/console/queue-filter.js';
import { reportCsvDownload, reportsPage, type ReportPageDeps } from '../desk/console/report-loader.js';
import type { RenderedPage } from '../desk/console/render.js';
import { ErrorPage, FormExpired, NotFoundPage } from '../desk/console/status-pages.js';
import { ticketTrailReader } from '../desk/console/ticket-trail.js';
import { renderTroubleshootingTree } from '../desk/tree/index.js';
import type { DeskExecutor } from '../desk/api/executor.js';
import { loadChartLibrary } from './chart-library.js';
import { PUBLIC_DIR } from './webchat-page-route.js';

export interface DeskConsoleDeps {
  readonly deskAuth: DeskAuth;
  /** Tickets as stored, for their trail through the guide (read after the audited ticket read). */
  readonly tickets: { get(id: string): Promise<Ticket | undefined> };
  readonly deskApi: DeskExecutor;
  /** The console's own change feed (the live queue); started and stopped with the console. */
  readonly feed: TicketFeed;
  readonly config: Pick<Config, 'publicBaseUrl' | 'defaultLocale' | 'verificationSlaHours'>;
  readonly localizer: Localizer;
  readonly logger: Logger;
  /** The client's address for the audit trail (TRUST_PROXY aware); defaults to the connection's peer. */
  readonly addressOf?: (req: Request) => string;
  /** How often open event streams get a heartbeat and a session check (default 20 s). */
  readonly heartbeatMs?: number;
}

export interface DeskConsole {
  readonly feed: TicketFeed;
  readonly events: ConsoleEvents;
  start(): void;
  /** Ends the open event streams (before the server closes: it waits for open connections) and the feed. */
  close(): Promise<void>;
}

/** The console's files under /desk/assets/ (public/desk/, and the tree's stylesheet when it exists). */
function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const files: [string, string, string][] = [
    ['desk.css', join(PUBLIC_DIR, 'desk', 'desk.css'), 'text/css; charset=utf-8'],
    ['desk.js', join(PUBLIC_DIR, 'desk', 'desk.js'), 'text/javascript; charset=utf-8'],
    ['desk-reports.js', join(PUBLIC_DIR, 'desk', 'desk-reports.js'), 'text/javascript; charset=utf-8'],
    ['desk-reports.css', join(PUBLIC_DIR, 'desk', 'desk-reports.css'), 'text/css; charset=utf-8'],
    ['desk-tree.css', join(PUBLIC_DIR, 'desk-tree.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(files.filter(([, path]) => existsSync(path)).map(([name, path, type]) => [name, { type, body: readFileSync(path) }]));
}

export function registerDeskConsoleRoutes(server: Server, deps: DeskConsoleDeps): DeskConsole {
  const { deskAuth, deskApi, config, localizer, logger } = deps;
  const { authenticator } = deskAuth;
  const secure = secureCookies(config.publicBaseUrl);
  const assets = loadAssets();
  const events = new ConsoleEvents({ feed: deps.feed, logger, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}) });
  const pageDeps: ConsolePageDeps = {
    listAgents: () => deskAuth.agents.list(),
    ticketTrail: ticketTrailReader(troubleshootingMachine, (id) => deps.tickets.get(id)),
    drawTree: (trail, lang) => renderTroubleshootingTree({ lang, translate: localizer.forLanguage(lang), path: trail.steps, endedAt: trail.endedAt }),
    logger,
  };
  const chart = loadChartLibrary();
  const reportDeps: ReportPageDeps = {
    chartScript: chart?.url ?? '',
    drawTree: (counts, endings, lang) => renderTroubleshootingTree({ lang, translate: localizer.forLanguage(lang), counts, endings }),
    logger,
  };

  /** The ticket a console request is about, when its `:id` is one (agent ids are not). */
  const ticketIdOf = (req: Request): string | null =>
    req.path().startsWith('/desk/tickets/') && typeof req.params?.id === 'string' ? parseTicketId(req.params.id) : null;
  const sourceOf = (req: Request): string | null => (deps.addressOf ? deps.addressOf(req) : (req.socket?.remoteAddress ?? null));

  /**
   * The signed-in console request, or null after answering with the way to sign in. A form
   * (`refusedAs`: its operation) posted without a session is audited as refused, like the API's;
   * a page redirected to sign-in read nothing and is not.
   */
  async function begin(req: Request, res: Response, refusedAs?: string): Promise<{ session: ConsoleSession; cookies: string[] } | null> {
    const auth = await authenticator.tryAuthenticate(req);
    if (!auth || auth.via !== 'session') {
      if (refusedAs !== undefined) await deskApi.refuse(refusedAs, null, ticketIdOf(req), sourceOf(req), 'unauthorized', requestLogContext(req));
      const stale = readCookie(req.header('cookie'), SESSION_COOKIE) !== null;
      const get = req.method === 'GET';
      // A form posted after the session ended cannot be replayed: sign in, then back to the queue.
      redirect(res, get ? 302 : 303, loginLocation(get ? req.url : undefined), stale ? { 'Set-Cookie': clearSessionCookie(secure) } : {});
      return null;
    }
    const lang = languageOf(req, config.defaultLocale);
    const t = localizer.forLanguage(lang);
    const note = readFlash(req.header('cookie'));
    const cookies = [languageCookie(req, lang, secure), note ? clearFlashCookie(secure) : null].filter((c): c is string => c !== null);
    const page = {
      lang,
      t,
      agent: auth.agent,
      csrfToken: auth.csrfToken ?? '',
      url: req.url ?? '/desk',
      now: new Date(),
      timeZone: pickTimeZone(browserTimeZone(req)),
    };
    const flash = note ? { kind: note.kind, text: flashText(note, t) } : null;
    return { session: consoleSession(deskApi, auth, page, flash, sourceOf(req), requestLogContext(req)), cookies };
  }

  function send(res: Response, session: ConsoleSession, cookies: string[], page: RenderedPage): void {
    sendPage(res, page, session.page.lang, cookies.length > 0 ? { 'Set-Cookie': cookies } : {});
  }

  /** A page route: signed in, rendered, and a failure shown as a page (the log has the details). */
  function page(path: string, build: (s: ConsoleSession, req: Request) => Promise<RenderedPage>): void {
    server.get(path, async (req: Request, res: Response) => {
      const begun = await begin(req, res);
      if (!begun) return;
      let rendered: RenderedPage;
      try {
        rendered = await build(begun.session, req);
      } catch (err) {
        logger.error({ ...logFields(requestLogContext(req)), err: { name: (err as Error).name, message: (err as Error).message }, path }, 'desk console: page failed');
        rendered = begun.session.render(500, h(ErrorPage, null));
      }
      send(res, begun.session, begun.cookies, rendered);
    });
  }

  /**
   * A form route: signed in, the session's CSRF token in the form (a refusal is audited like the
   * API's), then the action; the answer is a redirect with a message, or a page.
   */
  function form(path: string, operationId: string | ((req: Request) => string), handle: (s: ConsoleSession, req: Request, body: Record<string, unknown>) => Promise<FormResult>): void {
    server.post(path, async (req: Request, res: Response) => {
      const begun = await begin(req, res, typeof operationId === 'string' ? operationId : operationId(req));
      if (!begun) return;
      const { session, cookies } = begun;
      const body = formBody(req);
      // The page the form was on: the ticket or agent it acts on.
      const back = /^\/desk\/(tickets|agents)\/[A-Za-z0-9_-]+/.exec(req.path())?.[0] ?? (req.path().startsWith('/desk/agents') ? '/desk/agents' : '/desk');
      try {
        authenticator.checkCsrf(req, session.auth, field(body, 'csrf'));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'forbidden') throw err;
        await deskApi.refuse(typeof operationId === 'string' ? operationId : operationId(req), session.auth.agent.id, ticketIdOf(req), sourceOf(req), 'forbidden', requestLogContext(req));
        return send(res, session, cookies, session.render(403, h(FormExpired, { back })));
      }
      let result: FormResult;
      try {
        result = await handle(session, req, body);
      } catch (err) {
        logger.error({ ...logFields(requestLogContext(req)), err: { name: (err as Error).name, message: (err as Error).message }, path }, 'desk console: form failed');
        result = { kind: 'page', page: session.render(500, h(ErrorPage, null)) };
      }
      if (result.kind === 'redirect') return redirect(res, 303, result.location, { 'Set-Cookie': [...cookies, flashCookie(result.flash, secure)] });
      if (result.kind === 'page') return send(res, session, cookies, result.page);
      send(res, session, cookies, session.render(404, h(NotFoundPage, null)));
    });
  }

  server.get('/desk/assets/:name', async (req: Request, res: Response) => {
    const asset = assets.get(String(req.params?.name ?? ''));
    if (!asset) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': asset.type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    res.end(asset.body);
  });

  // The chart library: a versioned URL, so it may be cached for a year (issue 18).
  if (chart) {
    server.get(chart.url, async (req: Request, res: Response) => {
      const headers = { ETag: chart.etag, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' };
      if (req.header('if-none-match') === chart.etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(chart.body);
    });
  }

  page('/desk', (s, req) => queuePage(s, req.query, pageDeps));
  page('/desk/reports', (s, req) => reportsPage(s, req.query, reportDeps));
  server.get('/desk/reports.csv', async (req: Request, res: Response) => {
    const begun = await begin(req, res);
    if (!begun) return;
    const result = await reportCsvDownload(begun.session, req.query).catch((err: unknown) => {
      logger.error({ ...logFields(requestLogContext(req)), err: { name: (err as Error).name, message: (err as Error).message }, path: '/desk/reports.csv' }, 'desk console: page failed');
      return begun.session.render(500, h(ErrorPage, null));
    });
    if ('html' in result) return send(res, begun.session, begun.cookies, result);
    const disposition = `attachment; filename="${result.filename}"`;
    res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(result.csv);
  });
  page('/desk/tickets/:id', (s, req) => ticketPage(s, String(req.params?.id ?? ''), pageDeps));
  page('/desk/audit', (s, req) => auditPage(s, req.query, pageDeps));
  page('/desk/agents', (s) => agentsPage(s));
  page('/desk/agents/:id', (s, req) => agentPage(s, String(req.params?.id ?? '')));

  const TICKET_OPERATIONS: Record<string, string> = {
    assign: 'assignTicket',
    note: 'addNote',
    verify: 'verifyIdentity',
    fail: 'failVerification',
    approve: 'approveChange',
    'carry-out': 'markCarriedOut',
    'request-info': 'requestInfo',
    resolve: 'resolveTicket',
    close: 'closeTicket',
  };
  form('/desk/tickets/:id/notifications/:notificationId/retry', 'retryNotification', (s, req) =>
    retryForm(s, String(req.params?.id ?? ''), String(req.params?.notificationId ?? '')),
  );
  form(
    '/desk/tickets/:id/:action',
    (req) => TICKET_OPERATIONS[String(req.params?.action)] ?? 'unknown',
    (s, req, body) => ticketForm(s, String(req.params?.id ?? ''), String(req.params?.action ?? ''), body),
  );
  form('/desk/agents', 'addAgent', (s, _req, body) => addAgentForm(s, body));
  form('/desk/agents/:id', 'updateAgent', (s, req, body) => updateAgentForm(s, String(req.params?.id ?? ''), body));
  form('/desk/agents/:id/tokens', 'createToken', (s, req, body) => createTokenForm(s, String(req.params?.id ?? ''), body));
  form('/desk/agents/:id/tokens/:tokenId/revoke', 'revokeToken', (s, req) => revokeTokenForm(s, String(req.params?.id ?? ''), String(req.params?.tokenId ?? '')));

  server.get('/desk/events', async (req: Request, res: Response) => {
    const begun = await authenticator.tryAuthenticate(req);
    const sessionId = readCookie(req.header('cookie'), SESSION_COOKIE);
    if (!begun || begun.via !== 'session' || sessionId === null) {
      // The stream reads the queue: a refusal is audited like the API's listTickets.
      await deskApi.refuse('listTickets', begun?.agent.id ?? null, null, sourceOf(req), 'unauthorized', requestLogContext(req));
      // EventSource does not retry after an error status: the page says the session ended.
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('sign in to the support desk');
      return;
    }
    const lang = languageOf(req, config.defaultLocale);
    const page = {
      lang,
      t: localizer.forLanguage(lang),
      agent: begun.agent,
      csrfToken: begun.csrfToken ?? '',
      url: '/desk',
      now: new Date(),
      timeZone: pickTimeZone(browserTimeZone(req)),
    };
    const session = consoleSession(deskApi, begun, page, null, sourceOf(req), requestLogContext(req));
    events.open(
      res,
      liveQueueStream({
        session,
        form: parseQueueForm(req.query),
        slaHours: config.verificationSlaHours,
        listAgents: pageDeps.listAgents,
        // Without counting as activity: an unattended queue must still reach its idle timeout.
        signedIn: async () => (await authenticator.tryAuthenticate(req, { touch: false }))?.via === 'session',
        // The hash, so the streams' bookkeeping holds no usable session id.
        sessionKey: sha256Hex(sessionId),
      }),
      requestLogContext(req),
    );
  });

  return {
    feed: deps.feed,
    events,
    start() {
      events.start();
      deps.feed.start();
    },
    async close() {
      events.close();
      await deps.feed.stop();
    },
  };
}
