/**
 * Regions that look like secrets to a naive pattern but are not: ticket numbers and dates.
 * Detectors skip candidates that overlap them, so "TFA-12345678" or "1990-01-02" stay readable.
 */
import { findTicketIds } from '../ticket-id.js';
import type { TextSpan } from './text-spans.js';

const DATE_PATTERNS: readonly RegExp[] = [
  // 1990-01-02, 1990/1/2, 1990.01.02
  /(?<![0-9])((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])/g,
  // 02/01/1990, 2.1.1990 (day or month first: only the year position matters here)
  /(?<![0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]((?:19|20)[0-9]{2})(?![0-9])/g,
  // 1990年1月2日, 2024年 3月
  /(?<![0-9])(?:19|20)[0-9]{2}\s*年\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?/g,
];

/** Ticket ids and calendar dates in `folded` (see foldWidth); same offsets as the original text. */
export function findProtectedSpans(folded: string): TextSpan<'protected'>[] {
  const spans: TextSpan<'protected'>[] = findTicketIds(folded).map((m) => ({
    start: m.start,
    end: m.end,
    kind: 'protected',
  }));
  for (const pattern of DATE_PATTERNS) {
    for (const m of folded.matchAll(pattern)) {
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'protected' });
    }
  }
  return spans;
}

/**
 * {@link findProtectedSpans} of `folded`, worked out on first use and then remembered: detectors
 * need them only to check a candidate, and most texts have no candidate at all.
 */
export function lazySpans(folded: string): () => readonly TextSpan<'protected'>[] {
  let spans: readonly TextSpan<'protected'>[] | undefined;
  return () => (spans ??= findProtectedSpans(folded));
}

/** True for a real calendar date between 1900-01-01 and 2099-12-31. */
export function isPlausibleDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
