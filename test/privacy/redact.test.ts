import { describe, expect, it } from 'vitest';
import { redactSecrets, type SecretKind } from '../../src/privacy/redact.js';
import { ORDINARY_CORPUS } from './ordinary-corpus.js';
import { SECRET_CORPUS } from './secret-corpus.js';

describe('secret corpus: nothing survives redaction', () => {
  it('has at least 40 samples in both languages and every kind', () => {
    expect(SECRET_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(SECRET_CORPUS.some((s) => /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(s.text))).toBe(true);
    expect(new Set(SECRET_CORPUS.map((s) => s.kind))).toEqual(
      new Set<SecretKind>(['otp', 'totp_key', 'otpauth_uri', 'seed_phrase', 'password']),
    );
  });

  it.each(SECRET_CORPUS)('$kind: $text', ({ text, secrets, kind }) => {
    const result = redactSecrets(text);
    for (const secret of secrets) {
      expect(result.text).not.toContain(secret);
      expect(result.text.normalize('NFKC')).not.toContain(secret.normalize('NFKC'));
    }
    expect(result.found).toContain(kind);
    expect(result.text).toContain(`[redacted:${kind}]`);
    // Idempotent: a second pass finds nothing more.
    expect(redactSecrets(result.text)).toEqual({ text: result.text, found: [] });
  });
});

describe('ordinary corpus: left exactly as written', () => {
  it('has at least 40 sentences in both languages', () => {
    expect(ORDINARY_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(ORDINARY_CORPUS.filter((s) => /[ぁ-んァ-ン一-龯]/u.test(s)).length).toBeGreaterThanOrEqual(15);
  });

  it.each(ORDINARY_CORPUS)('%s', (text) => {
    expect(redactSecrets(text)).toEqual({ text, found: [] });
  });
});

describe('one-time codes', () => {
  it.each([
    ['123456', '[redacted:otp]'],
    ['code 1234567 ok', 'code [redacted:otp] ok'],
    ['12345678', '[redacted:otp]'],
    ['123 456', '[redacted:otp]'],
    ['123-456', '[redacted:otp]'],
    ['1 2 3 4 5 6', '[redacted:otp]'],
    ['１２３ ４５６', '[redacted:otp]'],
    ['コード：123456です', 'コード：[redacted:otp]です'],
    ['1990-01-02 123456', '1990-01-02 [redacted:otp]'],
    ['TFA-7K3M9Q2P 654321', 'TFA-7K3M9Q2P [redacted:otp]'],
    ['my UID is 1234567, code 654321', 'my UID is 1234567, code [redacted:otp]'],
    ['code 123456 for order', 'code [redacted:otp] for order'],
  ])('%j → %j', (input, expected) => {
    expect(redactSecrets(input).text).toBe(expected);
  });

  it.each([
    '12345',
    '123456789',
    '1234',
    '1990-01-02',
    '19900102',
    '2023-2024',
    '090-1234-5678',
    '+81 90 1234 5678',
    '(03) 1234-5678',
    'TFA-12345678',
    '0.123456',
    '1,234,567',
    '123456円',
    '1500000 yen',
    '¥123456',
    '$1234567',
    'order-123456',
    'v2.123456',
    'user_123456',
    'abc123456',
    '123456abc',
    '12:345678',
    '99.5%',
    'UID: 12345678',
    'user id 1234567',
    'order no. 123456',
    'ユーザーID 876543',
  ])('leaves %j alone', (input) => {
    expect(redactSecrets(input).text).toBe(input);
  });
});

describe('TOTP setup keys', () => {
  it.each(['JBSWY3DPEHPK3PXP', 'jbswy3dpehpk3pxp', 'JBSW Y3DP EHPK 3PXP', 'jbsw-y3dp-ehpk-3pxp', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'JBSWY3DPEHPK3PXP===='])(
    'redacts %j',
    (key) => {
      expect(redactSecrets(`key ${key} end`).text).toBe('key [redacted:totp_key] end');
    },
  );

  it('keeps the next word of the sentence when it is not written like the key', () => {
    expect(redactSecrets('JBSW Y3DP EHPK 3PXP and more').text).toBe('[redacted:totp_key] and more');
  });

  it.each([
    'internationalization',
    'counterproductiveness',
    'Responsibilities',
    'that with from this have been',
    'THIS THAT WITH FROM',
    'hash 3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be',
    'address bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh',
  ])('leaves %j alone', (text) => {
    expect(redactSecrets(text).text).toBe(text);
  });
});

describe('seed phrases', () => {
  const twelve = 'hurdle foster skin craft box another sea mix cost gorilla barrel bracket';

  it('needs twelve words: eleven are left alone', () => {
    const eleven = twelve.split(' ').slice(0, 11).join(' ');
    expect(redactSecrets(eleven).text).toBe(eleven);
    expect(redactSecrets(twelve).text).toBe('[redacted:seed_phrase]');
  });

  it('keeps the words around the phrase', () => {
    expect(redactSecrets(`my words are ${twelve}. help!`).text).toBe('my words are [redacted:seed_phrase]. help!');
  });

  it('tolerates one typo in twelve but not two', () => {
    const oneTypo = twelve.replace('gorilla', 'gorila');
    expect(redactSecrets(oneTypo).found).toEqual(['seed_phrase']);
    const twoTypos = oneTypo.replace('barrel', 'barel');
    expect(redactSecrets(twoTypos).found).toEqual([]);
  });

  it('leaves long ordinary sentences alone', () => {
    const text = 'please help me because my account keeps asking for a code that never arrives on my phone today';
    expect(redactSecrets(text).text).toBe(text);
  });
});

describe('labelled passwords', () => {
  it.each([
    ['password: hunter2', 'password: [redacted:password]'],
    ['Password：ｈｕｎｔｅｒ２', 'Password：[redacted:password]'],
    ['pw hunter22', 'pw [redacted:password]'],
    ['my password is hunter2.', 'my password is [redacted:password].'],
    ['パスワードは hunter2 です', 'パスワードは [redacted:password] です'],
    ['パスワード「秘密のことば」', 'パスワード「[redacted:password]」'],
  ])('%j → %j', (input, expected) => {
    expect(redactSecrets(input).text).toBe(expected);
  });

  it.each([
    'my password is wrong',
    'password is not accepted',
    'pw reset',
    'password reset link',
    'I use a password manager',
    'パスワードを再設定しました',
    'パスワードはOKです',
  ])('leaves %j alone', (text) => {
    expect(redactSecrets(text).text).toBe(text);
  });
});

describe('otpauth URIs', () => {
  it('removes the whole URI, including the secret and the account name', () => {
    const result = redactSecrets('see otpauth://totp/ACME:taro@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME ok');
    expect(result).toEqual({ text: 'see [redacted:otpauth_uri] ok', found: ['otpauth_uri'] });
  });
});
