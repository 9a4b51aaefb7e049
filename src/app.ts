// Longer than 250 lines because it is the composition root: every store, service, adapter and route is built and wired here, in start-up order, and nowhere else.
import type { CloudAdapter, Middleware } from 'botbuilder';
import type { Server } from 'restify';
import { readFileSync } from 'node:fs';
import { TROUBLESHOOTING_FLOW_VERSION, troubleshootingMachine } from '../flows/troubleshooting/index.js';
import { IDENTITY_FLOW_VERSION, identityMachine } from '../flows/identity/index.js';
import { createAdapter, turnErrorHandler } from './bot/adapter.js';
import { buildReport, TurnRecorder, type ReportService } from './analytics/index.js';
import { createLocalDirectLine, DIRECTLINE_CHANNEL_ID, type ConversationSignal, type LocalDirectLine } from './channel/directline/index.js';
import { botFrameworkChannel, CustomerNotifier, type ProactiveChannel } from './bot/customer-notifier.js';
import { serviceUrlPolicy } from './security/service-url-allowlist.js';
import { securityWarnings } from './security/startup-warnings.js';
import { TeamsAlertChannel } from './bot/teams-alert-channel.js';
import { createTicketAlerts, type TicketAlerts } from './desk/alerts/index.js';
import { redactionMiddleware } from './bot/redaction-middleware.js';
import { StorageRedactionMemory } from './bot/redaction-memory.js';
import { adminRoutes } from './desk/api/admin-routes.js';
import { reportRoutes } from './desk/api/report-routes.js';
import { ticketRoutes } from './desk/api/ticket-routes.js';
import { createDeskService, type DeskService } from './desk/desk-service.js';
import { ticketPathView } from './desk/ticket-path-view.js';
import { createAgentTicketService, type AgentTicketService } from './tickets/agent-ticket-service.js';
import { NotificationDispatcher, type DeliverNotification } from './tickets/outbox/notification-dispatcher.js';
import { SqliteNotificationOutbox } from './tickets/outbox/sqlite-notification-outbox.js';
import type { DeskExecutor } from './desk/api/executor.js';
import { registerDeskApiRoutes } from './server/desk-api-routes.js';
import { registerDeskConsoleRoutes, type DeskConsole } from './server/desk-console-routes.js';
import { TicketFeed } from './tickets/ticket-feed.js';
import { transcriptLines } from './transcripts/transcript-lines.js';
import { readWholeTranscript } from './transcripts/sqlite-transcript-store.js';
import { createDeskAuth, type DeskAuth } from './desk/auth/desk-auth.js';
import { registerDeskAuthRoutes } from './server/desk-auth-routes.js';
import { StepRenderer } from './conversation/step-renderer.js';
import { classify, CONFIDENT, warmUpClassifier } from './nlu/index.js';
import { createTicketService, type TicketService } from './tickets/index.js';
import { ticketHandoffPort } from './tickets/ticket-handoff-port.js';
import { ConversationStore } from './bot/conversation-store.js';
import { SupportBot } from './bot/support-bot.js';
import type { Config } from './config.js';
import { ConversationEngine, languageFromLocale } from './conversation/conversation-engine.js';
import type { FlowDefinition } from './conversation/flow-session.js';
import { Interpreter } from './conversation/interpreter.js';
import type { KeyedLock } from './conversation/keyed-lock.js';
import type { StoreBackend, Stores } from './stores/index.js';
import type { NotificationOutbox } from './tickets/outbox/notification-outbox.js';
import { createLocalizer, type Localizer } from './i18n/i18n.js';
import type { Logger } from './logger.js';
import { createServer } from './server/create-server.js';
import { registerHealthRoutes } from './server/health-route.js';
import { registerMetricsRoute } from './server/metrics-route.js';
import { MetricsListener } from './server/metrics-listener.js';
import { registerRequestLogContext } from './server/request-log-context.js';
import { AppMetrics } from './observability/app-metrics.js';
import { observedHandoffs } from './observability/observed-handoffs.js';
import { Readiness } from './observability/readiness.js';
import { turnLogFields, turnObservability } from './bot/turn-observability.js';
import { RequestDrain } from './server/request-drain.js';
import { registerMessagesRoute } from './server/messages-route.js';
import { registerDirectLineRoutes } from './server/directline-routes.js';
import { createRateLimits } from './server/rate-limit.js';
import { registerWebChatPageRoutes } from './server/webchat-page-route.js';
import type { SqliteDatabase } from './storage/database.js';
import {
  ActivitySanitizer,
  createTranscriptMiddleware,
  purgeExpiredTranscripts,
  purgeTranscriptLog,
  SqliteTranscriptStore,
  TranscriptLogStore,
  stepsAskingForDigits,
} from './transcripts/index.js';
import { appFile } from './app-files.js';

