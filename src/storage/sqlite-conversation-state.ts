/**
 * Conversation state on SQLite (the embedded default): one row per key, JSON text, a random eTag
 * per version. Each write batch is one transaction, so a conflict on one key writes none of it.
 */
import { randomUUID } from 'node:crypto';
import { ETagConflictError, isUnconditional, storedState, type ConversationStateStore, type StateWrite, type StoredState } from './conversation-state.js';
import type { Migration, SqliteDatabase } from './database.js';

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
  private readonly writeAll: (changes: Readonly<Record<string, StateWrite>>, now: string) => void;
  private readonly deleteAll: (keys: readonly string[]) => void;

  constructor(db: SqliteDatabase) {
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
    this.writeAll = db.transaction((changes: Readonly<Record<string, StateWrite>>, now: string) => {
      for (const [key, change] of Object.entries(changes)) this.writeRow(key, change, now);
    });
    this.deleteAll = db.transaction((keys: readonly string[]) => {
      for (const key of keys) this.remove.run(key);
    });
  }

  async read(keys: readonly string[]): Promise<Record<string, StoredState>> {
    const items: Record<string, StoredState> = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) items[key] = storedState(row);
    }
    return items;
  }

  async readOne(key: string): Promise<StoredState | undefined> {
    const row = this.selectOne.get(key);
    return row && storedState(row);
  }

  async writeOne(key: string, change: StateWrite): Promise<void> {
    this.writeRow(key, change, new Date().toISOString());
  }

  async write(changes: Readonly<Record<string, StateWrite>>): Promise<void> {
    const keys = Object.keys(changes);
    // One key (every turn's save): its one statement is a transaction of its own, without the
    // BEGIN and COMMIT statements of an explicit one.
    if (keys.length === 1) this.writeRow(keys[0]!, changes[keys[0]!]!, new Date().toISOString());
    else this.writeAll(changes, new Date().toISOString());
  }

  private writeRow(key: string, change: StateWrite, now: string): void {
    const params = { key, etag: randomUUID(), data: JSON.stringify(change.data), now };
    if (isUnconditional(change.eTag)) {
      this.upsert.run(params);
      return;
    }
    // A specific eTag: the item must exist with exactly that eTag. A caller that read
    // "nothing" and writes with an eTag it invented is a conflict too.
    const changed = this.updateIfMatch.run({ ...params, expected: String(change.eTag) }).changes;
    if (changed === 0) throw new ETagConflictError(key);
  }

  async create(key: string, data: Record<string, unknown>): Promise<boolean> {
    const params = { key, etag: randomUUID(), data: JSON.stringify(data), now: new Date().toISOString() };
    return this.insertNew.run(params).changes === 1;
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.deleteAll(keys);
  }
}
