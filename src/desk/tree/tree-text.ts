/**
 * Text sizes for the tree's layout without a browser: SVG text does not wrap, and elk needs every
 * box's size before it places anything, so labels are measured with per-character widths of a
 * common sans-serif (slightly generous, so text stays inside its box in the fonts a laptop has) and
 * wrapped here. The browser test checks the estimate against Chromium's real text lengths.
 */

/** Full-width characters: CJK, kana, full-width forms, circled numbers, arrows. */
const WIDE = /[\u1100-\u115f\u2190-\u21ff\u2460-\u24ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Width of one character in em, for a typical UI sans-serif. */
function charEm(ch: string): number {
  if (WIDE.test(ch)) return 1;
  if (/[mwMW@%]/.test(ch)) return 0.9;
  if (/[A-Z]/.test(ch)) return 0.7;
  if (/[0-9]/.test(ch)) return 0.6;
  if (/[ilj.,:;|!'`·]/.test(ch)) return 0.3;
  if (/[frt()[\]{}" -]/.test(ch)) return 0.42;
  if (/[a-z?&]/.test(ch)) return 0.58;
  return 0.62;
}

/** Estimated rendered width of `text` at `fontSize` px (bold text runs about 8 % wider). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * fontSize * (bold ? 1.08 : 1);
}

/** Japanese line-breaking rules (kinsoku), simplified: never start a line with these... */
const NO_LINE_START = /^[、。，．・：；？！ー」』）〕］｝〉》…‥ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)\]},.:;!?%]/u;
/** ...nor end one with these. */
const NO_LINE_END = /[「『（〔［｛〈《([{]$/u;
/** A better place to break than the last space, if the line is not too short then: after a colon or a comma. */
const BREAK_AFTER = /[：:、，,;；]\s*$/u;

const words = new Intl.Segmenter('ja', { granularity: 'word' });

/**
 * Unbreakable pieces: words as ICU's dictionary finds them (Japanese has no spaces, and a break
 * inside コード or アプリ reads badly), with trailing spaces and closing punctuation kept on the
 * word before, and opening brackets on the word after.
 */
function pieces(text: string): string[] {
  const out: string[] = [];
  let carry = '';
  for (const { segment } of words.segment(text)) {
    const last = out.length - 1;
    if (last >= 0 && carry === '' && (/^\s+$/u.test(segment) || NO_LINE_START.test(segment))) out[last] += segment;
    else if (NO_LINE_END.test(segment)) carry += segment;
    else {
      out.push(carry + segment);
      carry = '';
    }
  }
  if (carry) out.push(carry);
  return out;
}

export interface WrappedText {
  readonly lines: readonly string[];
  /** Whether text was cut (the last line then ends with an ellipsis). */
  readonly truncated: boolean;
  /** Width of the widest line. */
  readonly width: number;
}

/**
 * Fills lines up to `maxWidth` word by word, breaking at a colon or comma when one sits late
 * enough in the line, at most `maxLines` lines; what does not fit is cut with an ellipsis (the full
 * text goes into the node's `<title>`).
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number, bold = false): WrappedText {
  const width = (parts: readonly string[]) => textWidth(parts.join('').trimEnd(), fontSize, bold);
  const lines: string[] = [];
  let line: string[] = [];
  const queue = pieces(text.replace(/\s+/g, ' ').trim());
  for (let i = 0; i < queue.length; i++) {
    const piece = queue[i]!;
    if (width([...line, piece]) <= maxWidth) {
      line.push(piece);
      continue;
    }
    if (line.length === 0) {
      // A single word wider than the box: split it by characters.
      const [head, tail] = splitToWidth(piece, maxWidth, fontSize, bold);
      lines.push(head);
      if (tail) queue.splice(i + 1, 0, tail);
      continue;
    }
    let cut = line.length;
    for (let j = line.length - 1; j > 0; j--) {
      if (BREAK_AFTER.test(line[j - 1]!) && width(line.slice(0, j)) >= maxWidth * 0.25) {
        cut = j;
        break;
      }
    }
    lines.push(line.slice(0, cut).join('').trimEnd());
    line = line.slice(cut);
    i--; // try the piece again on the new line
    if (line.length > 0 && width([...line, piece]) > maxWidth) {
      lines.push(line.join('').trimEnd());
      line = [];
    }
  }
  if (line.length > 0) lines.push(line.join('').trimEnd());
  const truncated = lines.length > maxLines;
  const kept = lines.slice(0, maxLines);
  if (truncated) kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]!} ${lines[maxLines]!}`, maxWidth, fontSize, bold);
  return { lines: kept, truncated, width: Math.max(0, ...kept.map((l) => textWidth(l, fontSize, bold))) };
}

function splitToWidth(word: string, maxWidth: number, fontSize: number, bold: boolean): [string, string] {
  const chars = [...word];
  let n = 1;
  while (n < chars.length && textWidth(chars.slice(0, n + 1).join(''), fontSize, bold) <= maxWidth) n++;
  return [chars.slice(0, n).join(''), chars.slice(n).join('')];
}

/** `text` cut to fit `maxWidth` with a trailing ellipsis. */
export function ellipsize(text: string, maxWidth: number, fontSize: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('').trimEnd()}…`, fontSize, bold) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}
