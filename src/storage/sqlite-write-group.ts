/**
 * Group commit for one SQLite connection. The writes a turn makes (the conversation's state, the
 * redaction middleware's memory, the turn's transcript activities) are queued, and the queue is
 * written in one transaction when the event loop next gets to it (setImmediate): under load the
 * turns that came in together share one commit (the WAL frames of a page, their checksums, the
 * locks, a dozen system calls) instead of paying one each. That was about a sixth of a turn's CPU
 * at twenty conversations (issue 16). A lone write is its own transaction, as it was.
 *
 * One group per connection, shared by every store on it. Each write answers for itself: what it
 * returns is its caller's answer (a refused eTag is a result, not an exception). A write that
 * throws must not cost the others theirs: the group's transaction is rolled back and every write
 * of it is run again on its own, as it would have been without the group, so each caller gets the
 * answer its own write gets. A write must therefore do the same when run a second time: whatever
 * it needs from its caller is read when it is queued.
 */
import type { SqliteDatabase } from './database.js';

interface QueuedWrite {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

const groups = new WeakMap<SqliteDatabase, SqliteWriteGroup>();

export class SqliteWriteGroup {
  /** The group of `db` (made on first use). */
  static of(db: SqliteDatabase): SqliteWriteGroup {
    let group = groups.get(db);
    if (!group) groups.set(db, (group = new SqliteWriteGroup(db)));
    return group;
  }

  private readonly commitAll: (writes: readonly QueuedWrite[]) => unknown[];
  private queued: QueuedWrite[] = [];
  private scheduled = false;

  private constructor(db: SqliteDatabase) {
    // Built once: creating a better-sqlite3 transaction function costs more than a turn's write.
    this.commitAll = db.transaction((writes: readonly QueuedWrite[]) =>
      writes.map((w) => {
        const result = w.run();
        // Some failures (a full disk, an I/O error) make SQLite roll the whole transaction back even
        // when a write caught its own error: no later write may then run outside the transaction.
        if (!db.inTransaction) throw new Error('SQLite rolled the group commit back');
        return result;
      }),
    );
  }

  /**
   * Queues `run` (synchronous statements on this connection) for the next group commit; settles with
   * what it returns once the group is written, or with the error it throws. It may run twice (see
   * above): whatever it needs from its caller's objects must be read before, when it is queued.
   */
  add<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** Writes what is queued now (also before the connection closes, so no turn's write is left behind). */
  flush(): void {
    this.scheduled = false;
    const writes = this.queued;
    if (writes.length === 0) return;
    this.queued = [];
    if (writes.length > 1) {
      let results: unknown[] | undefined;
      try {
        results = this.commitAll(writes);
      } catch {
        // Rolled back, nothing of it stored: each write again on its own, below.
      }
      if (results) {
        writes.forEach((write, i) => write.resolve(results[i]));
        return;
      }
    }
    for (const write of writes) {
      try {
        write.resolve(write.run());
      } catch (err) {
        write.reject(err);
      }
    }
  }
}
