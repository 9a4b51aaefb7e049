import { beforeAll, describe, expect, it } from 'vitest';
import { classify, CONFIDENT, getClassifier, INTENTS, RANKING_SIZE } from '../../src/nlu/index.js';

// Train once up front, so that the timed tests below time classification, not training.
beforeAll(() => {
  getClassifier();
});

describe('classify', () => {
  it.each([
    ['認証アプリ消しちゃった', 'app_deleted'],
    ['my phone was stolen', 'phone_lost'],
    ['ｓｍｓ届かないんだけど😭', 'sms_not_received'],
    ['SMS届かないんだけど', 'sms_not_received'],
    ['i didnt recieve the sms', 'sms_not_received'],
    ['I deleted google authentcator', 'app_deleted'],
    ['電話かかってこーへん', 'call_not_received'],
    ['コード入れてもエラーになる', 'code_rejected'],
    ['ログイン制限かかった', 'lockout'],
    ['オペレーターと話したい', 'human_agent'],
    ['問い合わせの返事がまだ来ない', 'ticket_status'],
    ['ビットコインの価格は？', 'out_of_scope'],
    ['how much is the withdrawal fee', 'out_of_scope'],
    ['QRコードのスクショって安全？', 'backup'],
    ['which 2fa method should i use', 'methods_overview'],
  ] as const)('%s → %s with confidence', (text, intent) => {
    const c = classify(text);
    expect(c.intent).toBe(intent);
    expect(c.confidence).toBeGreaterThanOrEqual(CONFIDENT);
  });

  it('returns a well-formed result', () => {
    const c = classify('SMSが届きません');
    expect(INTENTS).toContain(c.intent);
    expect(c.ranking.length).toBeLessThanOrEqual(RANKING_SIZE);
    expect(c.ranking[0]).toEqual({ intent: c.intent, confidence: c.confidence });
    for (let i = 1; i < c.ranking.length; i++) {
      expect(c.ranking[i]!.confidence).toBeLessThanOrEqual(c.ranking[i - 1]!.confidence);
    }
    const sum = c.ranking.reduce((s, r) => s + r.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1.0001);
    expect(c.confidence).toBeGreaterThan(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
  });

  it('is deterministic', () => {
    expect(classify('アプリから電話に変更したい')).toEqual(classify('アプリから電話に変更したい'));
  });
});

describe('low confidence where the text does not say', () => {
  it.each(['asdfgh', 'qwerty uiop zxcv', '？？？', '...', 'ほげほげ', 'あああああ', '😀😀😀', 'lorem ipsum dolor sit amet', '12345'])(
    'gibberish: %j',
    (text) => {
      expect(classify(text).confidence).toBeLessThan(CONFIDENT);
    },
  );

  it.each(['sms', 'アプリ', '2段階認証', 'code', 'phone', 'スマホ', 'help', 'ログインできない', '問い合わせ', 'はい', 'ok'])(
    'ambiguous: %j',
    (text) => {
      const c = classify(text);
      expect(c.confidence).toBeLessThan(CONFIDENT);
      expect(c.ranking.length).toBeGreaterThanOrEqual(2);
    },
  );

  it('offers the plausible topics for an ambiguous word', () => {
    const topics = classify('SMS').ranking.map((r) => r.intent);
    expect(topics).toContain('sms_not_received');
    expect(topics).toContain('change_method');
    const phone = classify('スマホ').ranking.map((r) => r.intent);
    expect(phone.slice(0, 2).sort()).toEqual(['phone_lost', 'phone_replacement']);
  });
});

describe('robustness', () => {
  it('handles empty input without throwing', () => {
    const c = classify('');
    expect(c).toMatchObject({ intent: 'out_of_scope', confidence: 0, slots: {} });
    expect(['ja', 'en']).toContain(c.locale);
  });

  it('tolerates non-string input from a loose caller', () => {
    expect(() => classify(undefined as unknown as string)).not.toThrow();
    expect(classify(null as unknown as string).confidence).toBe(0);
  });

  it('classifies a very long message by its beginning', () => {
    const c = classify('SMSが届きません。'.repeat(2_000));
    expect(c.intent).toBe('sms_not_received');
  });

  it('returns quickly on hostile input', () => {
    const hostile = [
      'x'.repeat(100_000),
      '\u0000\u0001\u0002\u001b[31m'.repeat(20_000),
      '😀'.repeat(50_000),
      'ａ'.repeat(100_000),
      'a '.repeat(50_000),
      '\ud800'.repeat(100_000),
      'あいうえお'.repeat(20_000),
      'abcdefghij'.repeat(10_000),
    ];
    for (const text of hostile) {
      const start = performance.now();
      const c = classify(text);
      expect(performance.now() - start).toBeLessThan(50);
      expect(INTENTS).toContain(c.intent);
    }
  });

  it('stays fast on a stream of unseen misspelt words (spelling cache is bounded)', () => {
    const start = performance.now();
    for (let i = 0; i < 2_000; i++) classify(`authenticatr${i.toString(36)} recieveq${i}`);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});
