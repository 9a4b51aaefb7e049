/**
 * The conversation state rows of one SQLite connection as it last read or wrote them: a turn's
 * two reads (its conversation's state and the redaction middleware's memory) are answered from
 * here instead of a statement each (issue 16). The row's JSON text is kept, not an object, so every
 * read still gets its own copy to change.
 *
 * A few processes may share the file (README, PostgreSQL): the connection's `PRAGMA data_version`
 * is compared with the one the rows were kept under, and a commit by any other connection, in this
 * process or another, empties the cache. The comparison is made once per turn of the event loop,
 * at its first read: under load the turns that arrive together share it, where one per read was
 * about 1.5 % of a turn's CPU (issue 16). A commit elsewhere during that turn of the loop is seen
 * at the next, as if it had come a moment later, which it might as well have: nothing orders two
 * processes' turns, and every write still checks its eTag in the database.
 *
 * Shared by every store on the connection (like the group commit), and only ever told what was
 * committed: a write is remembered once its transaction is, a refused or failed one
 * is forgotten (the next read asks the database). Bounded: the least recently used conversation is
 * forgotten first, so memory stays flat however many conversations pass.
 */
import type { SqliteDatabase } from './database.js';

/** A row as stored: its eTag and its data's JSON. */
export interface CachedStateRow {
  readonly etag: string;
  readonly data: string;
}

const caches = new WeakMap<SqliteDatabase, SqliteStateCache>();

export class SqliteStateCache {
  /** The cache of `db` (made on first use). */
  static of(db: SqliteDatabase, capacity = 10_000): SqliteStateCache {
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = new SqliteStateCache(db.prepare('PRAGMA data_version').pluck(), capacity)));
    return cache;
  }

  /** `null`: the database has no such row. */
  private readonly rows = new Map<string, CachedStateRow | null>();
  /** The connection's data_version the rows were kept under. */
  private version: unknown;
  /** Whether data_version has been read in this turn of the event loop (see the top of the file). */
  private checked = false;
  private readonly uncheck = (): void => {
    this.checked = false;
  };

  private constructor(
    private readonly dataVersion: { get(): unknown },
    private readonly capacity: number,
  ) {
    this.version = dataVersion.get();
  }

  /**
   * The row, `null` when there is none, `undefined` when not known here (ask the database). Call
   * outside a transaction (the store's reads are).
   */
  get(key: string): CachedStateRow | null | undefined {
    if (!this.checked) {
      this.checked = true;
      setImmediate(this.uncheck);
      const version = this.dataVersion.get();
      if (version !== this.version) {
        // Another connection committed: whatever it wrote, nothing kept may be trusted.
        this.rows.clear();
        this.version = version;
        return undefined;
      }
    }
    const row = this.rows.get(key);
    if (row !== undefined) {
      this.rows.delete(key);
      this.rows.set(key, row);
    }
    return row;
  }

  /** What the database holds for `key` now (committed). */
  set(key: string, row: CachedStateRow | null): void {
    this.rows.delete(key);
    this.rows.set(key, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value as string);
  }

  /** Not known any more: the next read asks the database. */
  forget(key: string): void {
    this.rows.delete(key);
  }
}
