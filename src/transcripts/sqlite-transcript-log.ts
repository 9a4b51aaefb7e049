// Longer than 250 lines because it is one store: batched recording (here, or handed to the writer's thread) (with the conversations' row ids it has learnt, which its own deletes and purges must forget), paging, listing, retention and deletion over the same two tables, each both synchronous (for the SQLite-only callers) and as the async TranscriptLog port.
import { AppError } from '../errors.js';
import type { SqliteDatabase } from '../storage/database.js';
import { SqliteWriteGroup } from '../storage/sqlite-write-group.js';
import {
  groupByConversation,
  conversationKey,
  newBatch,
  parseListToken,
  parseSeqToken,
  pendingActivity,
  requireIds,
  reviveActivity,
  validCutoff,
  type Batch,
  type PendingActivity,
  type PurgeResult,
  type StoredActivity,
  type TranscriptListFilter,
  type TranscriptLog,
  type TranscriptPage,
  type TranscriptSummary,
} from './transcript-log.js';

export interface SqliteTranscriptStoreOptions {
  /** Items per page of reads and listings (botbuilder's stores use 20). */
  readonly pageSize?: number;
  /** Queued activities that are written at once without waiting for the event loop (default 256). */
  readonly maxBatch?: number;
  /**
   * Who writes the activities, when not this log on its own connection: the transcript writer's
   * thread (transcript-writer-thread.ts). This log then serialises what it is given and hands it
   * over; it still reads, deletes and purges, each after the writer has written what it holds.
   */
  readonly writer?: TranscriptRowWriter;
}

/** Writes serialised activities for a {@link SqliteTranscriptLog} (see its `writer` option). */
export interface TranscriptRowWriter {
  /** Queues one activity; settles once it is written (rejects when it could not be). */
  append(row: PendingActivity): Promise<void>;
  /** Writes what is queued now, before returning; throws when it could not. */
  flush(): void;
}

interface ConversationRow {
  id: number;
  channel_id: string;
  conversation_id: string;
  first_ms: number;
  last_ms: number;
  activity_count: number;
}

/** A conversation's row id as a write learnt it: spares its later batches the upsert by (channel, conversation). */
interface KnownConversation {
  readonly key: string;
  readonly id: number;
}

/** Conversations whose row ids are remembered (a few hundred bytes each). */
const MAX_KNOWN_CONVERSATIONS = 10_000;

const summaryOf = (r: ConversationRow): TranscriptSummary => ({
  channelId: r.channel_id,
  conversationId: r.conversation_id,
  firstActivityAt: new Date(r.first_ms),
  lastActivityAt: new Date(r.last_ms),
  activityCount: r.activity_count,
});

/**
 * Transcripts in the application's SQLite database. Activities are stored exactly as given:
 * sanitising is the caller's job and happens before this (see RedactingTranscriptStore), so
 * nothing unredacted ever reaches the file. Activities come back in arrival order (`seq`).
 */
