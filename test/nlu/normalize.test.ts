import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, normalize, toHiragana } from '../../src/nlu/normalize.js';

describe('normalize', () => {
  it.each([
    ['ＳＭＳ', 'sms'],
    ['ｓｍｓ', 'sms'],
    ['SMS', 'sms'],
    ['２段階認証', '2段階認証'],
    ['二段階認証', '2段階認証'],
    ['６桁のコード', '6桁のこうど'],
  ])('folds width and case: %s → %s', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('unifies katakana, hiragana and half-width katakana', () => {
    expect(normalize('アプリ')).toBe('あぷり');
    expect(normalize('あぷり')).toBe('あぷり');
    expect(normalize('ｱﾌﾟﾘ')).toBe('あぷり');
    expect(toHiragana('オーセンティケーター')).toBe('おーせんてぃけーたー');
  });

  it('reads casual long vowels and stretched letters as the plain word', () => {
    expect(normalize('どーも')).toBe(normalize('どうも'));
    expect(normalize('おはよー')).toBe(normalize('おはよう'));
    expect(normalize('ありがとーーー')).toBe(normalize('ありがとう'));
    expect(normalize('heyyy')).toBe('hey');
    expect(normalize('hellooo')).toBe('hello');
  });

  it('drops emoji, punctuation and symbols without gluing words together', () => {
    expect(normalize('SMS届かない😭😭！！')).toBe('sms届かない');
    expect(normalize('help!!! 🙏 my phone...')).toBe('help my phone');
    expect(normalize('「アプリ」、消した。')).toBe('あぷり 消した');
    expect(normalize("didn't get it")).toBe('didnt get it');
    expect(normalize('didn’t')).toBe('didnt');
  });

  it('turns control characters and odd whitespace into single spaces', () => {
    expect(normalize('sms\u0000\u0007not\r\n\t arriving\u200b')).toBe('sms not arriving');
    expect(normalize('\u3000全角\u3000スペース\u3000')).toBe('全角 すぺーす');
  });

  it('returns an empty string for empty, symbol-only or non-string input', () => {
    expect(normalize('')).toBe('');
    expect(normalize('？？？')).toBe('');
    expect(normalize('😀🎉')).toBe('');
    expect(normalize(undefined as unknown as string)).toBe('');
  });

  it('caps very long input', () => {
    const out = normalize('あ'.repeat(100_000));
    expect(out.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
    expect(out.length).toBeGreaterThan(0);
  });

  it('does not throw on a lone surrogate left by the cap', () => {
    const text = 'a'.repeat(MAX_INPUT_LENGTH - 1) + '😀';
    expect(() => normalize(text)).not.toThrow();
  });
});
