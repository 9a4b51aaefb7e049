/**
 * Ticket numbers: `TFA-` and 8 Crockford base32 characters (40 random bits). Readable over the
 * phone (no I, L, O, U), and with 2^40 possibilities not guessable by walking numbers.
 */
import { randomBytes } from 'node:crypto';

/** A normalised ticket id such as `TFA-7K3M9Q2P`. */
export type TicketId = string & { readonly __brand: 'TicketId' };

export const TICKET_ID_PREFIX = 'TFA-';

/** Crockford's base32 alphabet: digits and letters without I, L, O, U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const BODY_LENGTH = 8;
const CANONICAL = /^TFA-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/;

/** Creates a new random ticket id. `random` is injectable for tests (must return `n` bytes). */
export function generateTicketId(random: (n: number) => Uint8Array = randomBytes): TicketId {
  const bytes = random(5);
  if (bytes.length < 5) throw new Error('ticket id needs 5 random bytes');
  // 5 bytes = 40 bits = exactly 8 characters of 5 bits: no modulo bias.
  let bits = 0n;
  for (const b of bytes.subarray(0, 5)) bits = (bits << 8n) | BigInt(b);
  let body = '';
  for (let i = BODY_LENGTH - 1; i >= 0; i--) {
    body += CROCKFORD_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  }
  return (TICKET_ID_PREFIX + body) as TicketId;
}

/** True for an id in canonical form (as stored); use {@link parseTicketId} for what people type. */
export function isTicketId(value: unknown): value is TicketId {
  return typeof value === 'string' && CANONICAL.test(value);
}

/**
 * Reads a ticket number as a person may type it and returns the canonical id, or `null`.
 * Case-insensitive; full-width characters accepted; the `TFA` prefix is optional; spaces and
 * hyphens inside are ignored; Crockford's look-alikes are read as meant (O→0, I/L→1). `U` is
 * not part of the alphabet and makes the input invalid.
 */
export function parseTicketId(input: string): TicketId | null {
  let s = input.normalize('NFKC').trim().toUpperCase();
  s = s.replace(/^TFA[\s\-_‐－]*/u, '');
  s = s.replace(/[\s\-‐－]/gu, '');
  if (s.length !== BODY_LENGTH) return null;
  let body = '';
  for (const ch of s) {
    const mapped = ch === 'O' ? '0' : ch === 'I' || ch === 'L' ? '1' : ch;
    if (!CROCKFORD_ALPHABET.includes(mapped)) return null;
    body += mapped;
  }
  return (TICKET_ID_PREFIX + body) as TicketId;
}

/** A ticket id found in free text, with its position (UTF-16 offsets, end exclusive). */
export interface TicketIdMatch {
  readonly start: number;
  readonly end: number;
  readonly id: TicketId;
}

/**
 * Finds ticket numbers written with their `TFA` prefix inside free text ("status of tfa-7k3m9q2p?").
 * Used to answer status questions and to keep redaction from mistaking a number for a code.
 */
export function findTicketIds(text: string): TicketIdMatch[] {
  const out: TicketIdMatch[] = [];
  // ASCII (and full-width) boundaries only: Japanese text runs straight into the id ("番号はTFA-…です").
  const re = /(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])[TtＴｔ][FfＦｆ][AaＡａ][\-‐－ 　]?([0-9A-Za-z０-９Ａ-Ｚａ-ｚ]{8})(?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])/gu;
  for (const m of text.matchAll(re)) {
    const id = parseTicketId(m[0]);
    if (id) out.push({ start: m.index, end: m.index + m[0].length, id });
  }
  return out;
}
