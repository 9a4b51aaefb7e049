/**
 * Conversation state on SQLite (the embedded default): one row per key, JSON text, a random eTag
 * per version. Each write batch is one transaction, so a conflict on one key writes none of it.
 *
 * A turn's one-key writes (writeOne, create) go through the connection's group commit
 * (sqlite-write-group.ts), each with its own eTag check and its own answer.
 */
import { randomUUID } from 'node:crypto';
import { ETagConflictError, isUnconditional, storedState, type ConversationStateStore, type StateWrite, type StoredState } from './conversation-state.js';
import type { Migration, SqliteDatabase } from './database.js';
import { SqliteStateCache, type CachedStateRow } from './sqlite-state-cache.js';
import { SqliteWriteGroup } from './sqlite-write-group.js';

export const botStateMigrations: readonly Migration[] = [
  {
    id: 'bot-state-001',
    up: (db) =>
      db.exec(`CREATE TABLE bot_state (
        key TEXT PRIMARY KEY,
        etag TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`),
  },
];

export class SqliteConversationStateStore implements ConversationStateStore {
  private readonly selectOne;
  private readonly upsert;
  private readonly updateIfMatch;
  private readonly insertNew;
  private readonly remove;
  private readonly writeAll: (changes: Readonly<Record<string, StateWrite>>, now: string, written: StateRow[]) => void;
  /** The rows as this connection last read or committed them, emptied when another connection commits (sqlite-state-cache.ts). */
  private readonly cache: SqliteStateCache;
  private readonly deleteAll: (keys: readonly string[]) => void;
  private readonly group: SqliteWriteGroup;

  constructor(private readonly db: SqliteDatabase) {
    this.selectOne = db.prepare<[string], { etag: string; data: string }>('SELECT etag, data FROM bot_state WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO bot_state (key, etag, data, updated_at) VALUES (@key, @etag, @data, @now)
       ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at`,
    );
    this.updateIfMatch = db.prepare(
      'UPDATE bot_state SET etag = @etag, data = @data, updated_at = @now WHERE key = @key AND etag = @expected',
    );
    this.insertNew = db.prepare(
      'INSERT INTO bot_state (key, etag, data, updated_at) VALUES (@key, @etag, @data, @now) ON CONFLICT(key) DO NOTHING',
    );
    this.remove = db.prepare('DELETE FROM bot_state WHERE key = ?');
    // Built once: creating a better-sqlite3 transaction function costs more than a turn's write.
    this.writeAll = db.transaction((changes: Readonly<Record<string, StateWrite>>, now: string, written: StateRow[]) => {
      for (const [key, change] of Object.entries(changes)) {
        const row = this.rowOf(key, change, now);
        if (!this.writeRowOf(row)) throw new ETagConflictError(key);
        written.push(row);
      }
    });
    this.deleteAll = db.transaction((keys: readonly string[]) => {
      for (const key of keys) this.remove.run(key);
    });
    this.group = SqliteWriteGroup.of(db);
    this.cache = SqliteStateCache.of(db);
  }

  async read(keys: readonly string[]): Promise<Record<string, StoredState>> {
    const items: Record<string, StoredState> = {};
    for (const key of keys) {
      const row = this.row(key);
      if (row) items[key] = storedState(row);
    }
    return items;
  }

  async readOne(key: string): Promise<StoredState | undefined> {
    const row = this.row(key);
    return row ? storedState(row) : undefined;
  }

  /** The stored row: from the process's cache (sqlite-state-cache.ts), else the database (remembered). */
  private row(key: string): CachedStateRow | null {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const row = this.selectOne.get(key) ?? null;
    // Inside a caller's transaction (the replayer's, rolled back at its end) a row may not last.
    if (!this.db.inTransaction) this.cache.set(key, row && { etag: row.etag, data: row.data });
    return row;
  }

  async writeOne(key: string, change: StateWrite): Promise<void> {
    // Serialised now, as create does: the caller may change its object before the group is written.
    const row = this.rowOf(key, change, new Date().toISOString());
    let written: boolean;
    try {
      written = await this.group.add(() => this.writeRowOf(row));
    } catch (err) {
      this.cache.forget(key);
      throw err;
    }
    this.remember(row, written);
    if (!written) throw new ETagConflictError(key);
  }

  async write(changes: Readonly<Record<string, StateWrite>>): Promise<void> {
    const keys = Object.keys(changes);
    const now = new Date().toISOString();
    // One key: its one statement is a transaction of its own, without the BEGIN and COMMIT
    // statements of an explicit one. (A turn's save is writeOne, through the group commit.)
    if (keys.length === 1) {
      this.writeRow(keys[0]!, changes[keys[0]!]!, now);
      return;
    }
    const rows: StateRow[] = [];
    try {
      this.writeAll(changes, now, rows);
    } catch (err) {
      // All or nothing: none of it is stored.
      for (const key of keys) this.cache.forget(key);
      throw err;
    }
    for (const row of rows) this.remember(row, true);
  }

  private writeRow(key: string, change: StateWrite, now: string): void {
    const row = this.rowOf(key, change, now);
    let written: boolean;
    try {
      written = this.writeRowOf(row);
    } catch (err) {
      this.cache.forget(key);
      throw err;
    }
    this.remember(row, written);
    if (!written) throw new ETagConflictError(key);
  }

  /** A committed write is what the row holds now; a refused one says the cache was behind. */
  private remember(row: StateRow, written: boolean): void {
    // Committed only when no caller's transaction is still open around it (the replayer rolls its own back).
    if (written && !this.db.inTransaction) this.cache.set(row.params.key, { etag: row.params.etag, data: row.params.data });
    else this.cache.forget(row.params.key);
  }

  private rowOf(key: string, change: StateWrite, now: string): StateRow {
    const params = { key, etag: randomUUID(), data: JSON.stringify(change.data), now };
    return isUnconditional(change.eTag) ? { params, expected: undefined } : { params, expected: String(change.eTag) };
  }

  /** Writes one row; false when its eTag no longer matches. */
  private writeRowOf(row: StateRow): boolean {
    if (row.expected === undefined) {
      this.upsert.run(row.params);
      return true;
    }
    // A specific eTag: the item must exist with exactly that eTag. A caller that read
    // "nothing" and writes with an eTag it invented is a conflict too.
    return this.updateIfMatch.run({ ...row.params, expected: row.expected }).changes === 1;
  }

  async create(key: string, data: Record<string, unknown>): Promise<boolean> {
    // Serialised now: the caller may change its object before the group is written.
    const params = { key, etag: randomUUID(), data: JSON.stringify(data), now: new Date().toISOString() };
    let created: boolean;
    try {
      created = await this.group.add(() => this.insertNew.run(params).changes === 1);
    } catch (err) {
      this.cache.forget(key);
      throw err;
    }
    this.remember({ params, expected: undefined }, created);
    return created;
  }

  async delete(keys: readonly string[]): Promise<void> {
    try {
      this.deleteAll(keys);
    } finally {
      for (const key of keys) this.cache.forget(key);
    }
  }
}

/** One row to write: its statement's parameters, and the eTag it must still have (none: unconditional). */
interface StateRow {
  readonly params: { readonly key: string; readonly etag: string; readonly data: string; readonly now: string };
  readonly expected: string | undefined;
}
