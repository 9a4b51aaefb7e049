/**
 * The JSON of a turn's HTTP answer. With `deliveryMode: "expectReplies"` the answer carries the
 * turn's replies, and a menu reply is mostly its buttons: a part made once and frozen
 * (src/transcripts/reusable-parts.ts), whose JSON is made with it. Serialising the answer with
 * those parts' JSON saves writing the same buttons out again on every turn (the transcript already
 * does the same). The text is exactly what JSON.stringify gives; anything that is not an answer of
 * plain activities is simply JSON.stringify'd.
 */
import { stringifyWithReusableParts } from '../transcripts/reusable-parts.js';

export function answerJson(body: unknown): string {
  if (isPlainObject(body) && Object.keys(body).length === 1) {
    const activities = body['activities'];
    if (Array.isArray(activities)) {
      const parts: string[] = [];
      // Index by index: a hole is `null` to JSON.stringify, and skipped by every() and map().
      for (let i = 0; i < activities.length; i++) {
        const activity: unknown = activities[i];
        if (!(i in activities) || !isPlainObject(activity)) return JSON.stringify(body);
        parts.push(stringifyWithReusableParts(activity));
      }
      return `{"activities":[${parts.join(',')}]}`;
    }
  }
  return JSON.stringify(body);
}

/** An object JSON.stringify writes as its own properties: plain, with no toJSON of its own. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
