import type { Activity, TranscriptStore } from 'botbuilder';
import type { SqliteDatabase } from '../storage/database.js';
import { SqliteTranscriptLog, type SqliteTranscriptStoreOptions } from './sqlite-transcript-log.js';
import type { PurgeResult, TranscriptSummary } from './transcript-log.js';
import { TranscriptLogStore } from './transcript-store-adapter.js';

export type { PurgeResult, TranscriptSummary } from './transcript-log.js';
export type { SqliteTranscriptStoreOptions } from './sqlite-transcript-log.js';

/**
 * botbuilder's `TranscriptStore` on the application's SQLite database: the adapter over
 * {@link SqliteTranscriptLog}, plus that log's synchronous calls for the SQLite-only callers
 * (start-up retention, `npm run transcripts`, shutdown).
 */
export class SqliteTranscriptStore extends TranscriptLogStore {
  declare readonly log: SqliteTranscriptLog;

  constructor(db: SqliteDatabase, options: SqliteTranscriptStoreOptions = {}) {
    super(new SqliteTranscriptLog(db, options));
  }

  /** Writes the queued activities now; a failed write is thrown (and given to its loggers). */
  flush(): void {
    this.log.flush();
  }

  /** Retention: see {@link SqliteTranscriptLog.deleteOlderThan}. */
  deleteOlderThan(cutoff: Date): PurgeResult {
    return this.log.deleteOlderThan(cutoff);
  }

  /** Every stored conversation (all channels), oldest first, or those of one channel. */
  summaries(channelId?: string): TranscriptSummary[] {
    return this.log.summaries(channelId);
  }

  /** The channels in which a conversation id has a transcript (ids are only unique per channel). */
  channelsOf(conversationId: string): string[] {
    return this.log.channelsOf(conversationId);
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
