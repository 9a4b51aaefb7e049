import type { Migration } from '../storage/database.js';

/**
 * Schema of the transcript store. One row per conversation keeps the figures `list` and paging
 * need (first/last activity time, count) without scanning activities; activities are stored as
 * the JSON of the already-sanitised activity, in arrival order (`seq`).
 */
export const transcriptMigrations: readonly Migration[] = [
  {
    id: 'transcripts-001',
    up: (db) =>
      db.exec(`
        CREATE TABLE transcript_conversations (
          id INTEGER PRIMARY KEY,
          channel_id TEXT NOT NULL,
          conversation_id TEXT NOT NULL,
          first_ms INTEGER NOT NULL,
          last_ms INTEGER NOT NULL,
          activity_count INTEGER NOT NULL,
          UNIQUE (channel_id, conversation_id)
        );
        CREATE INDEX transcript_conversations_created ON transcript_conversations (channel_id, first_ms, id);
        CREATE TABLE transcript_activities (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          conversation INTEGER NOT NULL REFERENCES transcript_conversations (id) ON DELETE CASCADE,
          timestamp_ms INTEGER NOT NULL,
          body TEXT NOT NULL
        );
        CREATE INDEX transcript_activities_by_conversation ON transcript_activities (conversation, seq);
        CREATE INDEX transcript_activities_by_time ON transcript_activities (timestamp_ms);
      `),
  },
];
