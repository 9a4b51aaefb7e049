/**
 * Times and durations as the console writes them, in the agent's language and time zone. desk.js
 * tells the server the browser's zone (cookie `desk_tz`); until then times are in the server's.
 */
import type { Language, Translate } from '../../i18n/i18n.js';

/** Channel ids the console names (`desk:channelName.*`); the filter offers them. */
export const KNOWN_CHANNELS = ['local-webchat', 'webchat', 'directline', 'msteams', 'emulator'] as const;

/** A channel's name for agents ("Web chat (this site)"), or its id when it is not a known one. */
export function channelName(t: Translate, channelId: string): string {
  return (KNOWN_CHANNELS as readonly string[]).includes(channelId) ? t(`desk:channelName.${channelId}`) : channelId;
}

const LOCALE: Readonly<Record<Language, string>> = { ja: 'ja-JP', en: 'en-GB' };

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Language, timeZone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${withYear}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE[lang], {
      ...(withYear ? { year: 'numeric' } : {}),
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    formats.set(key, f);
  }
  return f;
}

/** `11月30日 19:20` / `30 Nov, 19:20`; the year only when it is not this year. */
export function formatDateTime(iso: string, lang: Language, timeZone: string, now: Date): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const sameYear = at.getUTCFullYear() === now.getUTCFullYear();
  return formatter(lang, timeZone, !sameYear).format(at);
}

/** `2日 4時間` / `2 d 4 h`, `3時間20分` / `3 h 20 min`, `5分` / `5 min`. */
export function formatDuration(minutes: number, lang: Language): string {
  const m = Math.max(0, Math.round(minutes));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const mins = m % 60;
  const ja = lang === 'ja';
  if (days > 0) return ja ? `${days}日${hours > 0 ? ` ${hours}時間` : ''}` : `${days} d${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return ja ? `${hours}時間${mins > 0 ? `${mins}分` : ''}` : `${hours} h${mins > 0 ? ` ${mins} min` : ''}`;
  return ja ? `${mins}分` : `${mins} min`;
}

/** The zone times are written in: a valid IANA zone the browser sent, else the server's. */
export function pickTimeZone(sent: string | null): string {
  if (sent) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: sent });
      return sent;
    } catch {
      // not a zone this runtime knows: fall back to the server's
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `YYYY-MM-DD` of an ISO time in `timeZone` (what a date input shows). */
export function dateInputValue(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(at);
}

/**
 * The start of a day (`YYYY-MM-DD`) in `timeZone`, as an ISO time with its offset; `addDays` moves
 * it (an inclusive "until" date is the next day's start). Null for anything but a real date.
 */
export function startOfDay(date: string, timeZone: string, addDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  if (Number.isNaN(utc) || new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) !== date) return null;
  // The zone's offset at that moment (twice: the first guess may sit across a DST change).
  let instant = utc;
  for (let i = 0; i < 2; i++) instant = utc - offsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}

function offsetMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
}
