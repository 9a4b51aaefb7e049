/**
 * Secret redaction: whatever a customer sends that looks like a 2FA or account secret is replaced by
 * a marker such as `[redacted:otp]` before it reaches state, tickets, transcripts or logs.
 * Pure; never logs. Errs toward redacting: a lost digit in a support note costs little, a stored
 * setup key could cost an account.
 */
import { findOneTimeCodes } from './one-time-codes.js';
import { findLabelledPasswords } from './password-labels.js';
import { lazySpans } from './protected-spans.js';
import { findSeedPhrases } from './seed-phrase.js';
import { foldForDetection, replaceSpans, type TextSpan } from './text-spans.js';
import { findTotpKeys } from './totp-keys.js';

export const SECRET_KINDS = ['otpauth_uri', 'password', 'seed_phrase', 'totp_key', 'otp'] as const;

/** Kinds of secret, as they appear in markers: `[redacted:<kind>]`. */
export type SecretKind = (typeof SECRET_KINDS)[number];

export interface RedactionResult {
  readonly text: string;
  /** Kinds found, each once, in detection order. Never the values. */
  readonly found: SecretKind[];
}

/** The marker that replaces a secret of `kind`. */
export function redactionMarker(kind: SecretKind): string {
  return `[redacted:${kind}]`;
}

/** Every marker {@link redactSecrets} leaves, with the kind as group 1 (global: use with matchAll or replace). */
export const REDACTION_MARKERS = new RegExp(`\\[redacted:(${SECRET_KINDS.join('|')})\\]`, 'g');

/**
 * The secret kinds whose markers stand in `text`, each once, in order of appearance. A replayed
 * transcript holds markers where the customer's secrets were: the turn must warn the customer
 * just as the recorded one did, although there is nothing left to redact.
 */
export function redactionMarkerKinds(text: string): SecretKind[] {
  const kinds: SecretKind[] = [];
  for (const m of text.matchAll(REDACTION_MARKERS)) {
    const kind = m[1] as SecretKind;
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

const OTPAUTH_URI = /otpauth(?:-migration)?:\/\/[^\s<>"'「」『』）)]+/giu;

function findOtpauthUris(folded: string): TextSpan<'otpauth_uri'>[] {
  return [...folded.matchAll(OTPAUTH_URI)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    kind: 'otpauth_uri',
  }));
}

/**
 * Detectors in priority order. Each runs on the text left by the previous ones, so a password
 * that happens to be six digits is reported once, as a password, and a seed phrase made of
 * four-letter words is not taken apart as a setup key.
 */
const DETECTORS: readonly ((folded: string, protectedSpans: () => readonly TextSpan[]) => TextSpan<SecretKind>[])[] = [
  (f) => findOtpauthUris(f),
  (f) => findLabelledPasswords(f),
  (f) => findSeedPhrases(f),
  (f, p) => findTotpKeys(f, p),
  (f, p) => findOneTimeCodes(f, p),
];

/**
 * Replaces one-time codes, TOTP setup keys, `otpauth://` URIs, seed phrases and labelled passwords
 * with markers. Everything else, including full-width text, is returned exactly as given.
 * Idempotent: redacting the result again changes nothing.
 */
export function redactSecrets(text: string): RedactionResult {
  let current = text;
  const found: SecretKind[] = [];
  // Folding depends only on the text: worked out again only after a detector replaced something
  // (most texts contain no secret, and then once instead of once per detector). Protected spans
  // are found only when a detector has a candidate to check against them: most texts have none.
  let folded = foldForDetection(current);
  let protectedSpans = lazySpans(folded.text);
  for (const detect of DETECTORS) {
    const spans = detect(folded.text, protectedSpans);
    if (spans.length === 0) continue;
    for (const span of spans) if (!found.includes(span.kind)) found.push(span.kind);
    const back = folded.original;
    const inOriginal = spans.map((s) => ({ start: back(s.start), end: back(s.end), kind: s.kind }));
    current = replaceSpans(current, inOriginal, (span) => redactionMarker(span.kind));
    folded = foldForDetection(current);
    protectedSpans = lazySpans(folded.text);
  }
  return { text: current, found };
}