export const LOCALES_DIR = appFile('locales');

/** The package version, shown in the desk API's OpenAPI document. */
const APP_VERSION = (JSON.parse(readFileSync(appFile('package.json'), 'utf8')) as { version: string }).version;

export const troubleshootingFlow: FlowDefinition = {
  name: 'troubleshooting',
  version: TROUBLESHOOTING_FLOW_VERSION,
  machine: troubleshootingMachine,
  // Its context is the trail of step ids and two flags: nothing of the customer.
  sharedSnapshots: true,
};

export const identityFlow: FlowDefinition = {
  name: 'identity',
  version: IDENTITY_FLOW_VERSION,
  machine: identityMachine,
};

/** Every migration, by backend (defined with the foundations that apply them). */
export { ALL_MIGRATIONS, ALL_POSTGRES_MIGRATIONS, type PostgresAppOptions } from './app-foundation.js';
import { postgresFoundation, sqliteFoundation, type Foundation, type PostgresAppOptions } from './app-foundation.js';

/** The bot and what it stands on, without any HTTP, on either backend (see {@link openApp}). */
export interface BackendBotServices {
  /** Which database everything below lives in. */
  readonly backend: StoreBackend;
  /** Every store of the backend (tickets, outbox, agents, audit, web chat, alerts). */
  readonly stores: Stores;
  readonly bot: SupportBot;
  readonly localizer: Localizer;
  readonly engine: ConversationEngine;
  readonly tickets: TicketService;
  /** Agents' ticket actions without the desk's role checks (the desk adds them; tests act through this). */
  readonly agentTickets: AgentTicketService;
  /** Customer notifications waiting to be delivered (written with each ticket change). */
  readonly outbox: NotificationOutbox;
  /** Every activity in and out of the bot, sanitised (see src/transcripts). */
  readonly transcripts: TranscriptLogStore;
  /** What the transcript recorder does to every activity before storing it (replay compares through it). */
  readonly transcriptSanitizer: ActivitySanitizer;
  /**
   * Middleware every adapter in front of this bot must `use()`, in order (the Bot Framework
   * endpoint, the local web chat channel, replay), so that all channels behave the same.
   */
  readonly middleware: readonly Middleware[];
  /** Issue 18: what GET /metrics reports (turns, handoffs, tickets, outbox, web chat, the process). */
  readonly metrics: AppMetrics;
  /** Records every finished turn for the reports (queued, written every second and on close). */
  readonly recorder: TurnRecorder;
  /** The supervisors' report (src/analytics): what the desk console, its API and `npm run report` show. */
  readonly reports: ReportService;
  /** The customers' conversation state and its turn lock (the ticket-done rating question marks it). */
  readonly conversations: { readonly store: ConversationStore; readonly lock: KeyedLock };
  /** Writes what is still queued (transcripts), then closes the database (or ends the pools). */
  close(): void | Promise<void>;
}

/** The bot's services on SQLite (DATABASE_FILE): what {@link createBotServices} builds, synchronously. */
export interface BotServices extends BackendBotServices {
  readonly db: SqliteDatabase;
  readonly outbox: SqliteNotificationOutbox;
  readonly transcripts: SqliteTranscriptStore;
  /** Writes what is still queued (transcripts), then closes the database. */
  close(): void;
}

