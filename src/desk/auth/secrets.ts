/**
 * The few primitives every desk credential uses: random secrets, their SHA-256 (the only form
 * stored), and comparison that takes the same time whatever the first differing byte.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` random bytes as base64url (32 bytes: 43 characters, 256 bits). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a secret as lower-case hex. A fast hash is enough: the secrets are 256-bit random, not passwords. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (different lengths are unequal, without a timing hint on content). */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  // Comparing digests keeps equal lengths for timingSafeEqual; the string check guards hash collisions.
  return timingSafeEqual(left, right) && a === b;
}
