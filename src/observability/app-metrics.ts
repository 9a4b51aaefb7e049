/**
 * What GET /metrics reports, in Prometheus' text format (prom-client), one registry per app (tests
 * build many apps in one process) beside the process's own figures (process-metrics.ts).
 *
 * Two kinds of figures: those of this instance, counted as things happen at the cost of a few
 * additions (turns, their duration and errors by channel, active conversations, handoffs by
 * reason, web chat connections), and those of the whole service, read from the database when
 * scraped, at most once per `databaseCacheMs` (tickets by status, the outbox's backlog and
 * failures). Labels are closed sets (channels: channel-label.ts; reasons and statuses: flows/),
 * so no caller can add series. No figure carries a customer's id or words.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HANDOFF_REASONS } from '../../flows/outcome.js';
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import type { Logger } from '../logger.js';
import type { UndeliveredCounts } from '../tickets/outbox/notification-outbox.js';
import type { StatusCounts } from '../tickets/ticket-queue.js';
import { ActiveConversations } from './active-conversations.js';
import { cachedReading } from './cached-reading.js';
import { channelLabel } from './channel-label.js';
import { processMetrics } from './process-metrics.js';

/** A conversation counts as active this long after its last turn (said in the figure's HELP). */
export const ACTIVE_CONVERSATION_MINUTES = 15;

/** The service-wide figures read from the database at scrape time. */
export interface DatabaseFigures {
  readonly tickets: StatusCounts;
  readonly outbox: UndeliveredCounts;
}

export interface AppMetricsOptions {
  /** Reads tickets by status and the outbox's counts (all instances); absent: those figures are left out. */
  readonly databaseFigures?: () => Promise<DatabaseFigures>;
  /** How long one database reading serves scrapes (default 5 s). */
  readonly databaseCacheMs?: number;
  /** Milliseconds, monotonic (tests move it by hand). */
  readonly now?: () => number;
  readonly logger?: Logger;
}

/** Seconds: a turn is a few milliseconds in process, a second or more with a slow store or connector. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface ChannelSeries {
  readonly label: string;
  readonly duration: { observe(seconds: number): void };
  readonly turns: { inc(): void };
  readonly errors: { inc(): void };
}

export class AppMetrics {
  readonly registry = new Registry();
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #active = new ActiveConversations({ windowMs: ACTIVE_CONVERSATION_MINUTES * 60_000 });
  /** prom-client's labelled children, made once per channel: a turn then hashes no label set. */
  readonly #channels = new Map<string, ChannelSeries>();
  readonly #duration: Histogram<'channel'>;
  readonly #turns: Counter<'channel'>;
  readonly #errors: Counter<'channel'>;
  readonly #handoffs: Counter<'reason'>;
  #webChatConnections: (() => number) | undefined;
  #databaseFailing = false;

  constructor(options: AppMetricsOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#logger = options.logger;
    const registers = [this.registry];
    this.#duration = new Histogram({
      name: 'supportbot_turn_duration_seconds',
      help: 'Time to handle one incoming activity, from the first middleware to the last reply (whole turn), by channel.',
      labelNames: ['channel'],
      buckets: TURN_BUCKETS,
      registers,
    });
    this.#turns = new Counter({ name: 'supportbot_turns_total', help: 'Incoming activities handled by this instance, by channel.', labelNames: ['channel'], registers });
    this.#errors = new Counter({
      name: 'supportbot_turn_errors_total',
      help: 'Turns of this instance that failed (the customer got an apology), by channel.',
      labelNames: ['channel'],
      registers,
    });
    this.#handoffs = new Counter({
      name: 'supportbot_handoffs_total',
      help: 'Tickets opened from a chat by this instance (a handoff to the support desk), by handoff reason.',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of HANDOFF_REASONS) this.#handoffs.inc({ reason }, 0);
    const active = this.#active;
    const now = this.#now;
    new Gauge({
      name: 'supportbot_active_conversations',
      help: `Conversations with a turn in the last ${ACTIVE_CONVERSATION_MINUTES} minutes in this instance (each instance counts its own).`,
      registers,
      collect() {
        this.set(active.count(now()));
      },
    });
    const connections = () => this.#webChatConnections;
    new Gauge({
      name: 'supportbot_webchat_connections',
      help: 'Open web chat connections (Direct Line streams) held by this instance.',
      registers,
      collect() {
        this.set(connections()?.() ?? 0);
      },
    });
    if (options.databaseFigures) this.#databaseGauges(cachedReading(options.databaseFigures, options.databaseCacheMs ?? 5_000, this.#now));
  }

  /** One finished turn (failed: it threw). The hot path: a few Map look-ups and additions. */
  recordTurn(channelId: string | undefined, conversationId: string | undefined, seconds: number, failed: boolean): void {
    const series = this.#series(channelLabel(channelId));
    series.duration.observe(seconds);
    series.turns.inc();
    if (failed) series.errors.inc();
    if (conversationId !== undefined) this.#active.touch(series.label, conversationId, this.#now());
  }

  /** A ticket was opened from a chat for this reason. */
  handoffOpened(reason: string): void {
    this.#handoffs.inc({ reason });
  }

  /** Where the web chat connection count comes from (the local Direct Line channel). */
  countWebChatConnections(count: () => number): void {
    this.#webChatConnections = count;
  }

  /** The exposition: the process's figures, then this app's. */
  async metrics(): Promise<string> {
    const [processText, appText] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return processText.endsWith('\n') ? processText + appText : `${processText}\n${appText}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #series(label: string): ChannelSeries {
    let series = this.#channels.get(label);
    if (series === undefined) {
      series = { label, duration: this.#duration.labels(label), turns: this.#turns.labels(label), errors: this.#errors.labels(label) };
      this.#channels.set(label, series);
    }
    return series;
  }

  #databaseGauges(read: () => Promise<DatabaseFigures>): void {
    const registers = [this.registry];
    // A failed reading leaves the figures out or unknown (NaN) rather than stale; the log says why, once.
    const figures = async (): Promise<DatabaseFigures | undefined> => {
      try {
        const result = await read();
        if (this.#databaseFailing) this.#logger?.info('metrics: the database figures can be read again');
        this.#databaseFailing = false;
        return result;
      } catch (err) {
        if (!this.#databaseFailing) this.#logger?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'metrics: could not read the database figures');
        this.#databaseFailing = true;
        return undefined;
      }
    };
    new Gauge({
      name: 'supportbot_tickets',
      help: 'Tickets by status, all instances (read from the database, cached for a few seconds).',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        const counts = (await figures())?.tickets;
        if (counts) for (const status of TICKET_STATUSES) this.set({ status }, counts[status] ?? 0);
      },
    });
    new Gauge({
      name: 'supportbot_outbox_backlog',
      help: 'Customer notifications waiting to be delivered (pending or being sent), all instances (read from the database, cached for a few seconds).',
      registers,
      async collect() {
        // Unknown, not zero, when the database could not be read.
        const outbox = (await figures())?.outbox;
        this.set(outbox ? outbox.pending + outbox.sending : Number.NaN);
      },
    });
    new Gauge({
      name: 'supportbot_outbox_failed',
      help: 'Customer notifications that failed for good (every attempt), waiting for an agent to send them again; all instances.',
      registers,
      async collect() {
        const outbox = (await figures())?.outbox;
        this.set(outbox ? outbox.failed : Number.NaN);
      },
    });
  }
}
