/**
 * SVG markup as strings, with every text and attribute value escaped: labels come from locale files
 * that the exchange edits, so a label is always text, never markup.
 */

/** Characters XML 1.0 does not allow at all (a stray control character would break the whole document). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes text content and attribute values (both quote kinds, so any attribute quoting is safe). */
export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export type Attrs = Readonly<Record<string, string | number | undefined | false>>;

/** `name="value"` pairs; undefined/false values are left out, numbers rounded to 0.1 px. */
export function attrs(values: Attrs): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== false)
    .map(([name, value]) => ` ${name}="${escapeXml(typeof value === 'number' ? String(round(value)) : value)}"`)
    .join('');
}

/** An element; `children` is markup already built (use {@link text} for text). */
export function el(name: string, values: Attrs, ...children: string[]): string {
  return children.length === 0 ? `<${name}${attrs(values)}/>` : `<${name}${attrs(values)}>${children.join('')}</${name}>`;
}

/** Escaped text content. */
export function text(value: string): string {
  return escapeXml(value);
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A value safe inside an id and a CSS selector: letters, digits, `-` and `_`. */
export function domId(value: string): string {
  return value.replace(/@/g, '--at--').replace(/[^A-Za-z0-9_-]/g, '_');
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** An orthogonal polyline with softly rounded corners. */
export function roundedPath(points: readonly Point[], radius: number): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${round(first.x)} ${round(first.y)}`;
  for (let i = 0; i < rest.length; i++) {
    const p = rest[i]!;
    const prev = i === 0 ? first : rest[i - 1]!;
    const next = rest[i + 1];
    if (!next) {
      d += ` L${round(p.x)} ${round(p.y)}`;
      continue;
    }
    const r = Math.min(radius, dist(prev, p) / 2, dist(p, next) / 2);
    const a = toward(p, prev, r);
    const b = toward(p, next, r);
    d += ` L${round(a.x)} ${round(a.y)} Q${round(p.x)} ${round(p.y)} ${round(b.x)} ${round(b.y)}`;
  }
  return d;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const toward = (from: Point, to: Point, r: number): Point => {
  const d = dist(from, to) || 1;
  return { x: from.x + ((to.x - from.x) * r) / d, y: from.y + ((to.y - from.y) * r) / d };
};
