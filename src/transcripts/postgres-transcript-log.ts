// Longer than 250 lines because it is one store: its migration, batched recording, paging, listing, retention and deletion over the same two tables.
import { AppError } from '../errors.js';
import { inTransaction, type PgMigration, type PgPool } from '../storage/postgres/index.js';
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

/**
 * The transcript tables in PostgreSQL: migrations.ts (SQLite) in one step. Times are epoch
 * milliseconds and the activity is the JSON text written, as in SQLite; ids and keys use the "C"
 * collation so the order locks are taken in is byte order. A change is a new migration.
 */
export const postgresTranscriptMigrations: readonly PgMigration[] = [
  {
    id: 'pg-transcripts-001',
    sql: `
      CREATE TABLE transcript_conversations (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        channel_id TEXT COLLATE "C" NOT NULL,
        conversation_id TEXT COLLATE "C" NOT NULL,
        first_ms BIGINT NOT NULL,
        last_ms BIGINT NOT NULL,
        activity_count INTEGER NOT NULL,
        UNIQUE (channel_id, conversation_id)
      );
      CREATE INDEX transcript_conversations_created ON transcript_conversations (channel_id, first_ms, id);
      CREATE INDEX transcript_conversations_all ON transcript_conversations (first_ms, id);
      CREATE TABLE transcript_activities (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        conversation BIGINT NOT NULL REFERENCES transcript_conversations (id) ON DELETE CASCADE,
        timestamp_ms BIGINT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX transcript_activities_by_conversation ON transcript_activities (conversation, seq);
      CREATE INDEX transcript_activities_by_time ON transcript_activities (timestamp_ms);
    `,
  },
];

export interface PostgresTranscriptLogOptions {
  /** Items per page of reads and listings (botbuilder's stores use 20). */
  readonly pageSize?: number;
  /** Queued activities that are written at once without waiting for the event loop (default 256). */
  readonly maxBatch?: number;
}

interface ConversationRow {
  id: string;
  channel_id: string;
  conversation_id: string;
  first_ms: string;
  last_ms: string;
  activity_count: number;
}

const summaryOf = (r: ConversationRow): TranscriptSummary => ({
  channelId: r.channel_id,
  conversationId: r.conversation_id,
  firstActivityAt: new Date(Number(r.first_ms)),
  lastActivityAt: new Date(Number(r.last_ms)),
  activityCount: r.activity_count,
});

/**
 * Transcripts in PostgreSQL, shared by every instance. Activities are queued and written one
 * batch per transaction when the event loop turns (as in SQLite); batches of one instance are
 * written one after the other, so its activities keep their order. Conversation rows are upserted
 * in key order, and the purge locks them in the same order, so writers never deadlock each other.
 */
