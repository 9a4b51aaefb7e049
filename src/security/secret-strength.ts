/**
 * A rough strength check for shared secrets set by hand (DIRECTLINE_SECRET). It cannot prove a
 * secret random; it refuses the obviously guessable: one repeated character, a short pattern
 * repeated ("abcabc…"), a run of consecutive characters ("abcdef…", "123456…"), or too few
 * distinct characters. A secret from `openssl rand -base64 32` or `-hex 32` passes easily.
 */

/**
 * Estimated bits a secret must carry (character frequencies × length). 32 random hex digits give
 * about 118 on average but as little as 85 (1 draw in 300,000), so the bar sits below that: a
 * random secret must never be refused at start-up (96 refused one draw in 7,000).
 */
export const MIN_SECRET_BITS = 80;
/**
 * Distinct characters a secret must use. 32 random hex digits use about 14, and fewer than 10 one
 * time in 9,000, so the bar is 8 (never seen below in 300,000 draws).
 */
export const MIN_DISTINCT_CHARACTERS = 8;

/** Why the secret looks weak, or null when it passes. */
export function secretWeakness(secret: string): string | null {
  const chars = [...secret];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < MIN_DISTINCT_CHARACTERS) return `uses fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters`;
  if (repeatsShortPattern(chars)) return 'repeats a short pattern';
  if (mostlyConsecutive(chars)) return 'is mostly a run of consecutive characters';
  if (estimatedBits(chars, counts) < MIN_SECRET_BITS) return `is too predictable (under ${MIN_SECRET_BITS} bits by character frequency)`;
  return null;
}

/** Shannon entropy of the character frequencies, times the length. */
function estimatedBits(chars: readonly string[], counts: ReadonlyMap<string, number>): number {
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * chars.length;
}

/** True when the secret is a unit of at most half its length, repeated (the last copy may be cut). */
function repeatsShortPattern(chars: readonly string[]): boolean {
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((c, i) => i < period || c === chars[i - period])) return true;
  }
  return false;
}

/** True when more than half of neighbouring pairs step by one code point ("abcd", "4321"). */
function mostlyConsecutive(chars: readonly string[]): boolean {
  let steps = 0;
  for (let i = 1; i < chars.length; i++) {
    if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) === 1) steps++;
  }
  return steps * 2 > chars.length - 1;
}
