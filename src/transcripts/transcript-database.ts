/**
 * Where the transcripts live on SQLite: a file of their own beside DATABASE_FILE
 * (`data/bot.sqlite` → `data/bot.transcripts.sqlite`), written by the transcript writer's thread
 * (transcript-writer-thread.ts, which says why a file of its own). An in-memory database keeps
 * them in itself, written on the main thread: a worker cannot reach another thread's memory.
 *
 * Earlier versions kept them in the main file. Opening the transcripts' file moves what is there
 * (once, and again if a crash cut the move short: the rows keep their ids, so a second copy adds
 * nothing, and the main file's rows are deleted only after), so every reader finds every
 * conversation in one place.
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
  const file = transcriptsFileOf(databaseFile);
  const db = openDatabase(file, transcriptMigrations);
  moveLegacyTranscripts(main, file);
  return db;
}

/** Moves the transcripts an earlier version wrote into the main file; the number of activities moved. */
export function moveLegacyTranscripts(main: SqliteDatabase, transcriptsFile: string): number {
  const legacy = main.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcript_conversations'").get();
  if (!legacy || !main.prepare('SELECT 1 FROM transcript_conversations LIMIT 1').get()) return 0;
  main.prepare('ATTACH DATABASE ? AS transcripts_file').run(transcriptsFile);
  try {
    return main.transaction(() => {
      main.exec('INSERT OR IGNORE INTO transcripts_file.transcript_conversations SELECT * FROM main.transcript_conversations');
      const moved = main.prepare('INSERT OR IGNORE INTO transcripts_file.transcript_activities SELECT * FROM main.transcript_activities').run().changes;
      // secure_delete (database.ts) zeroes the freed pages: nothing of them lingers in the main file.
      main.exec('DELETE FROM main.transcript_activities; DELETE FROM main.transcript_conversations');
      return moved;
    })();
  } finally {
    main.exec('DETACH DATABASE transcripts_file');
  }
}
