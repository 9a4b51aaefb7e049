/**
 * Freezes a value and everything in it. For plain data (JSON-like: objects, arrays, primitives):
 * the configuration, and the parts of replies shared between turns (src/transcripts/reusable-parts.ts).
 * A leaf: the configuration, the conversation and the transcripts use it.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
