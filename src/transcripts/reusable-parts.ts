/**
 * Parts of the bot's replies that are the same turn after turn (a step's buttons as suggested
 * actions: the main menu's twelve are most of its reply's bytes), frozen once and shared by every
 * reply that shows them. The transcript then checks each such part for secrets and personal data
 * once, and serialises it once, instead of on every reply (issue 16: checking and serialising the
 * bot's replies were about a tenth of a turn's CPU).
 *
 * Only parts made here are trusted: a copy as plain data, deeply frozen. An object someone else
 * froze (perhaps only its top, or with a getter inside) is checked and serialised like any other
 * value, so nothing that could change after the first look is stored unchecked.
 */
import { randomUUID } from 'node:crypto';
import { deepFreeze } from '../deep-freeze.js';

/** Every reusable part, with its JSON (made with the part, which cannot change). */
const jsonOf = new WeakMap<object, string>();

/**
 * A frozen copy of `value` as plain data (its JSON read back: no getter, Date or class instance
 * that could change or answer differently later), marked as a part the transcript may reuse.
 * The caller's object is left as it is.
 */
export function freezeForReuse<T extends object>(value: T): T {
  const json = JSON.stringify(value);
  const part = deepFreeze(JSON.parse(json) as T);
  jsonOf.set(part, json);
  return part;
}

export function isReusablePart(value: unknown): value is object {
  return typeof value === 'object' && value !== null && jsonOf.has(value);
}

/**
 * Stands in for a reusable part while the rest of an activity is serialised: a string no activity
 * holds (a NUL, then a random id made at start-up and never written anywhere), whose JSON is then
 * replaced by the part's own.
 */
const PLACEHOLDER = `\u0000reusable-part-${randomUUID()}-`;

/**
 * `JSON.stringify(value)` for a plain object, with the JSON of its reusable parts (its own
 * properties that are, see {@link freezeForReuse}) made once, with the part, and kept while it lives.
 * The same text as JSON.stringify gives, key order included.
 */
export function stringifyWithReusableParts(value: Readonly<Record<string, unknown>>): string {
  let parts: object[] | undefined;
  let rest: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (!isReusablePart(item)) continue;
    parts ??= [];
    rest ??= { ...value };
    rest[key] = PLACEHOLDER + parts.length;
    parts.push(item);
  }
  if (!parts || !rest || typeof value['toJSON'] === 'function') return JSON.stringify(value);
  let json = JSON.stringify(rest);
  parts.forEach((part, i) => {
    json = json.replace(JSON.stringify(PLACEHOLDER + i), () => jsonOf.get(part)!);
  });
  return json;
}
