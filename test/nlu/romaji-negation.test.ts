import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/nlu/normalize.js';
import { withoutNegatedMentions } from '../../src/nlu/negation.js';
import { readRomaji } from '../../src/nlu/romaji.js';
import { classify } from '../../src/nlu/index.js';

const english = new Set(['sms', 'my', 'name', 'is', 'what', 'i', 'need', 'help']);
const isEnglish = (w: string): boolean => english.has(w);

describe('romaji Japanese', () => {
  it.each([
    ['sms ga konai', 'sms が こない'],
    ['ninsyou apuri wo sakujo shita', 'にんしょう あぷり を さくじょ した'],
    ['ko-do ga machigatte iru', 'こーど が まちがって いる'],
    ['hai', 'はい'],
    ['iie', 'いいえ'],
  ])('%j reads as %j', (text, kana) => {
    expect(readRomaji(text, isEnglish)).toBe(kana);
  });

  it.each(['what is 117', 'my name is taro', 'i need help', 'blorp quux zxcv bl', 'スマホ', ''])('%j is not romaji', (text) => {
    expect(readRomaji(text, isEnglish)).toBeUndefined();
  });

  it('leaves a word of thousands of letters alone instead of overflowing the stack', () => {
    expect(readRomaji('ka'.repeat(5_000), isEnglish)).toBeUndefined();
    const long = 'a'.repeat(20_000);
    expect(readRomaji(`sms ga konai kyou mo ${long}`, isEnglish) === `sms が こない きょう も ${long}`).toBe(true);
  });

  it('is classified as Japanese, in a conversation of either language', () => {
    for (const locale of ['ja', 'en'] as const) {
      const c = classify('sms ga konai', { locale });
      expect(c.intent).toBe('sms_not_received');
      expect(c.locale).toBe('ja');
    }
  });
});

describe('negated mentions', () => {
  it.each([
    ['認証アプリは削除してないし機種変更もしてないのに、コードがエラーになる', '削除', '機種変更'],
    ['バックアップしないでアプリ消しちゃいました', 'ばっくあっぷ', undefined],
    ["it's not a new phone, I only removed the authenticator", 'new phone', undefined],
    ["i didn't delete the app and didn't change phones, the codes just fail", 'delete', 'change'],
    ['機種変じゃなくてスマホなくした', '機種変', undefined],
  ])('%j loses its negated mentions', (text, gone, alsoGone) => {
    const read = withoutNegatedMentions(normalize(text));
    expect(read).not.toContain(gone);
    if (alsoGone) expect(read).not.toContain(alsoGone);
  });

  it.each(['not getting the sms', 'SMSが届かない', '変更できない', 'the call never comes'])('a symptom stated with a negation stays: %j', (text) => {
    expect(withoutNegatedMentions(normalize(text))).toBe(normalize(text));
  });

  it.each([
    ['認証アプリは削除してないし機種変更もしてないのに、コードがエラーになる', 'code_rejected'],
    ['バックアップしないでアプリ消しちゃいました', 'app_deleted'],
    ["it's not a new phone, I only removed the authenticator", 'app_deleted'],
  ] as const)('%j is classified as %s', (text, intent) => {
    expect(classify(text).intent).toBe(intent);
  });
});

describe('nothing recognised', () => {
  it.each(['zzzz', 'qwerty zxcv', 'ぴよぴよ'])('%j is out of scope, unsure', (text) => {
    const c = classify(text);
    expect(c.intent).toBe('out_of_scope');
    expect(c.confidence).toBeLessThan(0.6);
  });
});
