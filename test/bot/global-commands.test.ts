/**
 * The commands a customer can use at any point: start over, back (one and two steps), switch
 * language, ask for a person. Every step of the flow (reached by pressing buttons) is tried with
 * each typed command in both languages; button presses and the language memory are tested below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_MENU_ID } from '../../flows/troubleshooting/index.js';
import { BotHarness, type SeenReply } from '../helpers/bot-harness.js';
import { outcomeOf } from '../helpers/outcome-of.js';
import { askedStep, LOCALE_OF, questionProblems, replyProblems, shows, type Lang } from '../helpers/reply-checks.js';
import { routesToEveryStep, walk } from '../helpers/step-routes.js';

const ROUTES = [...routesToEveryStep().values()];
const OTHER: Readonly<Record<Lang, Lang>> = { ja: 'en', en: 'ja' };
const TYPED: Readonly<Record<Lang, { restart: string; back: string; agent: string; switch: string }>> = {
  ja: { restart: '最初から', back: '戻る', agent: '担当者', switch: 'English' },
  en: { restart: 'start over', back: 'back', agent: 'agent', switch: '日本語' },
};

describe.each(['ja', 'en'] as const)('global commands at every step (%s)', (lang) => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: LOCALE_OF[lang] });
  });
  afterAll(() => harness.close());
  const t = (key: string) => harness.services.localizer.forLanguage(lang)(key);
  const localizer = () => harness.services.localizer;
  let n = 0;
  const start = async (route: (typeof ROUTES)[number]) => {
    const id = `global-${lang}-${n++}`;
    const replies = await walk(harness, route, id);
    expect(askedStep(replies), 'reached the step').toBe(route.step);
    return { id, say: (text: string) => harness.say(text, { conversation: { id } as never }) };
  };

  it('reaches every question step', () => {
    expect(ROUTES.length).toBe(55);
  });

  it.each(ROUTES.map((r) => [r.step, r] as const))('%s: start over → the main menu', async (_s, route) => {
    const c = await start(route);
    const replies = await c.say(TYPED[lang].restart);
    expect(shows(replies, t('common:restarted'))).toBe(true);
    expect(questionProblems(replies, localizer(), lang, MAIN_MENU_ID)).toEqual([]);
    expect(replyProblems(replies, lang)).toEqual([]);
  });

  it.each(ROUTES.map((r) => [r.step, r] as const))('%s: back, then back again', async (_s, route) => {
    const c = await start(route);
    const expectBackTo = (replies: SeenReply[], index: number) => {
      const target = route.visited[index];
      if (target === undefined) {
        // Nothing before the main menu: it says so and shows the menu again.
        expect(shows(replies, t('common:cannotGoBack'))).toBe(true);
        expect(questionProblems(replies, localizer(), lang, MAIN_MENU_ID)).toEqual([]);
      } else {
        expect(shows(replies, t('common:cannotGoBack'))).toBe(false);
        expect(questionProblems(replies, localizer(), lang, target)).toEqual([]);
      }
      expect(replyProblems(replies, lang)).toEqual([]);
    };
    const last = route.visited.length - 1;
    expectBackTo(await c.say(TYPED[lang].back), last - 1);
    expectBackTo(await c.say(TYPED[lang].back), last - 2);
  });

  it.each(ROUTES.map((r) => [r.step, r] as const))('%s: switch language → the same question in the other language', async (_s, route) => {
    const c = await start(route);
    const other = OTHER[lang];
    const replies = await c.say(TYPED[lang].switch);
    expect(shows(replies, harness.services.localizer.forLanguage(other)('common:languageChanged'))).toBe(true);
    expect(questionProblems(replies, localizer(), other, route.step)).toEqual([]);
    expect(replyProblems(replies, other)).toEqual([]);
  });

  it.each(ROUTES.map((r) => [r.step, r] as const))('%s: agent → handoff customer_requested', async (_s, route) => {
    const c = await start(route);
    const replies = await c.say(TYPED[lang].agent);
    expect(outcomeOf(replies, localizer(), lang)).toBe('handoff:customer_requested');
    expect(replyProblems(replies, lang)).toEqual([]);
  });
});

describe('global commands as buttons, and the language memory', () => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: 'ja-JP' });
  });
  afterAll(() => harness.close());
  const tt = (lang: Lang, key: string) => harness.services.localizer.forLanguage(lang)(key);
  const conv = (id: string) => ({ conversation: { id } as never });

  it('the Back and Start over buttons of a question work', async () => {
    const c = conv('buttons-nav');
    let replies = await harness.join(c);
    replies = await harness.press(replies, 'コードが通らない', c);
    replies = await harness.press(replies, 'できなかった', c);
    expect(askedStep(replies)).toBe('codeRejectedExpired');
    replies = await harness.press(replies, '戻る', c);
    expect(questionProblems(replies, harness.services.localizer, 'ja', 'codeRejectedOtherService')).toEqual([]);
    replies = await harness.press(replies, '最初から', c);
    expect(shows(replies, tt('ja', 'common:restarted'))).toBe(true);
    expect(questionProblems(replies, harness.services.localizer, 'ja', MAIN_MENU_ID)).toEqual([]);
  });

  it('the agent button of the main menu hands off (customer_requested)', async () => {
    const c = conv('buttons-agent');
    const replies = await harness.press(await harness.join(c), '担当者に相談', c);
    expect(outcomeOf(replies, harness.services.localizer, 'ja')).toBe('handoff:customer_requested');
  });

  it('a language chosen by button is kept although every later activity says ja-JP', async () => {
    const c = conv('lang-memory-en');
    let replies = await harness.join(c);
    expect(replyProblems(replies, 'ja')).toEqual([]);
    replies = await harness.press(replies, 'English', c);
    expect(shows(replies, tt('en', 'common:languageChanged'))).toBe(true);
    expect(questionProblems(replies, harness.services.localizer, 'en', MAIN_MENU_ID)).toEqual([]);
    const seen: SeenReply[] = [...replies];
    for (const title of ['No SMS code', 'Not yet', 'Not yet']) {
      replies = await harness.press(replies, title, { ...c, locale: 'ja-JP' });
      seen.push(...replies);
    }
    expect(askedStep(replies)).toBe('smsNotReceivedAirplaneMode');
    // Typed Japanese answers are still understood, and the answer stays English.
    replies = await harness.say('いいえ', { ...c, locale: 'ja-JP' });
    seen.push(...replies);
    expect(askedStep(replies)).toBe('smsNotReceivedOtherSms');
    replies = await harness.say('戻る', { ...c, locale: 'ja-JP' });
    seen.push(...replies);
    expect(askedStep(replies)).toBe('smsNotReceivedAirplaneMode');
    expect(replyProblems(seen, 'en')).toEqual([]);
  });

  it('switching back to Japanese is kept although later activities say en-US', async () => {
    const c = conv('lang-memory-ja');
    let replies = await harness.join({ ...c, locale: 'en-US' });
    expect(replyProblems(replies, 'en')).toEqual([]);
    replies = await harness.say('日本語', { ...c, locale: 'en-US' });
    expect(shows(replies, tt('ja', 'common:languageChanged'))).toBe(true);
    const seen: SeenReply[] = [...replies];
    for (const text of ['2', 'no', 'start over', 'login locked']) {
      replies = await harness.say(text, { ...c, locale: 'en-US' });
      seen.push(...replies);
    }
    expect(askedStep(replies)).toBe('lockoutMessageShown');
    expect(replyProblems(seen, 'ja')).toEqual([]);
    // A new welcome (the customer rejoins) keeps the choice too.
    const again = await harness.join({ ...c, locale: 'en-US' });
    expect(replyProblems(again, 'ja')).toEqual([]);
  });

  it('before any choice the language follows activity.locale; unknown or missing locale → Japanese (default)', async () => {
    expect(replyProblems(await harness.join({ ...conv('loc-en-gb'), locale: 'en-GB' }), 'en')).toEqual([]);
    expect(replyProblems(await harness.join({ ...conv('loc-fr'), locale: 'fr-FR' }), 'ja')).toEqual([]);
    expect(replyProblems(await harness.join({ ...conv('loc-none'), locale: undefined }), 'ja')).toEqual([]);
  });

  it('help explains the commands and shows the current question again', async () => {
    const c = conv('help');
    await harness.join(c);
    await harness.say('2', c);
    const replies = await harness.say('ヘルプ', c);
    expect(shows(replies, tt('ja', 'common:help'))).toBe(true);
    expect(questionProblems(replies, harness.services.localizer, 'ja', 'codeRejectedOtherService')).toEqual([]);
  });
});
