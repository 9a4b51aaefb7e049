import type { Activity } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { createBotServices, type BotServices } from '../app.js';
import { turnErrorHandler } from '../bot/adapter.js';
import { loadConfig, type Config } from '../config.js';
import { AppError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { TranscriptActivity } from '../transcripts/index.js';
import { sameReplies, toComparable, type ComparableReply } from './comparable.js';
import { formatTurnDiff } from './diff.js';
import { ReplayAdapter } from './replay-adapter.js';
import { withStandIns } from './stand-ins.js';
import { NOISE_TYPES, splitTurns, type SplitTranscript } from './turns.js';

/** The first turn in which the current bot answered differently from the recording. */
export interface ReplayDifference {
  readonly turn: number;
  /** Side-by-side view of that turn (see {@link formatTurnDiff}). */
  readonly diff: string;
}

export interface ReplayResult {
  /** The transcript's name (its file path). */
  readonly name: string;
  readonly passed: boolean;
  /** Customer activities sent. */
  readonly turns: number;
  readonly durationMs: number;
  readonly difference?: ReplayDifference;
  /** Set when the transcript could not be replayed at all (unreadable, a turn that threw). */
  readonly error?: string;
  readonly split?: SplitTranscript;
  /** The current bot's replies, per turn (noise left out), for `--update`. */
  readonly actualTurns: readonly (readonly Partial<Activity>[])[];
}

/**
 * Bot services for replay: configuration from `env` with defaults for everything else, an
 * in-memory database, no log output. Created once per run (or per worker); {@link Replayer}
 * gives each transcript fresh stores on top of them.
 */
export function createReplayServices(env: Readonly<Record<string, string | undefined>> = {}, logger: Logger = silentLogger): BotServices {
  return createBotServices(replayConfig(env), logger);
}

/** The configuration replay runs with; throws the configuration's AppError naming a bad key. */
export function replayConfig(env: Readonly<Record<string, string | undefined>> = {}): Config {
  return loadConfig({ ...env, NODE_ENV: 'test', DATABASE_FILE: ':memory:', LOG_LEVEL: 'silent' });
}

/** One conversation with the bot in process: send an activity, get the replies it produced. */
export class ReplayConversation {
  private sent = 0;

  constructor(
    private readonly adapter: ReplayAdapter,
    private readonly services: BotServices,
    readonly id: string,
    private readonly botId: string | undefined,
  ) {}

  /**
   * Sends a recorded customer activity as it was recorded (type, text, value, locale, accounts,
   * channel), but in this conversation, with a new id and the current time.
   */
  async send(recorded: TranscriptActivity): Promise<Partial<Activity>[]> {
    const copy = structuredClone(recorded) as Partial<Activity>;
    if (typeof copy.text === 'string') copy.text = withStandIns(copy.text);
    if (copy.value !== undefined) copy.value = withStandIns(copy.value);
    // `expectReplies` makes botbuilder buffer the replies in the context instead of sending them
    // through the adapter; how a reply travels is not what replay compares.
    delete copy.deliveryMode;
    const activity: Partial<Activity> = {
      ...copy,
      id: `${this.id}-${++this.sent}`,
      timestamp: new Date(),
      channelId: copy.channelId ?? 'emulator',
      serviceUrl: copy.serviceUrl ?? 'urn:botframework:replay',
      conversation: { ...(copy.conversation ?? { isGroup: false, name: '', conversationType: '' }), id: this.id } as Activity['conversation'],
      from: copy.from ?? ({ id: 'user', name: 'User', role: 'user' } as Activity['from']),
      recipient: copy.recipient ?? ({ id: this.botId ?? 'bot', name: 'Bot', role: 'bot' } as Activity['recipient']),
    };
    return this.adapter.processActivity(activity, (context) => this.services.bot.run(context));
  }
}

/**
 * Replays recorded conversations against the current bot and compares what it says.
 *
 * Every transcript replays against fresh stores (see {@link isolated}): tickets, conversation
 * state and recorded activities of one transcript are gone before the next starts, so a result
 * never depends on which other files are in the run, or their order, and `--update` replays a
 * re-recorded file against the same empty stores it was recorded on.
 */
export class Replayer {
  private readonly adapter: ReplayAdapter;
  private conversations = 0;
  private readonly runId = randomUUID().slice(0, 8);
  /** Settles when the work isolated last is done: isolated work runs one at a time. */
  private idle: Promise<unknown> = Promise.resolve();

  constructor(
    readonly services: BotServices,
    logger: Logger = silentLogger,
  ) {
    this.adapter = new ReplayAdapter(services.middleware, turnErrorHandler(services.localizer, logger));
  }

  /** A replayer over fresh in-memory services (see {@link createReplayServices}). */
  static create(env: Readonly<Record<string, string | undefined>> = {}, logger: Logger = silentLogger): Replayer {
    return new Replayer(createReplayServices(env, logger), logger);
  }

  /**
   * Runs `work` against stores as they were when the services were created (for replay: just
   * migrated and empty), and undoes everything it stored afterwards. Calls wait for each other,
   * so concurrent replays on one replayer cannot see each other's tickets either.
   *
   * How: one transaction on the services' database around the whole of `work`, rolled back at
   * the end. Every store of the services uses that one connection, and better-sqlite3 nests the
   * stores' own transactions inside it as savepoints. A fresh database per transcript would cost
   * about 1 ms (the stores prepare their statements anew), as much as replaying the transcript;
   * emptying the tables is not possible (append-only tables refuse deletes, counters are seeded).
   */
  isolated<T>(work: () => Promise<T>): Promise<T> {
    const run = this.idle.then(() => this.inOneRolledBackTransaction(work));
    this.idle = run.catch(() => undefined);
    return run;
  }

  private async inOneRolledBackTransaction<T>(work: () => Promise<T>): Promise<T> {
    const { db, transcripts } = this.services;
    if (db.inTransaction) throw new AppError('internal', 'replay needs the database outside any transaction to isolate a transcript');
    // A database file's transcripts are written on their own thread, into their own file: no
    // transaction here could take them back (replay's services are in memory, see replayConfig).
    if (transcripts.log.writtenElsewhere) throw new AppError('internal', 'replay isolates a transcript only on an in-memory database');
    db.exec('BEGIN');
    try {
      return await work();
    } finally {
      try {
        // Activities still queued would otherwise be written after the rollback, for good.
        transcripts.flush();
      } finally {
        // Gone only if SQLite itself ended the transaction (out of memory): then stores were
        // written for good, and later transcripts would see them. Say so instead of going on.
        if (!db.inTransaction) throw new AppError('internal', 'replay lost the transaction that isolates a transcript; its stores are no longer fresh');
        db.exec('ROLLBACK');
      }
    }
  }

  /**
   * A new, empty conversation. Its tickets and state go to the services' stores as they are:
   * send its turns inside {@link isolated} to leave nothing behind (as {@link replay} does).
   */
  conversation(botId?: string): ReplayConversation {
    return new ReplayConversation(this.adapter, this.services, `replay-${this.runId}-${++this.conversations}`, botId);
  }

  /**
   * Sends every customer activity of the recording in order, against fresh stores (see
   * {@link isolated}), and compares the replies turn by turn. All turns are sent even after a
   * difference, so `--update` can re-record the whole file.
   */
  replay(activities: readonly TranscriptActivity[], name: string): Promise<ReplayResult> {
    return this.isolated(() => this.compare(activities, name));
  }

  private async compare(activities: readonly TranscriptActivity[], name: string): Promise<ReplayResult> {
    const started = performance.now();
    const split = splitTurns(activities);
    if (split.turns.length === 0) {
      return { name, passed: false, turns: 0, durationMs: 0, error: 'no customer activity to replay', split, actualTurns: [] };
    }
    const conversation = this.conversation(split.botId);
    // Recordings are sanitised as they are written (secrets redacted, e-mail and phone masked, in
    // the bot's texts too): what differs as it stands is compared again as the recorder would have
    // stored both sides, so a real conversation exported from the database compares like one the
    // Emulator saved. Sanitising works string by string, so replies equal as they stand are equal
    // sanitised too: most turns need no second look.
    const sanitized = (a: Partial<Activity>) => toComparable(this.services.transcriptSanitizer.sanitize(a));
    const actualTurns: Partial<Activity>[][] = [];
    let difference: ReplayDifference | undefined;
    for (const turn of split.turns) {
      let replies: Partial<Activity>[];
      try {
        replies = (await conversation.send(turn.input)).filter((a) => !NOISE_TYPES.has(a.type ?? ''));
      } catch (err) {
        return {
          name,
          passed: false,
          turns: split.turns.length,
          durationMs: performance.now() - started,
          error: `turn ${turn.number} failed: ${(err as Error).message}`,
          split,
          actualTurns,
        };
      }
      actualTurns.push(replies);
      if (difference) continue;
      let expected: ComparableReply[] = turn.expected.map(toComparable);
      let actual: ComparableReply[] = replies.map(toComparable);
      if (sameReplies(expected, actual)) continue;
      expected = turn.expected.map(sanitized);
      actual = replies.map(sanitized);
      if (!sameReplies(expected, actual)) {
        difference = {
          turn: turn.number,
          diff: formatTurnDiff({ turn: turn.number, turns: split.turns.length, input: turn.input, expected, actual }),
        };
      }
    }
    return {
      name,
      passed: difference === undefined,
      turns: split.turns.length,
      durationMs: performance.now() - started,
      ...(difference ? { difference } : {}),
      split,
      actualTurns,
    };
  }

  close(): void {
    this.services.close();
  }
}
