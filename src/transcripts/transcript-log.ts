/**
 * The transcript port: what the bot records (every activity in and out, already sanitised by the
 * caller) and what the desk, `npm run transcripts` and retention read back, for any database.
 * botbuilder's `TranscriptStore` is a thin adapter over it (transcript-store-adapter.ts); the
 * implementations are sqlite-transcript-log.ts and postgres-transcript-log.ts.
 */
import { AppError } from '../errors.js';
import { stringifyWithReusableParts } from './reusable-parts.js';

/** One stored conversation as `npm run transcripts -- list` shows it. */
export interface TranscriptSummary {
  readonly channelId: string;
  readonly conversationId: string;
  readonly firstActivityAt: Date;
  readonly lastActivityAt: Date;
  readonly activityCount: number;
}

/** What a retention purge removed. */
export interface PurgeResult {
  /** Activities older than the cut-off. */
  readonly activities: number;
  /** Conversations left without any activity, and so removed entirely. */
  readonly transcripts: number;
}

/** An activity as read back: the JSON written, with `timestamp` a Date again. */
export type StoredActivity = Record<string, unknown> & { readonly timestamp?: Date };

/** One page; an empty continuation token means there is no further page. */
export interface TranscriptPage<T> {
  readonly items: T[];
  readonly continuationToken: string;
}

export interface TranscriptListFilter {
  /** Only this channel's conversations. */
  readonly channelId?: string;
  /** Only conversations with this id (one per channel at most). */
  readonly conversationId?: string;
  /** From a previous page of the same filter. */
  readonly continuationToken?: string;
}

export interface TranscriptLog {
  /**
   * Records one activity (already sanitised: nothing here redacts) of `activity.channelId` /
   * `activity.conversation.id`, stamped with its `timestamp` (now when it has none). Writes may be
   * batched; the promise settles when the activity is written. Later reads see it.
   */
  append(activity: object): Promise<void>;
  /** A conversation's activities in arrival order (not by timestamp: client clocks skew), paged. */
  read(channelId: string, conversationId: string, options?: { readonly continuationToken?: string; readonly since?: Date }): Promise<TranscriptPage<StoredActivity>>;
  /** Conversations, oldest first (by first activity), paged. */
  list(filter?: TranscriptListFilter): Promise<TranscriptPage<TranscriptSummary>>;
  /** Deletes one conversation; an unknown one is not an error. */
  delete(channelId: string, conversationId: string): Promise<void>;
  /**
   * Retention: deletes every activity older than `cutoff`, and conversations left empty. A
   * conversation still going keeps its recent activities (Teams reuses one conversation per user).
   */
  purgeOlderThan(cutoff: Date): Promise<PurgeResult>;
  /** Writes what is still queued (before shutdown); the database stays the caller's. */
  drain(): Promise<void>;
}

/** Every page of a conversation. */
export async function readWholeConversation(log: TranscriptLog, channelId: string, conversationId: string): Promise<StoredActivity[]> {
  const all: StoredActivity[] = [];
  let token: string | undefined;
  do {
    const page = await log.read(channelId, conversationId, token ? { continuationToken: token } : {});
    all.push(...page.items);
    token = page.continuationToken || undefined;
  } while (token);
  return all;
}

/** Every conversation matching `filter`, all pages. */
export async function listAllConversations(log: TranscriptLog, filter: Omit<TranscriptListFilter, 'continuationToken'> = {}): Promise<TranscriptSummary[]> {
  const all: TranscriptSummary[] = [];
  let token: string | undefined;
  do {
    const page = await log.list(token ? { ...filter, continuationToken: token } : filter);
    all.push(...page.items);
    token = page.continuationToken || undefined;
  } while (token);
  return all;
}

// ---- shared by the implementations -------------------------------------------------------------

/** One activity waiting to be written. */
export interface PendingActivity {
  readonly channel: string;
  readonly conversation: string;
  readonly ms: number;
  readonly body: string;
}

/** Validates and serialises an activity for {@link TranscriptLog.append} (throws invalid_input). */
export function pendingActivity(activity: object): PendingActivity {
  const a = activity as { channelId?: unknown; conversation?: { id?: unknown }; timestamp?: unknown } | null;
  const channel = a?.channelId;
  const conversation = a?.conversation?.id;
  if (typeof channel !== 'string' || !channel || typeof conversation !== 'string' || !conversation) {
    throw new AppError('invalid_input', 'a transcript activity needs channelId and conversation.id');
  }
  const ms = toMillis(a.timestamp) ?? Date.now();
  // The time as the ISO string JSON.stringify would write for `new Date(ms)`: the same text, but a
  // Date inside makes V8 leave its fast path for the whole object (about a fifth more per activity).
  return { channel, conversation, ms, body: stringifyWithReusableParts({ ...activity, timestamp: new Date(ms).toISOString() }) };
}

/** The promise that every activity of one batch is given, settled when the batch is written. */
export interface Batch {
  readonly written: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

export function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers that do not wait for the write (TranscriptLoggerMiddleware does not) must not turn a
  // failed batch into an unhandled rejection that stops the process; those that wait still see it.
  promise.catch(() => undefined);
  return { written: promise, resolve, reject };
}

/** Rows of one batch grouped per conversation, in key order (channel, conversation). */
export function groupByConversation(rows: readonly PendingActivity[]): { channel: string; conversation: string; first: number; last: number; count: number }[] {
  const groups = new Map<string, { channel: string; conversation: string; first: number; last: number; count: number }>();
  for (const r of rows) {
    const key = conversationKey(r.channel, r.conversation);
    const g = groups.get(key);
    if (g) {
      g.first = Math.min(g.first, r.ms);
      g.last = Math.max(g.last, r.ms);
      g.count++;
    } else {
      groups.set(key, { channel: r.channel, conversation: r.conversation, first: r.ms, last: r.ms, count: 1 });
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

export const conversationKey = (channel: string, conversation: string): string => `${channel}\u0000${conversation}`;

export function requireIds(channelId: string, conversationId: string): void {
  if (!channelId) throw new AppError('invalid_input', 'channelId is required');
  if (!conversationId) throw new AppError('invalid_input', 'conversationId is required');
}

export function validCutoff(cutoff: Date): number {
  const ms = cutoff.getTime();
  if (Number.isNaN(ms)) throw new AppError('invalid_input', 'retention cut-off is not a valid date');
  return ms;
}

function toMillis(value: unknown): number | undefined {
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number') {
    const ms = new Date(value).getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/**
 * The timestamp went into JSON as an ISO string; the Activity type (and botbuilder's own stores)
 * hand out a Date. `localTimestamp` stays a string: a Date would lose the customer's UTC offset.
 */
export function reviveActivity(body: string): StoredActivity {
  const activity = JSON.parse(body) as Record<string, unknown>;
  if (typeof activity['timestamp'] === 'string') activity['timestamp'] = new Date(activity['timestamp']);
  return activity as StoredActivity;
}

export function parseSeqToken(token: string): number {
  if (!/^\d{1,15}$/.test(token)) throw new AppError('invalid_input', 'invalid continuation token');
  return Number(token);
}

export function parseListToken(token: string): [number, number] {
  const m = /^(-?\d{1,16}):(\d{1,15})$/.exec(token);
  if (!m) throw new AppError('invalid_input', 'invalid continuation token');
  return [Number(m[1]), Number(m[2])];
}