/** The whole service on either backend: what {@link openApp} builds. */
export interface BackendApp extends Omit<BackendBotServices, 'close'> {
  readonly server: Server;
  readonly adapter: CloudAdapter;
  /** The support desk's use cases (queue, ticket view, actions), as the desk API calls them. */
  readonly desk: DeskService;
  /** Runs desk API operations by id with the audit entry (the console's forms use it). */
  readonly deskApi: DeskExecutor;
  /** Delivers customer notifications from the outbox; `flush()` delivers what is due now. */
  readonly notifications: NotificationDispatcher;
  /** Sends one notification through its channel (what the dispatcher calls); throws when it could not. */
  readonly deliverNotification: DeliverNotification;
  /**
   * The local web chat channel. `directLine.adapter.continueConversationAsync(appId, reference, logic)`
   * delivers proactive messages to references whose channelId is `local-webchat`.
   */
  readonly directLine: LocalDirectLine;
  /** Support agents, their tokens and sessions; `deskAuth.authenticator` for every desk route. */
  readonly deskAuth: DeskAuth;
  /** The agents' web console at /desk; `deskConsole.feed.poll()` reads ticket changes now (tests). */
  readonly deskConsole: DeskConsole;
  /** Ticket cards in the agents' Teams channel (null when DESK_TEAMS_* are not set); `sync()` runs a round now. */
  readonly ticketAlerts: TicketAlerts | null;
  /**
   * The internal /metrics listener (METRICS_PORT), not listening yet: src/index.ts calls `listen()`
   * beside the public server's; `close()` stops it. Null when /metrics is not served apart.
   */
  readonly metricsListener: MetricsListener | null;
  /**
   * Stops the service: stop accepting requests, let those in flight finish (at most `graceMs`,
   * default 10 s), stop the background loops, deliver the notifications already due when
   * `deliverQueued` (the SIGTERM path; bounded by `graceMs` too), write the queued transcript
   * activities and close the database (SQLite) or end the pools (PostgreSQL). Undelivered
   * notifications stay in the outbox.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** The whole service on SQLite: what {@link createApp} builds. */
export interface App extends BackendApp, Omit<BotServices, 'close'> {
  readonly db: SqliteDatabase;
  readonly outbox: SqliteNotificationOutbox;
  readonly transcripts: SqliteTranscriptStore;
}

export interface CloseOptions {
  readonly graceMs?: number;
  readonly deliverQueued?: boolean;
}

/** How long a stopping server waits for turns in flight, and then for due notifications. */
const DEFAULT_GRACE_MS = 10_000;

function buildBotServices(config: Config, logger: Logger, foundation: Foundation): BackendBotServices {
  const { stores } = foundation;
  const localizer = createLocalizer(LOCALES_DIR, config.brand);
  const ticketRepository = stores.tickets;
  const tickets = createTicketService({ repository: ticketRepository, claims: { minAge: config.minCustomerAge } });
  const outbox = stores.outbox;
  const agentTickets = createAgentTicketService({ repository: ticketRepository, outbox });
  // Issue 18: the database figures are read when /metrics is scraped, at most once per 5 s.
  const metrics = new AppMetrics({ logger, databaseFigures: async () => ({ tickets: await ticketRepository.countByStatus(), outbox: await outbox.countUndelivered() }) });
  const engine = new ConversationEngine({
    troubleshooting: troubleshootingFlow,
    identity: identityFlow,
    renderer: new StepRenderer(localizer),
    interpreter: new Interpreter(localizer),
    defaultLanguage: config.defaultLocale,
    handoff: ticketHandoffPort(observedHandoffs(tickets, (reason) => metrics.handoffOpened(reason))),
    verificationSlaHours: config.verificationHoursTold,
    resetWithdrawalHoldHours: config.resetWithdrawalHoldHours,
    minCustomerAge: config.minCustomerAge,
    satisfactionRating: config.satisfactionRating,
    understand: (text, locale) => classify(text, { locale }),
    confident: CONFIDENT,
  });
  // The classifier now rather than on the first customer's message: its model cached next to the
  // database (keyed by the corpus; src/nlu/model-cache.ts), else the one the build shipped, else
  // trained and cached there.
  const nluStarted = performance.now();
  const nluSource = warmUpClassifier({
    dir: foundation.nluDir,
    warn: (message, err) => logger.warn({ err }, message),
  });
  classify('warm up');
  if (nluSource !== 'ready') logger.info({ source: nluSource, ms: Math.round(performance.now() - nluStarted) }, 'NLU classifier ready');
  // Issue 18: every finished turn recorded for the reports, off the turn's path.
  const recorder = new TurnRecorder({ store: foundation.analytics, logger });
  const reports = buildReport({ store: foundation.analytics, tickets: ticketRepository, abandonAfterMinutes: config.abandonAfterMinutes, verificationSlaHours: config.verificationSlaHours });
  foundation.analytics
    .purgeNotUnderstood(new Date(Date.now() - config.transcriptRetentionDays * 86_400_000))
    .catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, 'could not delete old not-understood messages'));
  const conversations = { store: new ConversationStore(foundation.state()), lock: foundation.lock };
  const bot = new SupportBot({
    engine,
    store: conversations.store,
    lock: conversations.lock,
    logger,
    observers: [recorder],
    sharedConversationNotice: (locale) =>
      localizer.forLanguage(languageFromLocale(locale) ?? config.defaultLocale)('common:sharedConversation'),
  });
  // Redaction first: nothing after it (transcripts, state, tickets, logs) ever sees a secret.
  const transcripts = foundation.transcripts;
  const machines = [troubleshootingFlow.machine, identityFlow.machine];
  const sanitizer = new ActivitySanitizer({ maxTextChars: config.transcriptMaxTextChars });
  const redaction = redactionMiddleware({
    asksForDigits: stepsAskingForDigits(machines),
    memory: new StorageRedactionMemory(foundation.state()),
  });
  // Turn ids in the logs and the turn metrics first, so they cover the whole turn.
  const middleware: Middleware[] = [turnObservability(metrics), redaction, createTranscriptMiddleware(transcripts, { sanitizer, logger, turnLogFields })];
  return {
    backend: foundation.backend,
    stores,
    bot,
    conversations,
    localizer,
    engine,
    tickets,
    agentTickets,
    outbox,
    transcripts,
    transcriptSanitizer: sanitizer,
    middleware,
    metrics,
    recorder,
    reports,
    close: async () => {
      await recorder.close();
      await foundation.close();
    },
  };
}

