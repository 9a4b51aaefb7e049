import { describe, expect, it } from 'vitest';
import { classify, detectLocale } from '../../src/nlu/index.js';

describe('detectLocale', () => {
  it.each([
    ['SMSが届かない', 'ja'],
    ['あぷり消した', 'ja'],
    ['ログイン', 'ja'],
    ['認証', 'ja'],
    ['ｱﾌﾟﾘ', 'ja'],
    ['my phone was stolen', 'en'],
    ['ＳＭＳ ｎｏｔ ａｒｒｉｖｉｎｇ', 'en'],
    ['sms', 'en'],
  ] as const)('%s → %s', (text, expected) => {
    expect(detectLocale(text)).toBe(expected);
  });

  it.each(['', '123456', '？？？', '😀', 'a', '!!!'])('is undefined when the text does not tell: %j', (text) => {
    expect(detectLocale(text)).toBeUndefined();
  });
});

describe('classify locale', () => {
  it('follows the script of the text over the conversation language', () => {
    expect(classify('スマホなくした', { locale: 'en' }).locale).toBe('ja');
    expect(classify('i lost my phone', { locale: 'ja' }).locale).toBe('en');
  });

  it('keeps the conversation language for a lone Latin word or text without letters', () => {
    expect(classify('SMS', { locale: 'ja' }).locale).toBe('ja');
    expect(classify('123456', { locale: 'en' }).locale).toBe('en');
    expect(classify('👍', { locale: 'ja' }).locale).toBe('ja');
  });
});
