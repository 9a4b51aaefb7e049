/**
 * Plain-text building blocks for the desk's remote commands (tickets, audit): tables, times,
 * durations and shell quoting. Every string that came from the server passes through
 * {@link printable} first: claims, notes and transcripts are typed by customers and must not move
 * the cursor, clear the screen or recolour the terminal of the agent reading them.
 */

/** Control characters (and tabs, which break the columns) shown as `\x1b`-style escapes. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Like {@link printable} but keeps line breaks (for multi-line text such as descriptions), indenting the lines after the first. */
export function printableLines(text: string, indent: string): string {
  return text
    .split(/\r\n|\n|\r/)
    .map(printable)
    .join(`\n${indent}`);
}

/** Columns padded to the widest cell; the last column is not padded. Cells are made printable. */
export function table(rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map(printable));
  const widths = safe[0]!.map((_, i) => Math.max(...safe.map((row) => width(row[i] ?? ''))));
  return `${safe.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell)))).join('  ').trimEnd()).join('\n')}\n`;
}

/** Terminal columns of a string: CJK and full-width characters take two. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return n;
}

/** `2026-11-30 09:53Z` (UTC: the same for every agent, whatever their machine's zone). */
export function shortTime(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '-';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return printable(iso);
  return `${t.toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ')}Z`;
}

/** 0.4 → `24m`, 5.2 → `5h`, 50 → `2d 2h`. */
export function waitingTime(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)}m`;
  if (hours < 48) return `${Math.floor(hours)}h`;
  const days = Math.floor(hours / 24);
  return `${days}d ${Math.floor(hours - days * 24)}h`;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--since`/`--until`: a time back from now (`30m`, `24h`, `7d`, `2w`) or an ISO date or time
 * (`2026-11-01`, `2026-11-01T09:00:00+09:00`); the ISO UTC instant, or null when it is neither.
 */
export function parseTimeOption(value: string, now: Date): string | null {
  const relative = /^(\d{1,6})([mhdw])$/.exec(value.trim());
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]!]!).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) return null;
  const t = new Date(value.trim());
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** A word for a shell command line: as is when safe, single-quoted otherwise. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
