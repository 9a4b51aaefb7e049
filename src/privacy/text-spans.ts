/**
 * Helpers shared by the detectors: a width fold that keeps offsets, and span replacement.
 * Detectors match on the folded text and replace in the original, so "１２３４５６" is found as a
 * code while ordinary full-width text elsewhere is left exactly as the customer typed it.
 */

/** A found region of text, UTF-16 offsets, end exclusive. */
export interface TextSpan<K extends string = string> {
  readonly start: number;
  readonly end: number;
  readonly kind: K;
}

/** Any character {@link foldWidth} changes (non-global: `test` keeps no state). */
const NEEDS_FOLDING = /[\uff01-\uff5e\u3000\u2010-\u2014\u2212]/;

/**
 * Maps full-width ASCII (U+FF01–FF5E) to ASCII, the ideographic space to a space and dash look-alikes
 * to `-`. Every replaced character is one UTF-16 unit, as is its replacement: offsets do not move.
 */
export function foldWidth(text: string): string {
  // Most texts have nothing to fold: skip the character-by-character copy.
  if (!NEEDS_FOLDING.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else if ((c >= 0x2010 && c <= 0x2014) || c === 0x2212) out += '-';
    else out += text[i];
  }
  return out;
}

/** True when [start, end) overlaps any of `spans`. */
export function overlapsAny(start: number, end: number, spans: readonly TextSpan[]): boolean {
  return spans.some((s) => start < s.end && s.start < end);
}

/**
 * Replaces each span with `marker(span)`. Overlapping spans are merged (the earlier one's kind wins),
 * so a region is never replaced twice.
 */
export function replaceSpans<K extends string>(
  text: string,
  spans: readonly TextSpan<K>[],
  marker: (span: TextSpan<K>) => string,
): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: TextSpan<K>[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, span.end) };
    } else {
      merged.push(span);
    }
  }
  let out = '';
  let cursor = 0;
  for (const span of merged) {
    out += text.slice(cursor, span.start) + marker(span);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}
