/**
 * Issue 15's advice and tone rules as the customer sees them through the real bot: the closing of
 * an informational topic, GMO Coin's Japanese screen labels glossed in English (and another
 * exchange's own labels from configuration), and the warning before the first code check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { BotHarness, type SeenReply } from '../helpers/bot-harness.js';
import { answerButton, LOCALE_OF, replyProblems, shows } from '../helpers/reply-checks.js';

async function press(harness: BotHarness, replies: readonly SeenReply[], step: string, event: string, id: string): Promise<SeenReply[]> {
  const button = answerButton(replies, step, event);
  if (!button) throw new Error(`no button for ${event} at ${step}`);
  return harness.say({ value: button.value, text: button.title }, { conversation: { id } as never });
}

describe.each(['ja', 'en'] as const)('advice and tone through the bot (%s)', (lang) => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: LOCALE_OF[lang] });
  });
  afterAll(() => harness.close());
  const t = (key: string) => harness.services.localizer.forLanguage(lang)(key);

  it('the methods overview ends with "anything else?", not "glad that\'s sorted"', async () => {
    const id = `info-${lang}`;
    let replies = await harness.join({ conversation: { id } as never });
    replies = await press(harness, replies, 'mainMenu', 'topic.methodsOverview', id);
    replies = await press(harness, replies, 'methodsOverview', 'answer.ok', id);
    // Issue 18: first "has this answered your question?", then the closing.
    expect(replies.at(-1)!.text).toBe(t('troubleshooting:solved.informedPrompt'));
    replies = await press(harness, replies, 'informedConfirm', 'answer.yes', id);
    expect(shows(replies, t('common:anythingElse'))).toBe(true);
    expect(shows(replies, t('common:resolvedClosing'))).toBe(false);
    expect(replies.at(-1)!.buttons).toEqual(['1', '2', '3', '4', '5', t('common:buttons.menu')]);
  });

  it('a code that is not accepted: the lockout warning is the first thing said', async () => {
    const id = `code-${lang}`;
    let replies = await harness.join({ conversation: { id } as never });
    replies = await press(harness, replies, 'mainMenu', 'topic.codeRejected', id);
    const texts = replies.map((r) => r.text);
    expect(texts[0]).toBe(t('troubleshooting:codeRejected.caution'));
    expect(texts.indexOf(t('troubleshooting:codeRejected.otherService.check'))).toBeGreaterThan(0);
  });

  it('the change steps quote the screen\'s own labels (English: Japanese with a gloss)', async () => {
    const id = `change-${lang}`;
    let replies = await harness.join({ conversation: { id } as never });
    replies = await press(harness, replies, 'mainMenu', 'topic.changeMethod', id);
    replies = await press(harness, replies, 'changeMethodCurrent', 'choose.sms', id);
    replies = await press(harness, replies, 'changeMethodFromSms', 'choose.app', id);
    const all = replies.map((r) => r.text).join('\n');
    expect(all).toContain(lang === 'en' ? '「アプリへ変更」 (Change to app)' : '「アプリへ変更」をクリック');
    expect(all).toContain(lang === 'en' ? '「口座情報」→「セキュリティ」 (Account → Security)' : '「口座情報」→「セキュリティ」');
    expect(all).not.toMatch(/2-Step Verification|"Change to app"/);
    expect(replyProblems(replies, lang)).toEqual([]);
  });
});

describe('screen labels are configuration', () => {
  it('another exchange sets its own (English screens: no Japanese, no gloss)', async () => {
    const harness = new BotHarness({ locale: LOCALE_OF.en, env: { SCREEN_LABELS_EN: JSON.stringify({ changeToApp: '"Switch to authenticator"' }) } });
    try {
      const id = 'custom-labels';
      let replies = await harness.join({ conversation: { id } as never });
      replies = await press(harness, replies, 'mainMenu', 'topic.changeMethod', id);
      replies = await press(harness, replies, 'changeMethodCurrent', 'choose.sms', id);
      replies = await press(harness, replies, 'changeMethodFromSms', 'choose.app', id);
      const all = replies.map((r) => r.text).join('\n');
      expect(all).toContain('click "Switch to authenticator"');
      expect(all).not.toContain('アプリへ変更');
      // Keys left out keep GMO Coin's defaults.
      expect(all).toContain('「送信」 (Send)');
    } finally {
      await harness.close();
    }
  });

  it.each([
    ['not JSON', 'changeToApp=Switch'],
    ['an unknown key', JSON.stringify({ changeToAp: 'x' })],
    ['an empty label', JSON.stringify({ changeToApp: ' ' })],
  ])('refuses SCREEN_LABELS_EN that is %s, naming the key', (_what, value) => {
    expect(() => loadConfig({ SCREEN_LABELS_EN: value })).toThrow(/SCREEN_LABELS_EN/);
  });
});
