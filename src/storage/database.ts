import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A better-sqlite3 connection; the one type every SQLite-backed store takes. */
export type SqliteDatabase = Database.Database;

/**
 * One schema change. Features own their migrations (tickets, transcripts, bot state…) and
 * hand them to {@link openDatabase}; ids are global and applied once, in the order given.
 */
export interface Migration {
  /** Stable, unique id such as `bot-state-001`; never renamed once shipped. */
  readonly id: string;
  readonly up: (db: SqliteDatabase) => void;
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 *
 * WAL with synchronous=NORMAL: about 12x faster single inserts than FULL and still durable
 * across a process crash (only an OS crash may lose the last transactions).
 * `:memory:` is accepted for tests.
 */
export function openDatabase(file: string, migrations: readonly Migration[]): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Identity claims sit in conversation state while they are being collected; once the ticket
  // exists that row is rewritten: zero the freed pages so the old values do not linger in the file.
  db.pragma('secure_delete = ON');
  // Several bot processes may share one file in a small deployment: wait for a writer instead of failing.
  db.pragma('busy_timeout = 5000');
  // 64 MB of page cache instead of SQLite's 2 MB: the desk's queue reads indexes over a million
  // tickets, and the pages are only allocated as they are used.
  db.pragma('cache_size = -65536');
  applyMigrations(db, migrations);
  return db;
}

/** Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction. */
export function applyMigrations(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const seen = new Set<string>();
  const done = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  for (const m of migrations) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
    if (done.has(m.id)) continue;
    // IMMEDIATE, and looked up again inside: two processes starting on a new file together (the
    // README allows a few on one file) take turns, and the second finds the first one's work.
    db.transaction(() => {
      if (applied.get(m.id)) return;
      m.up(db);
      record.run(m.id, new Date().toISOString());
    }).immediate();
  }
}
