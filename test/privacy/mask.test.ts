import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../src/privacy/mask.js';

describe('maskPersonalData: e-mail addresses', () => {
  it.each([
    ['taro@example.com', 't***@e***.com'],
    ['mail me at Taro.Yamada+2fa@mail.example.co.jp, thanks', 'mail me at T***@m***.jp, thanks'],
    ['連絡先はtaro@example.comです', '連絡先はt***@e***.comです'],
    ['ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ', 't***@e***.com'],
  ])('%j → %j', (input, expected) => {
    expect(maskPersonalData(input)).toEqual({ text: expected, masked: ['email'] });
  });
});

describe('maskPersonalData: phone numbers', () => {
  it.each([
    ['090-1234-5678', '***-****-5678'],
    ['09012345678', '***-****-5678'],
    ['090 1234 5678', '***-****-5678'],
    ['+81 90 1234 5678', '***-****-5678'],
    ['+81-90-1234-5678', '***-****-5678'],
    ['+819012345678', '***-****-5678'],
    ['03-1234-5678', '***-****-5678'],
    ['(03) 1234-5678', '***-****-5678'],
    ['+1 415 555 0123', '***-****-0123'],
    ['+44 20 7946 0958', '***-****-0958'],
    ['415-555-0123', '***-****-0123'],
    ['０９０－１２３４－５６７８', '***-****-5678'],
    ['電話は090-1234-5678です', '電話は***-****-5678です'],
    ['12345678901', '***-****-8901'],
  ])('%j → %j', (input, expected) => {
    expect(maskPersonalData(input)).toEqual({ text: expected, masked: ['phone'] });
  });

  it('masks several numbers and e-mails in one text', () => {
    expect(maskPersonalData('a@b.io or 090-1111-2222 / +81 80 3333 4444').text).toBe(
      'a***@b***.io or ***-****-2222 / ***-****-4444',
    );
  });
});

describe('maskPersonalData: leaves other numbers alone', () => {
  it.each([
    'born 1990-01-02',
    'TFA-12345678',
    'amount 1,234,567,890 yen',
    '1234567890',
    'last four 5678',
    '0.00123456 BTC',
    'version 1.2.3.4',
    '2024/03/15 10:30',
    '[redacted:otp]',
    't***@e***.com and ***-****-5678',
  ])('%j', (text) => {
    expect(maskPersonalData(text)).toEqual({ text, masked: [] });
  });
});
