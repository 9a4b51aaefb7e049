/**
 * Conversation state on SQLite (the embedded default): one row per key, JSON text, a random eTag
 * per version. Each write batch is one transaction, so a conflict on one key writes none of it.
 *
 * A turn's one-key writes (writeOne, create) are group-committed: those that arrive while the
 * event loop runs other turns are written in one transaction when it next gets to them
 * (setImmediate), each still with its own eTag check and its own answer. Under load a commit (the
 * WAL frames of the page, its checksum, the locks, a dozen system calls) was about half of a
 * turn's save; twenty conversations share one now. A lone write is its own transaction, as before.
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
  private readonly commitGroup: (group: readonly QueuedWrite[]) => void;
  private queued: QueuedWrite[] = [];
  private flushScheduled = false;

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
    this.commitGroup = db.transaction((group: readonly QueuedWrite[]) => {
      for (const write of group) applyQueued(write);
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

  writeOne(key: string, change: StateWrite): Promise<void> {
    // Serialised now, as create does: the caller may change its object before the group is written.
    const row = this.rowOf(key, change, new Date().toISOString());
    return this.enqueue<void>(() => this.writeRowOf(row));
  }

  async write(changes: Readonly<Record<string, StateWrite>>): Promise<void> {
    const keys = Object.keys(changes);
    // One key (every turn's save): its one statement is a transaction of its own, without the
    // BEGIN and COMMIT statements of an explicit one.
    if (keys.length === 1) this.writeRow(keys[0]!, changes[keys[0]!]!, new Date().toISOString());
    else this.writeAll(changes, new Date().toISOString());
  }

  private writeRow(key: string, change: StateWrite, now: string): void {
    this.writeRowOf(this.rowOf(key, change, now));
  }

  private rowOf(key: string, change: StateWrite, now: string): StateRow {
    const params = { key, etag: randomUUID(), data: JSON.stringify(change.data), now };
    return isUnconditional(change.eTag) ? { params, expected: undefined } : { params, expected: String(change.eTag) };
  }

  private writeRowOf(row: StateRow): void {
    if (row.expected === undefined) {
      this.upsert.run(row.params);
      return;
    }
    // A specific eTag: the item must exist with exactly that eTag. A caller that read
    // "nothing" and writes with an eTag it invented is a conflict too.
    const changed = this.updateIfMatch.run({ ...row.params, expected: row.expected }).changes;
    if (changed === 0) throw new ETagConflictError(row.params.key);
  }

  create(key: string, data: Record<string, unknown>): Promise<boolean> {
    // Serialised now: the caller may change its object before the group is written.
    const params = { key, etag: randomUUID(), data: JSON.stringify(data), now: new Date().toISOString() };
    return this.enqueue(() => this.insertNew.run(params).changes === 1);
  }

  /** Queues one write for the next group commit; settles when it is written (or refused). */
  private enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ run, resolve: resolve as (value: unknown) => void, reject, outcome: undefined });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /**
   * Writes the queued group in one transaction. An eTag conflict refuses only its own write (a
   * conditional UPDATE that matched nothing changed nothing, so the others stand); any other
   * failure (the disk, another process holding the lock past busy_timeout) rolls the group back
   * and every write of it is refused with that error.
   */
  private flush(): void {
    const group = this.queued;
    this.queued = [];
    this.flushScheduled = false;
    try {
      if (group.length === 1) applyQueued(group[0]!);
      else this.commitGroup(group);
    } catch (err) {
      for (const write of group) write.reject(err);
      return;
    }
    for (const write of group) {
      const outcome = write.outcome!;
      if ('error' in outcome) write.reject(outcome.error);
      else write.resolve(outcome.value);
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.deleteAll(keys);
  }
}

/** One row to write: its statement's parameters, and the eTag it must still have (none: unconditional). */
interface StateRow {
  readonly params: { readonly key: string; readonly etag: string; readonly data: string; readonly now: string };
  readonly expected: string | undefined;
}

/** One write of a group commit: what it runs, whom to tell, and what came of it. */
interface QueuedWrite {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  outcome: { readonly value: unknown } | { readonly error: ETagConflictError } | undefined;
}

/** Runs one queued write inside the group's transaction; only its own eTag conflict is kept for it. */
function applyQueued(write: QueuedWrite): void {
  try {
    write.outcome = { value: write.run() };
  } catch (err) {
    if (!(err instanceof ETagConflictError)) throw err;
    write.outcome = { error: err };
  }
}
