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
const NEEDS_FOLDING = /[\uff01-\uff5e\u3000\u2010-\u2014\u2212\u30fb\uff65]|(?![0-9])\p{Nd}/u;

/**
 * Maps full-width ASCII (U+FF01–FF5E) to ASCII, the ideographic space and the middle dots 「・」
 * to a space, dash look-alikes to `-`, and decimal digits of other scripts (Arabic-Indic ٠١٢,
 * Devanagari, Thai…) that are one UTF-16 unit to ASCII digits. Every replaced character is one
 * UTF-16 unit, as is its replacement: offsets do not move.
 */
export function foldWidth(text: string): string {
  // Most texts have nothing to fold: skip the character-by-character copy.
  if (!NEEDS_FOLDING.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) out += foldUnit(text, i);
  return out;
}

function foldUnit(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c < 0x80) return text[i] ?? '';
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
  if (c === 0x3000 || c === 0x30fb || c === 0xff65) return ' ';
  if ((c >= 0x2010 && c <= 0x2014) || c === 0x2212) return '-';
  const ch = text[i] ?? '';
  return c < 0xd800 || c > 0xdfff ? (digitValue(ch) ?? ch) : ch;
}

/**
 * The ASCII digit a decimal digit of any script stands for, or undefined. Unicode puts each
 * script's digits in a block of ten starting at its zero, so the value is the distance to the
 * first digit of the run (modulo ten, for the mathematical blocks that follow one another).
 */
function digitValue(ch: string): string | undefined {
  if (!/\p{Nd}/u.test(ch)) return undefined;
  const cp = ch.codePointAt(0) ?? 0;
  let zero = cp;
  while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

/** Characters outside the Basic Multilingual Plane that read as ASCII: 𝟏𝟐𝟑, 𝐀𝐁𝐂 (U+1D400–1D7FF). */
const ASTRAL_LOOKALIKES = /[\u{1d400}-\u{1d7ff}\u{1fbf0}-\u{1fbf9}]/u;

/** Text as the detectors read it, with the way back to the customer's offsets. */
export interface FoldedText {
  readonly text: string;
  /** The offset in the original text of offset `i` of the folded one (`i` may be its length). */
  readonly original: (i: number) => number;
}

/**
 * {@link foldWidth}, plus the mathematical letters and digits (𝟏𝟐𝟑 𝟷𝟸𝟹 𝐀𝐁), which take two UTF-16
 * units each and fold (NFKC) to one ASCII character: the folded text is then shorter, and
 * `original` maps detector offsets back. Without such characters it is `foldWidth` as it is.
 */
export function foldForDetection(text: string): FoldedText {
  if (!ASTRAL_LOOKALIKES.test(text)) {
    const folded = foldWidth(text);
    return { text: folded, original: (i) => i };
  }
  let out = '';
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) ?? 0;
    if (cp > 0xffff) {
      const ch = String.fromCodePoint(cp);
      const nfkc = ch.normalize('NFKC');
      const digit = digitValue(ch);
      const mapped = digit ?? (/^[!-~]$/u.test(nfkc) ? nfkc : ch);
      for (let k = 0; k < mapped.length; k++) offsets.push(mapped === ch ? i + k : i);
      out += mapped;
      i++;
      continue;
    }
    offsets.push(i);
    out += foldUnit(text, i);
  }
  offsets.push(text.length);
  return { text: out, original: (i) => offsets[i] ?? text.length };
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
