/**
 * The checks the conversation tests rely on must catch what they claim to catch: a raw locale
 * key, an unfilled placeholder, Japanese in English, English in Japanese, wrong buttons.
 * Without this, a check that never fires would make every path test pass for nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalizer, type Localizer } from '../../src/i18n/i18n.js';
import { LOCALES_DIR } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { SeenReply } from '../helpers/bot-harness.js';
import { looksLikeRawKey, questionProblems, replyProblems } from '../helpers/reply-checks.js';

const reply = (text: string, buttons: string[] = [], values: unknown[] = []): SeenReply => ({ text, buttons, values, activity: { text } });

let localizer: Localizer;
beforeAll(() => {
  localizer = createLocalizer(LOCALES_DIR, loadConfig({ LOG_LEVEL: 'silent' }).brand);
});

describe('reply checks', () => {
  it.each([
    'smsNotReceived.airplaneMode.prompt',
    'troubleshooting:smsNotReceived.airplaneMode.prompt',
    'options:sms.label',
    'sms.label',
    'Please wait {{hours}} hours',
    'Check codeRejected.otherService.prompt now',
  ])('flags the raw key %j', (text) => {
    expect(looksLikeRawKey(text)).toBe(true);
    expect(replyProblems([reply(text)], 'en').length).toBeGreaterThan(0);
  });

  it('a missing key really comes back as a raw key from the localizer (what the checks look for)', () => {
    const t = localizer.forLanguage('en');
    expect(looksLikeRawKey(t('troubleshooting:noSuchStep.prompt'))).toBe(true);
    expect(looksLikeRawKey(t('options:noSuchOption.label'))).toBe(true);
  });

  it.each(['Visit https://support.coin.z.com/hc/ja for help.', 'e.g. taro@example.com', 'Wait about 60 s, then try again.', 'Account → Security'])(
    'does not flag ordinary text %j',
    (text) => {
      expect(looksLikeRawKey(text)).toBe(false);
    },
  );

  it('flags Japanese in an English reply, but not the language button 日本語', () => {
    expect(replyProblems([reply('Did it work?', ['Yes', '日本語'])], 'en')).toEqual([]);
    expect(replyProblems([reply('Did it work? はい')], 'en').length).toBe(1);
    expect(replyProblems([reply('Did it work?', ['はい'])], 'en').length).toBe(1);
  });

  it('flags an English sentence or a Japanese-less text in a Japanese reply', () => {
    expect(replyProblems([reply('ログインできましたか？', ['SMS', 'English'])], 'ja')).toEqual([]);
    expect(replyProblems([reply('Were you able to log in?')], 'ja').length).toBeGreaterThan(0);
    expect(replyProblems([reply('ログインできましたか？ Please try again later.')], 'ja').length).toBeGreaterThan(0);
  });

  it('flags a question without its buttons, with extra buttons, or with buttons of another step', () => {
    const t = localizer.forLanguage('en');
    const step = 'codeRejectedExpired';
    const prompt = [t('troubleshooting:codeRejected.expired.check'), t('troubleshooting:codeRejected.expired.detail')];
    const good = ['That worked', 'Still not working', 'Back', 'Start over'];
    const values = [
      { t: 'answer', step, event: 'answer.yes' },
      { t: 'answer', step, event: 'answer.no' },
      { t: 'command', command: 'back' },
      { t: 'command', command: 'restart' },
    ];
    const texts = (last: SeenReply) => [...prompt.map((p) => reply(p)), last];
    const asked = (buttons: string[], v: unknown[]) => questionProblems(texts(reply('Please try again. Were you able to log in?', buttons, v)), localizer, 'en', step);
    expect(asked(good, values).filter((p) => p.includes('buttons'))).toEqual([]);
    expect(asked(good.slice(0, 2), values.slice(0, 2)).length).toBeGreaterThan(0);
    expect(asked([...good, 'Extra'], [...values, { t: 'command', command: 'help' }]).length).toBeGreaterThan(0);
    expect(asked(good, values.map((v) => ('step' in v ? { ...v, step: 'codeRejectedBrowser' } : v))).length).toBeGreaterThan(0);
  });
});
