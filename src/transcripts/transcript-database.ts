/**
 * Where the transcripts live on SQLite: a file of their own beside DATABASE_FILE
 * (`data/bot.sqlite` → `data/bot.transcripts.sqlite`), written by the transcript writer's thread
 * (transcript-writer-thread.ts, which says why a file of its own). An in-memory database keeps
 * them in itself, written on the main thread: a worker cannot reach another thread's memory.
 *
 * Earlier versions kept them in the main file. Opening the transcripts' file moves what is there,
 * in two steps that are each one transaction of one file (SQLite makes a transaction over two
 * WAL files atomic per file only):
 * 1. into the transcripts' file: the activities after the last one moved (in arrival order, each
 *    to its conversation found by channel and id, the conversation's figures added up), with the
 *    last arrival number moved recorded beside them;
 * 2. out of the main file: the activities up to that number, and the conversations left empty.
 * A crash between the two leaves rows that step 2 deletes at the next start, never a row twice or
 * none; rows an older process writes into the main file later (a rollback, a rolling upgrade) are
 * moved at the next start, since the main file's arrival numbers never go back (AUTOINCREMENT).
 */
import { basename, dirname, extname, join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../storage/database.js';
import { transcriptMigrations } from './migrations.js';

/** The transcripts' file for a DATABASE_FILE (which is a file, not `:memory:`). */
export function transcriptsFileOf(databaseFile: string): string {
  const ext = extname(databaseFile);
  return join(dirname(databaseFile), `${basename(databaseFile, ext)}.transcripts${ext || '.sqlite'}`);
}

/**
 * Opens the transcripts' database of `main` (the application's, opened from `databaseFile`), its
 * schema applied, with any transcripts the main file still holds moved into it. `:memory:`: the
 * main database itself.
 */
export function openTranscriptDatabase(databaseFile: string, main: SqliteDatabase): SqliteDatabase {
  if (databaseFile === ':memory:') return main;
  const db = openDatabase(transcriptsFileOf(databaseFile), transcriptMigrations);
  try {
    moveLegacyTranscripts(main, db, databaseFile);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Whether the main file still holds transcript activities (an earlier version's, not yet moved). */
export function holdsLegacyTranscripts(main: SqliteDatabase): boolean {
  const table = main.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcript_activities'").get();
  return table !== undefined && main.prepare('SELECT 1 FROM transcript_activities LIMIT 1').get() !== undefined;
}

/**
 * Moves the transcripts an earlier version wrote into the main file (`mainFile`, open as `main`)
 * into `transcripts`; the number of activities moved by this call.
 */
export function moveLegacyTranscripts(main: SqliteDatabase, transcripts: SqliteDatabase, mainFile: string): number {
  if (!holdsLegacyTranscripts(main)) return 0;
  transcripts.exec('CREATE TABLE IF NOT EXISTS transcript_moves (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL)');
  transcripts.prepare('ATTACH DATABASE ? AS legacy').run(mainFile);
  let moved: number;
  let last: number;
  try {
    // Step 1. IMMEDIATE: a second process starting at the same time waits, then finds it done.
    ({ moved, last } = transcripts
      .transaction(() => {
        const marked = (transcripts.prepare('SELECT last_seq FROM transcript_moves WHERE id = 1').pluck().get() as number | undefined) ?? 0;
        // The main file's arrival numbers never go back (AUTOINCREMENT): lower than the marker, it
        // is another main file (recreated, or restored from a backup), and nothing of it was moved.
        const sequence = (transcripts.prepare("SELECT seq FROM legacy.sqlite_sequence WHERE name = 'transcript_activities'").pluck().get() as number | undefined) ?? 0;
        const after = sequence < marked ? 0 : marked;
        const upTo = transcripts.prepare('SELECT MAX(seq) FROM legacy.transcript_activities').pluck().get() as number | null;
        if (upTo === null || upTo <= after) return { moved: 0, last: after };
        transcripts
          .prepare(
            `INSERT INTO transcript_conversations (channel_id, conversation_id, first_ms, last_ms, activity_count)
             SELECT c.channel_id, c.conversation_id, MIN(a.timestamp_ms), MAX(a.timestamp_ms), COUNT(*)
             FROM legacy.transcript_activities a JOIN legacy.transcript_conversations c ON c.id = a.conversation
             WHERE a.seq > @after AND a.seq <= @upTo
             GROUP BY c.channel_id, c.conversation_id
             ON CONFLICT (channel_id, conversation_id) DO UPDATE SET
               first_ms = MIN(first_ms, excluded.first_ms),
               last_ms = MAX(last_ms, excluded.last_ms),
               activity_count = activity_count + excluded.activity_count`,
          )
          .run({ after, upTo });
        const count = transcripts
          .prepare(
            `INSERT INTO transcript_activities (conversation, timestamp_ms, body)
             SELECT n.id, a.timestamp_ms, a.body
             FROM legacy.transcript_activities a
             JOIN legacy.transcript_conversations c ON c.id = a.conversation
             JOIN transcript_conversations n ON n.channel_id = c.channel_id AND n.conversation_id = c.conversation_id
             WHERE a.seq > @after AND a.seq <= @upTo
             ORDER BY a.seq`,
          )
          .run({ after, upTo }).changes;
        transcripts.prepare('INSERT INTO transcript_moves (id, last_seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq').run(upTo);
        return { moved: count, last: upTo };
      })
      .immediate());
  } finally {
    transcripts.exec('DETACH DATABASE legacy');
  }
  // Step 2. secure_delete (database.ts) zeroes the freed pages: nothing of them lingers in the main file.
  main
    .transaction(() => {
    main.prepare('DELETE FROM transcript_activities WHERE seq <= ?').run(last);
    main.exec('DELETE FROM transcript_conversations WHERE id NOT IN (SELECT conversation FROM transcript_activities)');
    })
    .immediate();
  return moved;
}
