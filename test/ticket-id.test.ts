import { describe, expect, it } from 'vitest';
import {
  CROCKFORD_ALPHABET,
  findTicketIds,
  generateTicketId,
  isTicketId,
  parseTicketId,
} from '../src/ticket-id.js';

describe('generateTicketId', () => {
  it('is TFA- plus 8 Crockford base32 characters', () => {
    for (let i = 0; i < 500; i++) {
      const id = generateTicketId();
      expect(id).toMatch(/^TFA-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
      expect(isTicketId(id)).toBe(true);
    }
  });

  it('does not repeat over 20,000 ids (40 random bits)', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => generateTicketId()));
    expect(ids.size).toBe(20_000);
  });

  it('uses every character of the alphabet and never I, L, O or U', () => {
    const seen = new Set(Array.from({ length: 2_000 }, () => generateTicketId().slice(4)).join(''));
    expect([...seen].sort().join('')).toBe([...CROCKFORD_ALPHABET].sort().join(''));
  });

  it('encodes the random bytes exactly (5 bytes → 8 characters)', () => {
    expect(generateTicketId(() => new Uint8Array([0, 0, 0, 0, 0]))).toBe('TFA-00000000');
    expect(generateTicketId(() => new Uint8Array([255, 255, 255, 255, 255]))).toBe('TFA-ZZZZZZZZ');
    expect(generateTicketId(() => new Uint8Array([0x08, 0x42, 0x10, 0x84, 0x21]))).toBe('TFA-11111111');
  });
});

describe('parseTicketId', () => {
  it.each([
    ['TFA-7K3M9Q2P', 'TFA-7K3M9Q2P'],
    ['tfa-7k3m9q2p', 'TFA-7K3M9Q2P'],
    ['  TFA 7K3M 9Q2P ', 'TFA-7K3M9Q2P'],
    ['TFA7K3M9Q2P', 'TFA-7K3M9Q2P'],
    ['7k3m-9q2p', 'TFA-7K3M9Q2P'],
    ['ＴＦＡ－７Ｋ３Ｍ９Ｑ２Ｐ', 'TFA-7K3M9Q2P'],
    ['TFA-O0II-LL11', 'TFA-00111111'],
    ['tfa-oill0000', 'TFA-01110000'],
  ])('%j → %s', (input, expected) => {
    expect(parseTicketId(input)).toBe(expected);
  });

  it.each(['', 'TFA-', 'TFA-7K3M9Q2', 'TFA-7K3M9Q2PX', 'TFA-7K3M9Q2U', 'TFA-7K3M9Q2!', 'XYZ-7K3M9Q2P', 'チケット'])(
    'rejects %j',
    (input) => {
      expect(parseTicketId(input)).toBeNull();
    },
  );

  it('round-trips every generated id', () => {
    for (let i = 0; i < 200; i++) {
      const id = generateTicketId();
      expect(parseTicketId(id.toLowerCase())).toBe(id);
    }
  });
});

describe('findTicketIds', () => {
  it('finds ids with their prefix inside sentences in both languages', () => {
    const text = 'status of tfa-7k3m9q2p please / チケット番号はTFA-ABCD2345です';
    expect(findTicketIds(text).map((m) => m.id)).toEqual(['TFA-7K3M9Q2P', 'TFA-ABCD2345']);
    const [first] = findTicketIds(text);
    expect(text.slice(first?.start, first?.end)).toBe('tfa-7k3m9q2p');
  });

  it('ignores words that merely contain the letters', () => {
    expect(findTicketIds('NOTFA-12345678 and TFA-1234 and TFA-123456789')).toEqual([]);
  });
});
