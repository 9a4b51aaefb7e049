/**
 * A reading that is expensive (a database query) made at most once per `ttlMs`, and once at a
 * time: scrapes arriving together share one query, and a scrape storm costs the database one
 * query per `ttlMs` whatever its size. A failed reading is not kept: the next call tries again.
 */
export function cachedReading<T>(read: () => Promise<T>, ttlMs: number, now: () => number = () => performance.now()): () => Promise<T> {
  let value: { readonly at: number; readonly result: T } | undefined;
  let inFlight: Promise<T> | undefined;
  return () => {
    if (value !== undefined && now() - value.at < ttlMs) return Promise.resolve(value.result);
    inFlight ??= read()
      .then((result) => {
        value = { at: now(), result };
        return result;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