/** The bot's services on SQLite (DATABASE_FILE), synchronously: tests, replay. */
export function createBotServices(config: Config, logger: Logger): BotServices {
  const foundation = sqliteFoundation(config, logger);
  const services = buildBotServices(config, logger, foundation);
  // The SQLite store writes synchronously: the recorder's queue is in the file before it closes.
  const close = () => {
    void services.recorder.close();
    foundation.close();
  };
  return { ...services, db: foundation.db, outbox: foundation.stores.outbox as SqliteNotificationOutbox, transcripts: foundation.transcripts, close };
}

/** Builds the whole service on SQLite (DATABASE_FILE) from validated configuration; no listening yet. */
export function createApp(config: Config, logger: Logger): App {
  for (const warning of securityWarnings(config)) logger.warn({ security: true }, warning);
  const foundation = sqliteFoundation(config, logger);
  const services = buildBotServices(config, logger, foundation);
  purgeExpiredTranscripts(foundation.transcripts, config.transcriptRetentionDays, logger);
  const app = assembleApp(config, logger, services, foundation, foundation.conversationSignal);
  return { ...app, db: foundation.db, outbox: foundation.stores.outbox as SqliteNotificationOutbox, transcripts: foundation.transcripts };
}

/**
 * Builds the whole service on the configured backend: PostgreSQL when DATABASE_URL is set
 * (migrations applied at start), else SQLite exactly as {@link createApp}. No listening yet.
 */