export class PostgresTranscriptLog implements TranscriptLog {
  private readonly pageSize: number;
  private readonly maxBatch: number;
  private pending: PendingActivity[] = [];
  private batch: Batch | undefined;
  private timer: NodeJS.Immediate | undefined;
  /** The batch being written (the next waits for it). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: PgPool,
    options: PostgresTranscriptLogOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 20;
    this.maxBatch = options.maxBatch ?? 256;
  }

  append(activity: object): Promise<void> {
    let row: PendingActivity;
    try {
      row = pendingActivity(activity);
    } catch (err) {
      return Promise.reject(err);
    }
    this.pending.push(row);
    const batch = (this.batch ??= newBatch());
    if (this.pending.length >= this.maxBatch) void this.flush().catch(() => undefined);
    else this.timer ??= setImmediate(() => void this.flush().catch(() => undefined));
    return batch.written;
  }

  /** Writes what is queued now, after the batch being written; rejects (and fails its loggers) if it cannot. */
  private flush(): Promise<void> {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    const rows = this.pending;
    this.batch = undefined;
    this.pending = [];
    const run = this.writing.then(async () => {
      try {
        if (rows.length > 0) await this.write(rows);
      } catch (err) {
        batch?.reject(err);
        throw err;
      }
      batch?.resolve();
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** Before a read: what was logged before it is written (a failed batch is its loggers' error). */
  private written(): Promise<void> {
    return this.flush().catch(() => undefined);
  }

  private async write(rows: readonly PendingActivity[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const ids = new Map<string, string>();
      for (const g of groupByConversation(rows)) {
        const { rows: upserted } = await client.query<{ id: string }>(
          `INSERT INTO transcript_conversations (channel_id, conversation_id, first_ms, last_ms, activity_count)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (channel_id, conversation_id) DO UPDATE SET
             first_ms = LEAST(transcript_conversations.first_ms, EXCLUDED.first_ms),
             last_ms = GREATEST(transcript_conversations.last_ms, EXCLUDED.last_ms),
             activity_count = transcript_conversations.activity_count + EXCLUDED.activity_count
           RETURNING id`,
          [g.channel, g.conversation, g.first, g.last, g.count],
        );
        ids.set(conversationKey(g.channel, g.conversation), upserted[0]!.id);
      }
      await client.query(
        `INSERT INTO transcript_activities (conversation, timestamp_ms, body)
         SELECT c, t, b FROM unnest($1::bigint[], $2::bigint[], $3::text[]) WITH ORDINALITY AS u (c, t, b, n) ORDER BY n`,
        [rows.map((r) => ids.get(conversationKey(r.channel, r.conversation))), rows.map((r) => r.ms), rows.map((r) => r.body)],
      );
    });
  }

  async drain(): Promise<void> {
    await this.flush();
  }

  async read(channelId: string, conversationId: string, options: { readonly continuationToken?: string; readonly since?: Date } = {}): Promise<TranscriptPage<StoredActivity>> {
    requireIds(channelId, conversationId);
    const after = options.continuationToken ? parseSeqToken(options.continuationToken) : 0;
    await this.written();
    const since = options.since ? options.since.getTime() : Number.MIN_SAFE_INTEGER;
    const { rows } = await this.pool.query<{ seq: string; body: string }>(
      `SELECT a.seq, a.body FROM transcript_activities a
       JOIN transcript_conversations c ON c.id = a.conversation
       WHERE c.channel_id = $1 AND c.conversation_id = $2 AND a.seq > $3 AND a.timestamp_ms >= $4
       ORDER BY a.seq LIMIT $5`,
      [channelId, conversationId, after, since, this.pageSize + 1],
    );
    const page = rows.slice(0, this.pageSize);
    return {
      items: page.map((r) => reviveActivity(r.body)),
      continuationToken: rows.length > this.pageSize ? String(page[page.length - 1]!.seq) : '',
    };
  }

  async list(filter: TranscriptListFilter = {}): Promise<TranscriptPage<TranscriptSummary>> {
    if (filter.channelId === '') throw new AppError('invalid_input', 'channelId is required');
    const [afterMs, afterId] = filter.continuationToken ? parseListToken(filter.continuationToken) : [Number.MIN_SAFE_INTEGER, 0];
    await this.written();
    const { rows } = await this.pool.query<ConversationRow>(
      `SELECT * FROM transcript_conversations
       WHERE ($1::text IS NULL OR channel_id = $1) AND ($2::text IS NULL OR conversation_id = $2)
         AND (first_ms, id) > ($3::bigint, $4::bigint)
       ORDER BY first_ms, id LIMIT $5`,
      [filter.channelId ?? null, filter.conversationId ?? null, afterMs, afterId, this.pageSize + 1],
    );
    const page = rows.slice(0, this.pageSize);
    const last = page[page.length - 1];
    return { items: page.map(summaryOf), continuationToken: rows.length > this.pageSize && last ? `${last.first_ms}:${last.id}` : '' };
  }

  async delete(channelId: string, conversationId: string): Promise<void> {
    requireIds(channelId, conversationId);
    await this.written();
    await this.pool.query('DELETE FROM transcript_conversations WHERE channel_id = $1 AND conversation_id = $2', [channelId, conversationId]);
  }

  async purgeOlderThan(cutoff: Date): Promise<PurgeResult> {
    const ms = validCutoff(cutoff);
    await this.written();
    return inTransaction(this.pool, async (client) => {
      // Lock the conversations concerned first, in the order writers take them: an append to one
      // of them waits for the purge, so the recount below cannot miss it.
      const { rows: affected } = await client.query<{ id: string }>(
        `SELECT id FROM transcript_conversations
         WHERE id IN (SELECT DISTINCT conversation FROM transcript_activities WHERE timestamp_ms < $1)
         ORDER BY channel_id, conversation_id FOR UPDATE`,
        [ms],
      );
      if (affected.length === 0) return { activities: 0, transcripts: 0 };
      const ids = affected.map((r) => r.id);
      const deleted = await client.query('DELETE FROM transcript_activities WHERE timestamp_ms < $1 AND conversation = ANY($2::bigint[])', [ms, ids]);
      await client.query(
        `UPDATE transcript_conversations c SET
           activity_count = s.n, first_ms = COALESCE(s.first_ms, c.first_ms), last_ms = COALESCE(s.last_ms, c.last_ms)
         FROM (SELECT x.id, COUNT(a.seq)::int AS n, MIN(a.timestamp_ms) AS first_ms, MAX(a.timestamp_ms) AS last_ms
               FROM unnest($1::bigint[]) AS x (id) LEFT JOIN transcript_activities a ON a.conversation = x.id
               GROUP BY x.id) s
         WHERE c.id = s.id`,
        [ids],
      );
      const emptied = await client.query('DELETE FROM transcript_conversations WHERE id = ANY($1::bigint[]) AND activity_count = 0', [ids]);
      return { activities: deleted.rowCount ?? 0, transcripts: emptied.rowCount ?? 0 };
    });
  }
}
