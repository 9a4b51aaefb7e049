// Longer than 250 lines because it is one store: botbuilder's TranscriptStore methods plus listing, export, retention and secure deletion over the same tables.
import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import { AppError } from '../errors.js';
import type { SqliteDatabase } from '../storage/database.js';

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

export interface SqliteTranscriptStoreOptions {
  /** Items per page of `getTranscriptActivities` and `listTranscripts` (botbuilder's stores use 20). */
  readonly pageSize?: number;
  /** Queued activities that are written at once without waiting for the event loop (default 256). */
  readonly maxBatch?: number;
}

/** The promise that every activity of one batch is given, settled when the batch is written. */
interface Batch {
  readonly written: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

function newBatch(): Batch {
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

interface PendingActivity {
  readonly channel: string;
  readonly conversation: string;
  readonly ms: number;
  readonly body: string;
}

interface ConversationRow {
  id: number;
  channel_id: string;
  conversation_id: string;
  first_ms: number;
  last_ms: number;
  activity_count: number;
}

/**
 * botbuilder's `TranscriptStore` on the application's SQLite database.
 *
 * It stores activities exactly as given: sanitising is the caller's job and happens before this
 * (see {@link RedactingTranscriptLogger}), so nothing unredacted ever reaches the file.
 *
 * Activities come back in arrival order rather than by timestamp (MemoryTranscriptStore sorts by
 * timestamp): incoming timestamps are set by the channel's clock and outgoing ones by ours, so a
 * skewed client clock would otherwise put a reply before the message it answers.
 * Continuation tokens are opaque strings; an empty token means there is no further page.
 */
export class SqliteTranscriptStore implements TranscriptStore {
  private readonly pageSize: number;
  private readonly writeBatch: (rows: readonly PendingActivity[]) => void;
  private readonly maxBatch: number;
  private pending: PendingActivity[] = [];
  private batch: Batch | undefined;
  private timer: NodeJS.Immediate | undefined;
  private readonly selectConversation;
  private readonly selectActivities;
  private readonly selectConversationsPage;
  private readonly deleteConversation;
  private readonly selectAffected;
  private readonly deleteActivitiesBefore;
  private readonly refreshConversation;
  private readonly deleteEmpty;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteTranscriptStoreOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 20;
    this.maxBatch = options.maxBatch ?? 256;
    const upsertConversation = db.prepare<{ channel: string; conversation: string; first: number; last: number; count: number }, { id: number }>(
      `INSERT INTO transcript_conversations (channel_id, conversation_id, first_ms, last_ms, activity_count)
       VALUES (@channel, @conversation, @first, @last, @count)
       ON CONFLICT (channel_id, conversation_id) DO UPDATE SET
         first_ms = MIN(first_ms, excluded.first_ms),
         last_ms = MAX(last_ms, excluded.last_ms),
         activity_count = activity_count + excluded.activity_count
       RETURNING id`,
    );
    const insertActivity = db.prepare('INSERT INTO transcript_activities (conversation, timestamp_ms, body) VALUES (?, ?, ?)');
    // One transaction per batch, built once (creating a better-sqlite3 transaction per call costs
    // more than the inserts): one conversation upsert per conversation, then the rows in order.
    this.writeBatch = db.transaction((rows: readonly PendingActivity[]) => {
      const groups = new Map<string, { channel: string; conversation: string; first: number; last: number; count: number }>();
      for (const r of rows) {
        const key = `${r.channel}\u0000${r.conversation}`;
        const g = groups.get(key);
        if (g) {
          g.first = Math.min(g.first, r.ms);
          g.last = Math.max(g.last, r.ms);
          g.count++;
        } else {
          groups.set(key, { channel: r.channel, conversation: r.conversation, first: r.ms, last: r.ms, count: 1 });
        }
      }
      const ids = new Map<string, number>();
      for (const [key, g] of groups) ids.set(key, upsertConversation.get(g)!.id);
      for (const r of rows) insertActivity.run(ids.get(`${r.channel}\u0000${r.conversation}`), r.ms, r.body);
    });
    this.selectConversation = db.prepare<[string, string], ConversationRow>(
      'SELECT * FROM transcript_conversations WHERE channel_id = ? AND conversation_id = ?',
    );
    this.selectActivities = db.prepare<[number, number, number, number], { seq: number; body: string }>(
      `SELECT seq, body FROM transcript_activities
       WHERE conversation = ? AND seq > ? AND timestamp_ms >= ?
       ORDER BY seq LIMIT ?`,
    );
    this.selectConversationsPage = db.prepare<[string, number, number, number, number], ConversationRow>(
      `SELECT * FROM transcript_conversations
       WHERE channel_id = ? AND (first_ms > ? OR (first_ms = ? AND id > ?))
       ORDER BY first_ms, id LIMIT ?`,
    );
    this.deleteConversation = db.prepare('DELETE FROM transcript_conversations WHERE id = ?');
    this.selectAffected = db.prepare<[number], { conversation: number }>(
      'SELECT DISTINCT conversation FROM transcript_activities WHERE timestamp_ms < ?',
    );
    this.deleteActivitiesBefore = db.prepare('DELETE FROM transcript_activities WHERE timestamp_ms < ?');
    this.refreshConversation = db.prepare(
      `UPDATE transcript_conversations SET
         activity_count = (SELECT COUNT(*) FROM transcript_activities WHERE conversation = @id),
         first_ms = COALESCE((SELECT MIN(timestamp_ms) FROM transcript_activities WHERE conversation = @id), first_ms),
         last_ms = COALESCE((SELECT MAX(timestamp_ms) FROM transcript_activities WHERE conversation = @id), last_ms)
       WHERE id = @id`,
    );
    this.deleteEmpty = db.prepare('DELETE FROM transcript_conversations WHERE activity_count = 0');
  }

  /**
   * Queues one activity. The queue is written in one transaction when the event loop next gets
   * to it (setImmediate) or as soon as it holds `maxBatch` activities, so the activities of a turn,
   * and of all turns that arrive together, cost one transaction instead of one each: under load
   * and in replay, where turns follow each other without the event loop ever idling, that is most
   * of the price of recording. The returned promise settles when the activity is written. The
   * activity is serialised now: later changes to the object are not recorded. Every read, delete
   * and purge writes the queue first, so it sees what was logged before it; what is still queued
   * when the process dies is lost (a moment of transcript, never a customer's state or ticket).
   */
  logActivity(activity: Activity): Promise<void> {
    const channel = activity?.channelId;
    const conversation = activity?.conversation?.id;
    if (!channel || !conversation) {
      return Promise.reject(new AppError('invalid_input', 'a transcript activity needs channelId and conversation.id'));
    }
    const ms = toMillis(activity.timestamp) ?? Date.now();
    this.pending.push({ channel, conversation, ms, body: JSON.stringify({ ...activity, timestamp: new Date(ms) }) });
    const batch = (this.batch ??= newBatch());
    if (this.pending.length >= this.maxBatch) this.flushQuietly();
    else this.timer ??= setImmediate(() => this.flushQuietly());
    return batch.written;
  }

  /**
   * Writes the queued activities now (reads, deletes, the retention purge and shutdown call it
   * first). A failed write is thrown here and to every logActivity caller of the batch; its
   * activities are dropped, so one bad row cannot block recording for good.
   */
  flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    const rows = this.pending;
    this.batch = undefined;
    this.pending = [];
    try {
      if (rows.length > 0) this.writeBatch(rows);
    } catch (err) {
      batch?.reject(err);
      throw err;
    }
    batch?.resolve();
  }