export async function openApp(config: Config, logger: Logger, postgres: PostgresAppOptions = {}): Promise<BackendApp> {
  if (config.databaseUrl === undefined) return createApp(config, logger);
  for (const warning of securityWarnings(config)) logger.warn({ security: true }, warning);
  const foundation = await postgresFoundation(config, logger, postgres);
  try {
    const services = buildBotServices(config, logger, foundation);
    await purgeTranscriptLog(foundation.transcripts.log, config.transcriptRetentionDays, logger);
    return assembleApp(config, logger, services, foundation, foundation.conversationSignal);
  } catch (err) {
    await foundation.close();
    throw err;
  }
}

function assembleApp(config: Config, logger: Logger, services: BackendBotServices, health: Pick<Foundation, 'ping' | 'migrated'>, signal: ConversationSignal): BackendApp {
  const { bot, localizer, stores } = services;
  const adapter = createAdapter(config, localizer, logger);
  adapter.use(...services.middleware);
  // Proactive messages (ticket updates) go back through the channel the conversation is on.
  const proactive = new Map<string, ProactiveChannel>();
  // Replies and proactive messages go only to allowed service URLs (BOT_SERVICE_URL_ALLOWLIST).
  const serviceUrls = serviceUrlPolicy(config.bot.serviceUrls.patterns, config.bot.serviceUrls);
  const botFramework = botFrameworkChannel(adapter, config.bot.appId, serviceUrls);
  const notifier = new CustomerNotifier({
    localizer,
    channelFor: (channelId) => proactive.get(channelId) ?? botFramework,
    resetWithdrawalHoldHours: config.resetWithdrawalHoldHours,
    satisfaction: config.satisfactionRating ? { conversations: services.conversations.store, lock: services.conversations.lock } : undefined,
  });
  const deliverNotification: DeliverNotification = (n) => notifier.deliver(n);
  const notifications = new NotificationDispatcher({ outbox: services.outbox, deliver: deliverNotification, logger });
  const server = createServer(logger, { https: config.publicBaseUrl.startsWith('https:') });
  // Issue 12: first `pre` after the shared ones, so a stopping server counts every request it accepted.
  const drain = new RequestDrain(server);
  // Issue 18: a request id on the log lines of every desk request.
  registerRequestLogContext(server);
  // Issue 12: per address and per conversation, in this process (see src/server/rate-limit.ts).
  const rateLimits = createRateLimits(config.rateLimits);
  registerMessagesRoute(server, { adapter, bot, serviceUrls, logger, rateLimits });
  // Issue 18: /livez, /readyz (and /healthz, the same), /metrics where configured.
  const readiness = new Readiness(
    {
      database: health.ping,
      migrations: health.migrated,
      outbox: () => {
        if (!notifications.running) throw new Error('the outbox dispatcher is stopped');
      },
    },
    logger,
  );
  registerHealthRoutes(server, readiness);
  const metricsAccess = { token: config.metrics.token };
  registerMetricsRoute(server, services.metrics, { ...metricsAccess, internalListener: config.metrics.listener !== null });
  const metricsListener = config.metrics.listener && new MetricsListener({ metrics: services.metrics, access: metricsAccess, ...config.metrics.listener, logger });
  if (config.metrics.token === null && config.metrics.listener === null) {
    logger.warn('GET /metrics is not served: set METRICS_TOKEN (a Bearer token) and/or METRICS_PORT (an internal listener) to expose it');
  }
  const directLine = createLocalDirectLine({
    store: stores.directLine,
    logic: (context) => bot.run(context),
    middleware: services.middleware,
    onTurnError: turnErrorHandler(localizer, logger),
    secret: config.directLine.secret,
    tokenTtlSeconds: config.directLine.tokenTtlSeconds,
    bot: { id: config.bot.appId || 'tfa-support-bot', name: config.brand[config.defaultLocale].exchangeName },
    publicBaseUrl: config.publicBaseUrl,
    signal,
    streams: config.directLine.streams,
    logger,
  });
  // Web chat history holds customers' messages: it follows the transcript retention period.
  directLine.store
    .deleteIdleConversations(new Date(Date.now() - config.transcriptRetentionDays * 86_400_000))
    .then((deleted) => deleted > 0 && logger.info({ deleted }, 'idle web chat conversations deleted'))
    .catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, 'could not delete idle web chat conversations'));
  proactive.set(DIRECTLINE_CHANNEL_ID, directLine.adapter);
  services.metrics.countWebChatConnections(() => directLine.channel.openStreams());
  registerDirectLineRoutes(server, directLine.channel, logger, rateLimits, { publicBaseUrl: config.publicBaseUrl });
  registerWebChatPageRoutes(server, { localizer, defaultLanguage: config.defaultLocale, logger, publicBaseUrl: config.publicBaseUrl });
  const deskAuth = createDeskAuth({ stores, config });
  registerDeskAuthRoutes(server, { deskAuth, config, localizer, logger, rateLimits });
  const desk = createDeskService({
    tickets: services.agentTickets,
    audit: stores.audit,
    readTranscript: async (t) => transcriptLines(await readWholeTranscript(services.transcripts, t.channelId, t.conversationId), t.userId),
    describePath: ticketPathView(localizer, troubleshootingFlow.machine),
    notificationsQueued: () => notifications.wake(),
    isActiveAgent: async (id) => (await deskAuth.agents.get(id).catch(() => null))?.active === true,
    verificationSlaHours: config.verificationSlaHours,
  });
  const deskApi = registerDeskApiRoutes(server, {
    routes: [
      ...ticketRoutes({ desk, verificationSlaHours: config.verificationSlaHours, defaultLanguage: config.defaultLocale }),
      ...adminRoutes({ desk, agents: deskAuth.agents, tokens: deskAuth.tokens }),
      // Issue 18: the supervisors' report, from the same ReportService as `npm run report`.
      ...reportRoutes({ desk, reports: services.reports }),
    ],
    authenticator: deskAuth.authenticator,
    desk,
    logger,
    version: APP_VERSION,
    addressOf: rateLimits.addressOf,
  });
  // Issue 11: the agents' console, with its own change feed for the live queue.
  const deskConsole = registerDeskConsoleRoutes(server, {
    deskAuth,
    deskApi,
    config,
    localizer,
    logger,
    feed: new TicketFeed({ repository: stores.tickets, logger }),
    tickets: services.agentTickets,
    addressOf: rateLimits.addressOf,
  });
  deskConsole.start();
  notifications.start();
  // Issue 11: a card per new ticket in the agents' Teams channel, updated in place as the ticket changes.
  const ticketAlerts = config.deskAlerts
    ? createTicketAlerts({
        stores,
        settings: config.deskAlerts,
        channel: new TeamsAlertChannel(adapter, config.bot.appId, config.deskAlerts),
        localizer,
        verificationSlaHours: config.verificationSlaHours,
        publicBaseUrl: config.publicBaseUrl,
        logger,
      })
    : null;
  ticketAlerts?.start();
  return {
    ...services,
    server,
    adapter,
    desk,
    deskApi,
    notifications,
    deliverNotification,
    directLine,
    deskAuth,
    deskConsole,
    ticketAlerts,
    metricsListener,
    async close(options: CloseOptions = {}) {
      const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
      // Open event streams first: they never end by themselves.
      await deskConsole.close();
      directLine.channel.streams.close();
      const { drained, abandoned } = await drain.close(graceMs);
      if (!drained) logger.warn({ abandoned, graceMs }, 'requests still running at shutdown were cut off');
      await notifications.stop();
      await ticketAlerts?.stop();
      await metricsListener?.close();
      if (options.deliverQueued) await deliverDue(notifications, graceMs, logger);
      // What was not attempted stays in the outbox for the next start.
      await services.close();
    },
  };
}

/** One dispatcher round for what is due now, bounded: a slow channel must not hold the shutdown. */
async function deliverDue(notifications: NotificationDispatcher, graceMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
  try {
    const result = await Promise.race([notifications.flush(), timeout]);
    if (result === 'timeout') logger.warn({ graceMs }, 'notifications still being delivered at shutdown; the rest stay in the outbox');
    else if (result > 0) logger.info({ delivered: result }, 'notifications delivered at shutdown');
  } catch (err) {
    logger.warn({ err: { message: (err as Error).message } }, 'could not deliver notifications at shutdown');
  } finally {
    clearTimeout(timer);
  }
}
