import type { Storage, StoreItems } from 'botbuilder';
import { randomUUID } from 'node:crypto';
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

/** Thrown on an eTag mismatch; the message matches botbuilder's own storages so callers can treat them alike. */
export class ETagConflictError extends Error {
  override readonly name = 'ETagConflictError';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

/**
 * Bot Framework `Storage` on SQLite that honours eTags: a write carrying an eTag succeeds only
 * if the stored item still has it ('*' or no eTag = unconditional). Each `write` is one
 * transaction, so a conflict on one key writes none of the batch.
 */
export class SqliteStorage implements Storage {
  private readonly selectOne;
  private readonly upsert;
  private readonly updateIfMatch;
  private readonly insertNew;
  private readonly remove;

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
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) items[key] = { ...(JSON.parse(row.data) as object), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...rest } = (item ?? {}) as { eTag?: unknown } & Record<string, unknown>;
        const params = { key, etag: randomUUID(), data: JSON.stringify(rest), now };
        if (eTag === undefined || eTag === '*' || eTag === null) {
          this.upsert.run(params);
          continue;
        }
        // A specific eTag: the item must exist with exactly that eTag. A caller that read
        // "nothing" and writes with an eTag it invented is a conflict too.
        const changed = this.updateIfMatch.run({ ...params, expected: String(eTag) }).changes;
        if (changed === 0) throw new ETagConflictError(key);
      }
    })();
  }

  /**
   * Creates the item only if absent: the first writer of a new conversation wins even
   * without an eTag to compare. Returns false when another writer got there first.
   */
  async writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    const { eTag: _ignored, ...rest } = item;
    const params = { key, etag: randomUUID(), data: JSON.stringify(rest), now: new Date().toISOString() };
    return this.insertNew.run(params).changes === 1;
  }

  async delete(keys: string[]): Promise<void> {
    this.db.transaction(() => {
      for (const key of keys) this.remove.run(key);
    })();
  }
}
