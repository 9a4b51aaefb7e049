/**
 * Reading a date of birth as people write it (ISO, 年月日, Japanese eras, English month names,
 * day/month/year when only one reading is possible) into a checked calendar date.
 */

const nfkcTrim = (s: string): string => s.normalize('NFKC').trim();

/** English month names, written out or as their usual abbreviations ("Jan", "Sept"). */
const MONTHS: ReadonlyMap<string, number> = new Map(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap(
    (name, i) => [[name, i + 1] as const, [name.slice(0, 3), i + 1] as const, ...(name === 'september' ? [['sept', 9] as const] : [])],
  ),
);

/** "jan", "January", "Sept." → 1–12; anything else → NaN (then no calendar date). */
function monthNumber(name: string): number {
  return MONTHS.get(name.toLowerCase().replace(/\.$/u, '')) ?? Number.NaN;
}

/**
 * Japanese eras, from their first day. `元年` is year 1. A date is read in an era only if it
 * falls inside it (平成1年1月1日 is still 昭和).
 */
const ERAS: readonly { readonly names: readonly string[]; readonly start: string; readonly offset: number }[] = [
  { names: ['令和', 'R'], start: '2019-05-01', offset: 2018 },
  { names: ['平成', 'H'], start: '1989-01-08', offset: 1988 },
  { names: ['昭和', 'S'], start: '1926-12-25', offset: 1925 },
  { names: ['大正', 'T'], start: '1912-07-30', offset: 1911 },
];

/** Year, month (1–12) and day of a calendar date. */
export type Ymd = { y: number; m: number; d: number };

/**
 * The ways a date of birth is written that read one way only. Each returns year, month, day (not
 * yet checked as a calendar date), or null. A numeric day/month pair that could be either way
 * round ("01/02/1990") is not guessed: it is refused, and the message shows unambiguous forms.
 */
const DATE_FORMATS: readonly ((s: string) => Ymd | null)[] = [
  // 1990-01-31, 1990/1/31, 1990.01.31
  (s) => ymd(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/u.exec(s), 1, 2, 3),
  // 19900131: eight digits, year first, a common Japanese way to write a date of birth
  (s) => ymd(/^(\d{4})(\d{2})(\d{2})$/u.exec(s), 1, 2, 3),
  // 1990年1月31日
  (s) => ymd(/^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日?$/u.exec(s), 1, 2, 3),
  // 31/01/1990 or 01/31/1990: only when the day is over 12 (or both parts are equal)
  (s) => {
    const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/u.exec(s);
    if (!m) return null;
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (a > 12 && b <= 12) return { y, m: b, d: a };
    if (b > 12 && a <= 12) return { y, m: a, d: b };
    return a === b ? { y, m: a, d: a } : null;
  },
  // January 31, 1990 / Jan. 31 1990
  (s) => {
    const m = /^([A-Za-z]{3,9}\.?)\s*(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/u.exec(s);
    return m ? { y: Number(m[3]), m: monthNumber(m[1]!), d: Number(m[2]) } : null;
  },
  // 31 January 1990 / 31st Jan, 1990
  (s) => {
    const m = /^(\d{1,2})(?:st|nd|rd|th)?\s*([A-Za-z]{3,9}\.?),?\s+(\d{4})$/u.exec(s);
    return m ? { y: Number(m[3]), m: monthNumber(m[2]!), d: Number(m[1]) } : null;
  },
  // 平成2年1月31日, 昭和元年12月31日, H2.1.31
  (s) => {
    const m = /^(令和|平成|昭和|大正|[RHST])\s*(\d{1,2}|元)\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?$/iu.exec(s);
    const era = m && ERAS.find((e) => e.names.includes(m[1]!.toUpperCase()));
    if (!m || !era) return null;
    const date = { y: era.offset + (m[2] === '元' ? 1 : Number(m[2])), m: Number(m[3]), d: Number(m[4]) };
    const next = ERAS[ERAS.indexOf(era) - 1];
    const iso = `${date.y}-${pad2(date.m)}-${pad2(date.d)}`;
    return iso >= era.start && (!next || iso < next.start) ? date : null;
  },
];

/**
 * Whether a date is written day/month/year or month/day/year with both first parts 12 or less and
 * different ("01/02/1990"), so it is a real date either way round and only the customer knows
 * which: the message says it is ambiguous rather than unreal.
 */
export function isAmbiguousDayMonth(input: string): boolean {
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/u.exec(nfkcTrim(input));
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a >= 1 && b >= 1 && a <= 12 && b <= 12 && a !== b;
}

function ymd(m: RegExpExecArray | null, y: number, mo: number, d: number): Ymd | null {
  return m ? { y: Number(m[y]), m: Number(m[mo]), d: Number(m[d]) } : null;
}

/**
 * Reads a date of birth as people write it, into a checked calendar date: `YYYY-MM-DD` (also `/`
 * or `.`), `1990年1月2日`, Japanese eras (`平成2年1月2日`), English month names (`January 2,
 * 1990`, `2 Jan 1990`) and day/month/year when only one reading is possible (`31/01/1990`).
 */
export function parseCalendarDate(input: string): Ymd | null {
  const s = nfkcTrim(input);
  for (const format of DATE_FORMATS) {
    const date = format(s);
    if (!date) continue;
    const { y, m, d } = date;
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
      return null;
    }
    return { y, m, d };
  }
  return null;
}

/** Two digits, zero-padded: month and day in ISO dates. */
export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
