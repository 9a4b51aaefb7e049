/**
 * Runs work for one key at a time. Turns of the same conversation queue behind each other so
 * none reads state another is about to overwrite; different conversations run concurrently.
 * An interface, because several bot instances will need a database-backed lock instead.
 */
export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
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