  /** {@link flush} where nobody could take the error: the batch's loggers have it already. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch {
      // Reported through the promises logActivity returned.
    }
  }

  async getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    requireIds(channelId, conversationId);
    const after = continuationToken ? parseSeqToken(continuationToken) : 0;
    this.flush();
    const row = this.selectConversation.get(channelId, conversationId);
    if (!row) return { items: [], continuationToken: '' };
    const since = startDate ? startDate.getTime() : Number.MIN_SAFE_INTEGER;
    const rows = this.selectActivities.all(row.id, after, since, this.pageSize + 1);
    const page = rows.slice(0, this.pageSize);
    return {
      items: page.map((r) => reviveActivity(r.body)),
      continuationToken: rows.length > this.pageSize ? String(page[page.length - 1]!.seq) : '',
    };
  }

  /** Conversations of a channel, oldest first (by their first activity). */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    if (!channelId) throw new AppError('invalid_input', 'channelId is required');
    this.flush();
    const [afterMs, afterId] = continuationToken ? parseListToken(continuationToken) : [Number.MIN_SAFE_INTEGER, 0];
    const rows = this.selectConversationsPage.all(channelId, afterMs, afterMs, afterId, this.pageSize + 1);
    const page = rows.slice(0, this.pageSize);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ channelId: r.channel_id, id: r.conversation_id, created: new Date(r.first_ms) })),
      continuationToken: rows.length > this.pageSize && last ? `${last.first_ms}:${last.id}` : '',
    };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    requireIds(channelId, conversationId);
    this.flush();
    const row = this.selectConversation.get(channelId, conversationId);
    if (row) this.deleteConversation.run(row.id);
  }

  /**
   * Retention: deletes every activity older than `cutoff`, and conversations left empty. A
   * conversation that is still going keeps its recent activities (Teams reuses one conversation
   * per user for ever, so deleting by conversation age would never delete anything there).
   */
  deleteOlderThan(cutoff: Date): PurgeResult {
    const ms = cutoff.getTime();
    if (Number.isNaN(ms)) throw new AppError('invalid_input', 'retention cut-off is not a valid date');
    this.flush();
    return this.db.transaction(() => {
      const affected = this.selectAffected.all(ms).map((r) => r.conversation);
      const activities = this.deleteActivitiesBefore.run(ms).changes;
      for (const id of affected) this.refreshConversation.run({ id });
      const transcripts = this.deleteEmpty.run().changes;
      return { activities, transcripts };
    })();
  }

  /** Every stored conversation (all channels), oldest first, or those of one channel. */
  summaries(channelId?: string): TranscriptSummary[] {
    this.flush();
    const rows = (
      channelId === undefined
        ? this.db.prepare('SELECT * FROM transcript_conversations ORDER BY first_ms, id').all()
        : this.db.prepare('SELECT * FROM transcript_conversations WHERE channel_id = ? ORDER BY first_ms, id').all(channelId)
    ) as ConversationRow[];
    return rows.map((r) => ({
      channelId: r.channel_id,
      conversationId: r.conversation_id,
      firstActivityAt: new Date(r.first_ms),
      lastActivityAt: new Date(r.last_ms),
      activityCount: r.activity_count,
    }));
  }

  /** The channels in which a conversation id has a transcript (ids are only unique per channel). */
  channelsOf(conversationId: string): string[] {
    this.flush();
    return (
      this.db
        .prepare('SELECT channel_id FROM transcript_conversations WHERE conversation_id = ? ORDER BY channel_id')
        .all(conversationId) as { channel_id: string }[]
    ).map((r) => r.channel_id);
  }
}

