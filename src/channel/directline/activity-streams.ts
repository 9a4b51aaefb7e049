/**
 * Web chat's open streams on this instance, whatever carries them (a WebSocket in
 * src/server/directline-stream-route.ts). Each stream has a watermark; when the
 * {@link ConversationSignal} says its conversation has something new, or at each keep-alive tick,
 * it reads the store after its watermark and sends what it found as one Direct Line ActivitySet
 * (`{"activities":[…],"watermark":"N"}`). The activities are the store's, already sanitised:
 * the stream adds nothing and removes nothing.
 *
 * Bounded: at most `maxStreams` in all and `maxPerConversation` per conversation (a new one past
 * either is refused); a connection that misses a ping, or reads so slowly that a megabyte waits
 * for it, is closed (the client reconnects from its watermark).
 */
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { ConversationSignal, ConversationSignalMessage } from './conversation-signal.js';
import type { DirectLineStore } from './directline-store.js';

/** Where a stream's messages go: one client connection. */
export interface StreamSink {
  send(text: string): void;
  /** Sends a ping; false when the previous one was never answered (the connection is dead). */
  ping(): boolean;
  /** Bytes accepted but not yet written to the network. */
  readonly buffered: number;
  close(code: number, reason: string): void;
}

/** WebSocket close codes the streams use (the Direct Line client reconnects after any of them). */
export const STREAM_CLOSE = {
  /** The conversation ended. */
  normal: 1000,
  /** The server is stopping. */
  goingAway: 1001,
  /** The token the stream was opened with was retired (refreshed by its holder, and the grace is over). */
  policy: 1008,
  /** Reading the store failed. */
  internal: 1011,
  /** The client reads too slowly, or missed a ping. */
  tryAgainLater: 1013,
} as const;

/** Bounds and keep-alive of the streams (WEBCHAT_STREAMS_MAX, WEBCHAT_STREAMS_PER_CONVERSATION, WEBCHAT_STREAM_KEEPALIVE_SECONDS). */
export interface StreamSettings {
  readonly max: number;
  readonly perConversation: number;
  readonly keepAliveSeconds: number;
}

/** The configuration's defaults, for a channel built without it (tests of the channel alone). */
export const DEFAULT_STREAM_SETTINGS: StreamSettings = { max: 2000, perConversation: 3, keepAliveSeconds: 30 };

export interface ActivityStreamsOptions {
  readonly store: DirectLineStore;
  readonly signal: ConversationSignal;
  readonly maxStreams: number;
  readonly maxPerConversation: number;
  /** Between pings and checks of the store; 0 turns the timer off (tests call {@link ActivityStreams.tick}). */
  readonly keepAliveMs: number;
  /** Whether a stream opened with a token of `generation` may go on (false once that generation is retired). */
  readonly stillAllowed: (conversationId: string, generation: number | undefined) => Promise<boolean>;
  readonly logger?: Logger;
}

/** A place among the open streams, taken before the connection is accepted. */
export interface StreamSlot {
  /** Starts sending: first what follows `watermark`, then what comes. Returns the function to call when the connection closes. */
  open(sink: StreamSink, watermark: number, generation: number | undefined): () => void;
  /** Gives the place back when the connection was never opened. */
  release(): void;
}

