/**
 * Regressions: an unsure answer ("I don't know", わからない, "not sure") is no answer, although
 * it contains a yes/no word; 「問題ない」 is a yes though it contains 「ない」. And a stored snapshot
 * that loads but no longer fits the machine (context without its trail) restarts politely
 * instead of failing on every message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TROUBLESHOOTING_FLOW_VERSION } from '../../flows/troubleshooting/index.js';
import { conversationKey } from '../../src/bot/support-bot.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { BotHarness } from '../helpers/bot-harness.js';
import { askedStep, shows } from '../helpers/reply-checks.js';

const open: BotHarness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.close();
});
function harness(locale: string): BotHarness {
  const h = new BotHarness({ locale });
  open.push(h);
  return h;
}

describe('unsure answers are not read as yes/no, though they contain one', () => {
  it.each([
    ['ja-JP', 'わからない', 'ja', ['callNotReceivedRegisteredNumber']],
    ['ja-JP', '問題ない', 'ja', ['callNotReceivedRegisteredNumber', 'callNotReceivedSignal']],
    ['en-US', "I don't know", 'en', ['callNotReceivedRegisteredNumber']],
    ['en-US', 'not sure', 'en', ['callNotReceivedRegisteredNumber']],
  ] as const)('%s %j at "is the registered number right?" is not read as the opposite answer', async (locale, text, lang, acceptable) => {
    const h = harness(locale);
    await h.join();
    expect(askedStep(await h.say('5'))).toBe('callNotReceivedRegisteredNumber');
    const replies = await h.say(text);
    const t = h.services.localizer.forLanguage(lang);
    // Not understood (the same question again), or for 「問題ない」 (= it's fine) "yes".
    expect(shows(replies, t('identity:ask.email')), 'no identity collection').toBe(false);
    expect(acceptable).toContain(askedStep(replies));
  });
});

describe('a snapshot without its context restarts politely', () => {
  it('the customer is not stuck in "Sorry, something went wrong" until they type "start over"', async () => {
    const h = harness('en-US');
    await h.join();
    await h.say('2');
    await h.say('no');
    const storage = new SqliteStorage(h.services.db);
    const key = conversationKey({ channelId: 'test', conversation: { id: 'Convo1' } as never });
    const item = (await storage.read([key]))[key] as { flow: { snapshot: Record<string, unknown> } } & Record<string, unknown>;
    expect(item.flow.snapshot['context']).toBeDefined();
    await storage.write({
      [key]: { ...item, flow: { name: 'troubleshooting', version: TROUBLESHOOTING_FLOW_VERSION, snapshot: { ...item.flow.snapshot, context: {} } }, eTag: '*' },
    });
    const t = h.services.localizer.forLanguage('en');
    for (const text of ['back', 'no']) {
      const replies = await h.say(text);
      expect(shows(replies, t('common:errors.generic')), `after "${text}"`).toBe(false);
      expect(replies.at(-1)?.buttons.length ?? 0, `after "${text}": buttons to go on`).toBeGreaterThan(0);
    }
  });
});