/** Reads all pages of a conversation from any TranscriptStore. */
export async function readWholeTranscript(store: TranscriptStore, channelId: string, conversationId: string): Promise<Activity[]> {
  const all: Activity[] = [];
  let token: string | undefined;
  do {
    const page = await store.getTranscriptActivities(channelId, conversationId, token);
    all.push(...page.items);
    token = page.continuationToken || undefined;
  } while (token);
  return all;
}

function requireIds(channelId: string, conversationId: string): void {
  if (!channelId) throw new AppError('invalid_input', 'channelId is required');
  if (!conversationId) throw new AppError('invalid_input', 'conversationId is required');
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
function reviveActivity(body: string): Activity {
  const activity = JSON.parse(body) as Activity & { timestamp?: unknown };
  if (typeof activity.timestamp === 'string') activity.timestamp = new Date(activity.timestamp);
  return activity;
}

function parseSeqToken(token: string): number {
  if (!/^\d{1,15}$/.test(token)) throw new AppError('invalid_input', 'invalid continuation token');
  return Number(token);
}

function parseListToken(token: string): [number, number] {
  const m = /^(-?\d{1,16}):(\d{1,15})$/.exec(token);
  if (!m) throw new AppError('invalid_input', 'invalid continuation token');
  return [Number(m[1]), Number(m[2])];
}