/** Most activities in one ActivitySet; more follow in the next message. */
const PAGE_SIZE = 100;
/** A client with this much unsent is not reading: closed, it reconnects from its watermark. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

class Stream {
  pumping = false;
  again = false;
  closed = false;
  constructor(
    readonly conversationId: string,
    readonly sink: StreamSink,
    public watermark: number,
    readonly generation: number | undefined,
  ) {}
}

export class ActivityStreams {
  readonly #options: ActivityStreamsOptions;
  /** Slots taken per conversation (open streams and those being opened). */
  readonly #taken = new Map<string, number>();
  readonly #streams = new Map<string, Set<Stream>>();
  #total = 0;
  #closing = false;
  #ticking = false;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #unsubscribe: () => void;

  constructor(options: ActivityStreamsOptions) {
    this.#options = options;
    this.#unsubscribe = options.signal.subscribe((message) => this.#heard(message));
    if (options.keepAliveMs > 0) {
      this.#timer = setInterval(() => void this.tick(), options.keepAliveMs);
      this.#timer.unref();
    }
  }

  /** Open streams (and those being opened) on this instance: the "web chat connections" gauge. */
  get open(): number {
    return this.#total;
  }

  /**
   * Takes a place for a stream of `conversationId`.
   * @throws AppError `rate_limited` past either bound, `unavailable` while stopping.
   */
  admit(conversationId: string): StreamSlot {
    if (this.#closing) throw new AppError('unavailable', 'The server is shutting down');
    const taken = this.#taken.get(conversationId) ?? 0;
    if (taken >= this.#options.maxPerConversation) throw new AppError('rate_limited', 'Too many open streams for this conversation', { retryAfterSeconds: 5 });
    if (this.#total >= this.#options.maxStreams) throw new AppError('rate_limited', 'Too many open streams', { retryAfterSeconds: 5 });
    this.#taken.set(conversationId, taken + 1);
    this.#total++;
    let given = false;
    const giveBack = () => {
      if (given) return;
      given = true;
      this.#total--;
      const left = (this.#taken.get(conversationId) ?? 1) - 1;
      if (left > 0) this.#taken.set(conversationId, left);
      else this.#taken.delete(conversationId);
    };
    return {
      release: giveBack,
      open: (sink, watermark, generation) => {
        const stream = new Stream(conversationId, sink, watermark, generation);
        if (this.#closing) {
          giveBack();
          sink.close(STREAM_CLOSE.goingAway, 'server stopping');
          return () => undefined;
        }
        let set = this.#streams.get(conversationId);
        if (!set) this.#streams.set(conversationId, (set = new Set()));
        set.add(stream);
        void this.#pump(stream);
        return () => {
          stream.closed = true;
          const streams = this.#streams.get(conversationId);
          streams?.delete(stream);
          if (streams?.size === 0) this.#streams.delete(conversationId);
          giveBack();
        };
      },
    };
  }

  /**
   * One keep-alive round: pings every stream (closing those that missed the last ping), closes
   * streams whose token was retired, and reads the store for each, so that a signal lost on its
   * way (another instance's notification during a dropped connection) costs at most one round.
   */
  async tick(): Promise<void> {
    if (this.#ticking || this.#closing) return;
    this.#ticking = true;
    try {
      const all = [...this.#streams.values()].flatMap((set) => [...set]);
      const alive = all.filter((s) => {
        if (s.sink.ping()) return true;
        this.#end(s, STREAM_CLOSE.tryAgainLater, 'no answer to ping');
        return false;
      });
      const checked = new Map<string, Promise<boolean>>();
      await Promise.all(
        alive.map(async (s) => {
          const key = `${s.conversationId} ${s.generation ?? ''}`;
          if (!checked.has(key)) checked.set(key, this.#options.stillAllowed(s.conversationId, s.generation).catch(() => true));
          if (!(await checked.get(key))) return this.#end(s, STREAM_CLOSE.policy, 'token retired');
          await this.#pump(s);
        }),
      );
    } finally {
      this.#ticking = false;
    }
  }

  /** Closes every stream (the server is stopping) and refuses new ones. */
  close(): void {
    this.#closing = true;
    clearInterval(this.#timer);
    this.#unsubscribe();
    for (const set of [...this.#streams.values()]) for (const s of [...set]) this.#end(s, STREAM_CLOSE.goingAway, 'server stopping');
  }

  #heard(message: ConversationSignalMessage): void {
    if (message.kind === 'missed') {
      for (const set of this.#streams.values()) for (const s of set) void this.#pump(s);
      return;
    }
    const set = this.#streams.get(message.conversationId);
    if (!set) return;
    for (const s of [...set]) {
      if (message.kind === 'ended') this.#end(s, STREAM_CLOSE.normal, 'conversation ended');
      // The signal also comes back from PostgreSQL to the instance that sent it: read once.
      else if (message.watermark > s.watermark) void this.#pump(s);
    }
  }

  /** Sends what follows the stream's watermark; one read at a time per stream, again if asked meanwhile. */
  async #pump(s: Stream): Promise<void> {
    if (s.pumping) {
      s.again = true;
      return;
    }
    s.pumping = true;
    try {
      do {
        s.again = false;
        const page = await this.#options.store.listActivities(s.conversationId, s.watermark, PAGE_SIZE);
        if (s.closed || page.activities.length === 0) continue;
        if (s.sink.buffered > MAX_BUFFERED_BYTES) return this.#end(s, STREAM_CLOSE.tryAgainLater, 'client not reading');
        s.sink.send(JSON.stringify({ activities: page.activities, watermark: String(page.watermark) }));
        s.watermark = page.watermark;
        if (page.activities.length === PAGE_SIZE) s.again = true;
      } while (s.again && !s.closed);
    } catch (err) {
      this.#options.logger?.warn({ err: { message: (err as Error).message } }, 'could not read a web chat stream; closing it');
      this.#end(s, STREAM_CLOSE.internal, 'read failed');
    } finally {
      s.pumping = false;
    }
  }

  #end(s: Stream, code: number, reason: string): void {
    if (s.closed) return;
    s.closed = true;
    // The transport's close handler then calls the stream's detach (giving its place back).
    s.sink.close(code, reason);
  }
}
