import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretWeakness } from '../../src/security/secret-strength.js';

describe('secretWeakness', () => {
  it.each([
    ['one repeated character', 'x'.repeat(40)],
    ['a repeated short pattern', 'abc'.repeat(14)],
    ['a repeated longer pattern', 'Secret-Pass-01!'.repeat(3)],
    ['a run of consecutive characters', 'abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a run downwards', 'zyxwvutsrqponmlkjihgfedcba9876543210'],
    ['few distinct characters', 'aabbccddeeaabbccddeeabcdeabcdeeeddccbbaa'],
  ])('refuses %s', (_name, secret) => {
    expect(secretWeakness(secret)).not.toBeNull();
  });

  it('accepts secrets from openssl rand -base64 32 and -hex 32 (and 16 random bytes as hex), every time', () => {
    // 2,000 draws: at the old bars (10 distinct, 96 bits) one 16-byte hex secret in about 4,000 was refused.
    for (let i = 0; i < 2000; i++) {
      expect(secretWeakness(randomBytes(32).toString('base64'))).toBeNull();
      expect(secretWeakness(randomBytes(32).toString('hex'))).toBeNull();
      expect(secretWeakness(randomBytes(16).toString('hex'))).toBeNull();
    }
  });
});
