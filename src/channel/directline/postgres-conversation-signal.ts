/**
 * {@link ConversationSignal} across instances on one PostgreSQL: `pg_notify` on the stores' pool
 * after an activity is stored, and one dedicated connection per instance that LISTENs. The payload
 * is the conversation id and the watermark (never text). A dropped listening connection is logged
 * and opened again with a growing delay; listeners then hear `missed`, as notifications sent in
 * between are lost, and streams look at the store again.
 */
import type { Logger } from '../../logger.js';
import type { PgClient, PgPool } from '../../storage/postgres/index.js';
import { SignalListeners, type ConversationEvent, type ConversationSignal, type ConversationSignalListener, type ConversationSignalMessage } from './conversation-signal.js';

export interface PostgresConversationSignalOptions {
  /** Where `pg_notify` runs (any connection: the stores' pool). */
  readonly pool: PgPool;
  /** A pool of its own for the one connection held for LISTEN (so it never takes a store's connection). */
  readonly listenPool: PgPool;
  /**
   * The notification channel. Channels are per database, not per schema: instances of one app on
   * one schema share it; another schema (tests) should use another name.
   */
  readonly channel?: string;
  readonly logger: Logger;
  /** First delay before listening again after a drop (doubles up to 30 s). */
  readonly retryMs?: number;
}

export const DEFAULT_SIGNAL_CHANNEL = 'tfa_directline';
const MAX_RETRY_MS = 30_000;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** The payload: `a <watermark> <conversation id>` or `e <conversation id>`. */
const PAYLOAD = /^(?:a (\d{1,15})|e) ([A-Za-z0-9_-]{1,64})$/;

/** A channel name for a schema (tests give each file one): `tfa_directline_<schema>`, cut to PostgreSQL's 63. */
export function signalChannelFor(schema: string | undefined): string {
  return schema === undefined ? DEFAULT_SIGNAL_CHANNEL : `${DEFAULT_SIGNAL_CHANNEL}_${schema}`.slice(0, 63);
}

export class PostgresConversationSignal implements ConversationSignal {
  readonly #listeners = new SignalListeners();
  readonly #options: PostgresConversationSignalOptions;
  readonly #channel: string;
  #client: PgClient | undefined;
  #closed = false;
  #retryMs: number;
  #retryTimer: NodeJS.Timeout | undefined;
  #everListened = false;

  constructor(options: PostgresConversationSignalOptions) {
    this.#options = options;
    this.#channel = options.channel ?? DEFAULT_SIGNAL_CHANNEL;
    if (!CHANNEL_NAME.test(this.#channel)) throw new Error(`invalid notification channel ${JSON.stringify(this.#channel)}`);
    this.#retryMs = options.retryMs ?? 1000;
  }

  /** Opens the listening connection; resolves once listening, or once the first attempt failed (retried in the background). */
  async start(): Promise<void> {
    await this.#listen();
  }

  /** True while the listening connection is up. */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  async publish(event: ConversationEvent): Promise<void> {
    this.#listeners.deliver(event);
    const payload = event.kind === 'activity' ? `a ${event.watermark} ${event.conversationId}` : `e ${event.conversationId}`;
    try {
      await this.#options.pool.query('SELECT pg_notify($1, $2)', [this.#channel, payload]);
    } catch (err) {
      // The activity is stored; other instances' streams find it at their next check.
      this.#options.logger.warn({ err: { message: (err as Error).message } }, 'could not signal a web chat activity to other instances');
    }
  }

  subscribe(listener: ConversationSignalListener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      try {
        await client.query(`UNLISTEN ${this.#channel}`);
        client.release();
      } catch (err) {
        client.release(err as Error);
      }
    }
    await this.#options.listenPool.end();
  }

  async #listen(): Promise<void> {
    if (this.#closed) return;
    let client: PgClient | undefined;
    try {
      client = await this.#options.listenPool.connect();
      client.on('notification', (n) => {
        if (n.channel !== this.#channel) return;
        const message = parsePayload(n.payload);
        if (message) this.#listeners.deliver(message);
      });
      client.on('error', (err) => this.#dropped(client!, err));
      await client.query(`LISTEN ${this.#channel}`);
      if (this.#closed) {
        client.release();
        return;
      }
      this.#client = client;
      if (this.#everListened) this.#options.logger.info({ channel: this.#channel }, 'listening for web chat signals again');
      this.#everListened = true;
      this.#retryMs = this.#options.retryMs ?? 1000;
      // Whatever was signalled while nobody listened: every stream looks at the store.
      this.#listeners.deliver({ kind: 'missed' });
    } catch (err) {
      if (client) client.release(err as Error);
      this.#options.logger.warn({ err: { message: (err as Error).message }, retryMs: this.#retryMs }, 'could not listen for web chat signals; trying again');
      this.#retry();
    }
  }

  #dropped(client: PgClient, err: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.release(err);
    if (this.#closed) return;
    this.#options.logger.warn({ err: { message: err.message } }, 'the web chat signal connection dropped; listening again');
    this.#retry();
  }

  #retry(): void {
    if (this.#closed) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#retryTimer = setTimeout(() => void this.#listen(), delay);
    this.#retryTimer.unref();
  }
}

/** Reads a notification's payload; anything else on the channel (another program's NOTIFY) is ignored. */
export function parsePayload(payload: string | undefined): ConversationSignalMessage | undefined {
  const match = PAYLOAD.exec(payload ?? '');
  if (!match) return undefined;
  const conversationId = match[2]!;
  return match[1] !== undefined ? { kind: 'activity', conversationId, watermark: Number(match[1]) } : { kind: 'ended', conversationId };
}