export class SqliteTranscriptLog implements TranscriptLog {
  private readonly pageSize: number;
  private readonly writeBatch: (rows: readonly PendingActivity[]) => KnownConversation[];
  /** Conversations' row ids, learnt from committed writes (see remember). */
  private readonly known = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly writer: TranscriptRowWriter | undefined;
  private pending: PendingActivity[] = [];
  private batch: Batch | undefined;
  /** The connection's group commit: the queue is written with the turns' state writes (see append). */
  private readonly group: SqliteWriteGroup;
  /** Whether the queue has its place in the next group commit. */
  private inGroup = false;
  private readonly selectConversation;
  private readonly selectActivities;
  private readonly deleteConversationRow;
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
    this.writer = options.writer;
    this.group = SqliteWriteGroup.of(db);
    const upsertConversation = db.prepare<{ channel: string; conversation: string; first: number; last: number; count: number }, { id: number }>(
      `INSERT INTO transcript_conversations (channel_id, conversation_id, first_ms, last_ms, activity_count)
       VALUES (@channel, @conversation, @first, @last, @count)
       ON CONFLICT (channel_id, conversation_id) DO UPDATE SET
         first_ms = MIN(first_ms, excluded.first_ms),
         last_ms = MAX(last_ms, excluded.last_ms),
         activity_count = activity_count + excluded.activity_count
       RETURNING id`,
    );
    // By row id, and only while the row is still this conversation's (a row deleted by another
    // process, its id then given to a new conversation, is not mistaken for it) and starts no
    // later than the batch (else the upsert moves its start back). first_ms is not set, so its
    // index entry is left alone.
    const addToConversation = db.prepare(
      'UPDATE transcript_conversations SET last_ms = MAX(last_ms, ?), activity_count = activity_count + ? WHERE id = ? AND channel_id = ? AND conversation_id = ? AND first_ms <= ?',
    );
    const insertActivity = db.prepare('INSERT INTO transcript_activities (conversation, timestamp_ms, body) VALUES (?, ?, ?)');
    // One transaction per batch, built once (creating a better-sqlite3 transaction per call costs
    // more than the inserts): one conversation row written per conversation, then the rows in order.
    // What it learns of the conversations is returned, to be remembered once it is committed.
    this.writeBatch = db.transaction((rows: readonly PendingActivity[]) => {
      const ids = new Map<string, number>();
      const learnt: KnownConversation[] = [];
      for (const g of groupByConversation(rows)) {
        const key = conversationKey(g.channel, g.conversation);
        const known = this.known.get(key);
        if (known !== undefined && addToConversation.run(g.last, g.count, known, g.channel, g.conversation, g.first).changes === 1) {
          ids.set(key, known);
          continue;
        }
        const row = upsertConversation.get(g)!;
        ids.set(key, row.id);
        learnt.push({ key, id: row.id });
      }
      for (const r of rows) insertActivity.run(ids.get(conversationKey(r.channel, r.conversation)), r.ms, r.body);
      return learnt;
    });
    this.selectConversation = db.prepare<[string, string], ConversationRow>(
      'SELECT * FROM transcript_conversations WHERE channel_id = ? AND conversation_id = ?',
    );
    this.selectActivities = db.prepare<[number, number, number, number], { seq: number; body: string }>(
      `SELECT seq, body FROM transcript_activities
       WHERE conversation = ? AND seq > ? AND timestamp_ms >= ?
       ORDER BY seq LIMIT ?`,
    );
    this.deleteConversationRow = db.prepare('DELETE FROM transcript_conversations WHERE id = ?');
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
   * Queues one activity. The queue is written with the connection's next group commit, when the
   * event loop next gets to it (setImmediate, see joinGroup), or as soon as it holds `maxBatch`
   * activities, so the activities of a turn, and of all turns that arrive together, share one
   * transaction with their state writes instead of costing one each. The returned
   * promise settles when the activity is written. The activity is serialised now: later changes to
   * the object are not recorded. Every read, delete and purge writes the queue first; what is still
   * queued when the process dies is lost (a moment of transcript, never a customer's state or ticket).
   */
  append(activity: object): Promise<void> {
    let row: PendingActivity;
    try {
      row = pendingActivity(activity);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.appendRow(row);
  }

  /** True when another thread writes the activities (the `writer` option): a transaction on this log's connection does not hold them. */
  get writtenElsewhere(): boolean {
    return this.writer !== undefined;
  }

  /** {@link append} of an activity already serialised (the writer's thread is given rows). */
  appendRow(row: PendingActivity): Promise<void> {
    if (this.writer) return this.writer.append(row);
    this.pending.push(row);
    const batch = (this.batch ??= newBatch());
    if (this.pending.length >= this.maxBatch) this.flushQuietly();
    else this.joinGroup();
    return batch.written;
  }

  /**
   * Writes the queued activities now (reads, deletes, the retention purge and shutdown call it
   * first). A failed write is thrown here and to every append caller of the batch; its activities
   * are dropped, so one bad row cannot block recording for good.
   */
  flush(): void {
    if (this.writer) return this.writer.flush();
    const { rows, batch } = this.takeQueue();
    try {
      if (rows.length > 0) this.remember(this.writeBatch(rows));
    } catch (err) {
      batch?.reject(err);
      throw err;
    }
    batch?.resolve();
  }

  /**
   * Gives the queue its place in the connection's next group commit (sqlite-write-group.ts), with
   * the turns' state writes; its batch settles once the group is committed. A batch that cannot be
   * written fails the group, which then runs each of its writes again on its own: the batch is
   * refused alone (and logged by the callers, as before), the state writes beside it stand. The
   * rows taken from the queue are kept for that second run.
   */
  private joinGroup(): void {
    if (this.inGroup) return;
    this.inGroup = true;
    let taken: { rows: PendingActivity[]; batch: Batch | undefined } | undefined;
    this.group
      .add(() => {
        taken ??= this.takeQueue();
        return taken.rows.length > 0 ? this.writeBatch(taken.rows) : [];
      })
      .then(
        // The rows ids of the run that was committed (a group rolled back runs its writes again).
        (learnt) => {
          this.remember(learnt);
          taken?.batch?.resolve();
        },
        (err: unknown) => taken?.batch?.reject(err),
      );
  }

  /**
   * Remembers conversations' row ids once their group is committed. Inside a caller's transaction
   * (a QA replay runs in one and rolls it back) they are remembered too, for its next turns: should
   * the transaction roll back and the id go to another conversation, the update's check of the
   * channel and conversation refuses it and the upsert runs. Bounded: the least recently learnt is
   * forgotten first, and found again by its next write's upsert.
   */
  private remember(learnt: readonly KnownConversation[]): void {
    for (const k of learnt) {
      this.known.delete(k.key);
      this.known.set(k.key, k.id);
      if (this.known.size > MAX_KNOWN_CONVERSATIONS) this.known.delete(this.known.keys().next().value as string);
    }
  }

  /** The queued rows and their batch, leaving the queue empty. */
  private takeQueue(): { rows: PendingActivity[]; batch: Batch | undefined } {
    this.inGroup = false;
    const taken = { rows: this.pending, batch: this.batch };
    this.pending = [];
    this.batch = undefined;
    return taken;
  }

  /** {@link flush} where nobody could take the error: the batch's loggers have it already. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch {
      // Reported through the promises append returned.
    }
  }

  async drain(): Promise<void> {
    this.flush();
  }

  /** {@link TranscriptLog.read}, synchronously. */
  readNow(channelId: string, conversationId: string, options: { readonly continuationToken?: string; readonly since?: Date } = {}): TranscriptPage<StoredActivity> {
    requireIds(channelId, conversationId);
    const after = options.continuationToken ? parseSeqToken(options.continuationToken) : 0;
    this.flush();
    const row = this.selectConversation.get(channelId, conversationId);
    if (!row) return { items: [], continuationToken: '' };
    const since = options.since ? options.since.getTime() : Number.MIN_SAFE_INTEGER;
    const rows = this.selectActivities.all(row.id, after, since, this.pageSize + 1);
    const page = rows.slice(0, this.pageSize);
    return {
      items: page.map((r) => reviveActivity(r.body)),
      continuationToken: rows.length > this.pageSize ? String(page[page.length - 1]!.seq) : '',
    };
  }

  async read(channelId: string, conversationId: string, options: { readonly continuationToken?: string; readonly since?: Date } = {}): Promise<TranscriptPage<StoredActivity>> {
    return this.readNow(channelId, conversationId, options);
  }

  /** {@link TranscriptLog.list}, synchronously. */
  listNow(filter: TranscriptListFilter = {}): TranscriptPage<TranscriptSummary> {
    if (filter.channelId === '') throw new AppError('invalid_input', 'channelId is required');
    this.flush();
    const [afterMs, afterId] = filter.continuationToken ? parseListToken(filter.continuationToken) : [Number.MIN_SAFE_INTEGER, 0];
    const where = ['(first_ms > @afterMs OR (first_ms = @afterMs AND id > @afterId))'];
    if (filter.channelId !== undefined) where.push('channel_id = @channel');
    if (filter.conversationId !== undefined) where.push('conversation_id = @conversation');
    const rows = this.db
      .prepare(`SELECT * FROM transcript_conversations WHERE ${where.join(' AND ')} ORDER BY first_ms, id LIMIT @limit`)
      .all({ afterMs, afterId, channel: filter.channelId, conversation: filter.conversationId, limit: this.pageSize + 1 }) as ConversationRow[];
    const page = rows.slice(0, this.pageSize);
    const last = page[page.length - 1];
    return { items: page.map(summaryOf), continuationToken: rows.length > this.pageSize && last ? `${last.first_ms}:${last.id}` : '' };
  }

  async list(filter: TranscriptListFilter = {}): Promise<TranscriptPage<TranscriptSummary>> {
    return this.listNow(filter);
  }

  /** {@link TranscriptLog.delete}, synchronously. */
  deleteNow(channelId: string, conversationId: string): void {
    requireIds(channelId, conversationId);
    this.flush();
    const row = this.selectConversation.get(channelId, conversationId);
    if (row) this.deleteConversationRow.run(row.id);
    this.known.delete(conversationKey(channelId, conversationId));
  }

  async delete(channelId: string, conversationId: string): Promise<void> {
    this.deleteNow(channelId, conversationId);
  }

  /** {@link TranscriptLog.purgeOlderThan}, synchronously. */
  deleteOlderThan(cutoff: Date): PurgeResult {
    const ms = validCutoff(cutoff);
    this.flush();
    // Some conversations go: learnt again from the next writes.
    this.known.clear();
    return this.db.transaction(() => {
      const affected = this.selectAffected.all(ms).map((r) => r.conversation);
      const activities = this.deleteActivitiesBefore.run(ms).changes;
      for (const id of affected) this.refreshConversation.run({ id });
      const transcripts = this.deleteEmpty.run().changes;
      return { activities, transcripts };
    })();
  }

  async purgeOlderThan(cutoff: Date): Promise<PurgeResult> {
    return this.deleteOlderThan(cutoff);
  }

  /** Every stored conversation (all channels), oldest first, or those of one channel. */
  summaries(channelId?: string): TranscriptSummary[] {
    this.flush();
    const rows = (
      channelId === undefined
        ? this.db.prepare('SELECT * FROM transcript_conversations ORDER BY first_ms, id').all()
        : this.db.prepare('SELECT * FROM transcript_conversations WHERE channel_id = ? ORDER BY first_ms, id').all(channelId)
    ) as ConversationRow[];
    return rows.map(summaryOf);
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
