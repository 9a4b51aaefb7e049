/**
 * Runs work for one key at a time. Turns of the same conversation queue behind each other so
 * none reads state another is about to overwrite; different conversations run concurrently.
 * In one process: {@link InProcessKeyedLock}. Across bot instances: PostgresKeyedLock
 * (postgres-keyed-lock.ts, a PostgreSQL session advisory lock held for the turn).
 */
export interface KeyedLock {
  /**
   * Runs `work` once no other work for `key` runs. A lock with a bounded wait rejects with
   * {@link KeyedLockTimeoutError} (and never runs `work`) when the key stays taken past it.
   */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** The key stayed taken longer than the lock waits; the work was not run. */
export class KeyedLockTimeoutError extends Error {
  override readonly name = 'KeyedLockTimeoutError';
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`lock for one key still taken after ${waitedMs} ms`);
  }
}

/** In-process lock: a promise chain per key, dropped when the last waiter finishes (no leak). */
export class InProcessKeyedLock implements KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    // The tail must never reject, or the next waiter would run in the rejection path only.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work queued or running (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
