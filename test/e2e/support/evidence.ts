/**
 * Where customer data could end up, read the way an auditor would: the SQLite file's raw bytes
 * (database and write-ahead log), the rows of each table, and everything the logger wrote.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logger.js';
import type { SqliteDatabase } from '../../../src/storage/database.js';
import { SqliteStateCache } from '../../../src/storage/sqlite-state-cache.js';
import { transcriptsFileOf } from '../../../src/transcripts/index.js';

/** A fresh folder with a database file path in it; `remove()` deletes it. */
export function tempDatabaseFile(prefix = 'e2e-'): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { file: join(dir, 'bot.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real pino logger (the app's own configuration, trace level) writing into memory. */
export function memoryLogger(): { logger: Logger; output: () => string; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger('trace', stream);
  const output = () => chunks.join('');
  return {
    logger,
    output,
    lines: () =>
      output()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/**
 * Every file a SQLite deployment at `file` writes customer data into: the database and its WAL,
 * and the transcripts' own database beside it (written by the transcript thread) with its WAL.
 * A disk-evidence test reads all of them, so a secret that only reaches the transcripts is seen.
 */
export function databaseFiles(file: string): string[] {
  const transcripts = transcriptsFileOf(file);
  return [file, `${file}-wal`, transcripts, `${transcripts}-wal`];
}

/** The raw bytes of every file of `databaseFiles(file)` that exists now. */
export function rawDatabaseBytes(file: string): Buffer {
  return Buffer.concat(databaseFiles(file).filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

/** Checkpoints the WAL into the file, then returns the bytes of the database and its WAL (if any). */
export function databaseBytes(db: SqliteDatabase, file: string): Buffer {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

export { needles } from '../../helpers/secret-needles.js';

/**
 * Whether `needle` stands in `haystack` as text of its own: not glued to letters or digits on
 * either side. Random ids and eTags (hex) hold any short digit run by chance now and then; a
 * stored secret would sit between quotes, spaces or punctuation.
 */
export function containsStandalone(haystack: Buffer, needle: Buffer): boolean {
  const alnum = (byte: number | undefined) =>
    byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (!alnum(haystack[at - 1]) && !alnum(haystack[at + needle.length])) return true;
  }
  return false;
}

/** Every row of a table, as JSON text (one string per row). */
export function rowsAsText(db: SqliteDatabase, table: string): string[] {
  return (db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]).map((row) => JSON.stringify(row));
}

/** The bot_state key of a conversation (see conversationKey in src/bot/support-bot.ts). */
export function stateKey(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}`;
}

interface StateRow {
  readonly key: string;
  readonly etag: string;
  readonly data: string;
  readonly updated_at: string;
}

/** The raw bot_state row of one conversation (to read, or to put back later to simulate a lost write). */
export function stateRow(db: SqliteDatabase, channelId: string, conversationId: string): StateRow | undefined {
  return db.prepare('SELECT key, etag, data, updated_at FROM bot_state WHERE key = ?').get(stateKey(channelId, conversationId)) as StateRow | undefined;
}

/** The stored conversation state of one conversation, parsed. */
export function conversationState(db: SqliteDatabase, channelId: string, conversationId: string): Record<string, unknown> | undefined {
  const row = stateRow(db, channelId, conversationId);
  return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
}

/**
 * Writes a bot_state row back exactly as it was, as a crash before the write would have left it:
 * the process's copy of the row (src/storage/sqlite-state-cache.ts) is lost with it.
 */
export function restoreStateRow(db: SqliteDatabase, row: StateRow): void {
  db.prepare('INSERT OR REPLACE INTO bot_state (key, etag, data, updated_at) VALUES (@key, @etag, @data, @updated_at)').run(row);
  SqliteStateCache.of(db).forget(row.key);
}
