/**
 * Input a step does not expect: unknown text at every step, buttons from earlier messages,
 * malformed button values, empty and attachment-only messages, very long text, activities that
 * are not messages. The customer always gets the current question again (with its buttons) and
 * can carry on; never an error message or silence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_MENU_ID } from '../../flows/troubleshooting/index.js';
import { BotHarness, type SeenReply } from '../helpers/bot-harness.js';
import { askedStep, LOCALE_OF, metaOf, questionProblems, replyProblems, shows, type Lang } from '../helpers/reply-checks.js';
import { routesToEveryStep, walk } from '../helpers/step-routes.js';

const ROUTES = [...routesToEveryStep().values()];
const GIBBERISH: Readonly<Record<Lang, string>> = { ja: 'ふむふむ、ぴよぴよ', en: 'qwerty zxcv blorp' };

describe.each(['ja', 'en'] as const)('unknown text at every step (%s)', (lang) => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: LOCALE_OF[lang] });
  });
  afterAll(() => harness.close());

  it.each(ROUTES.map((r, i) => [r.step, i] as const))('%s: the question again with a hint, then the flow goes on', async (_s, i) => {
    const route = ROUTES[i]!;
    const id = `unknown-${lang}-${i}`;
    const t = harness.services.localizer.forLanguage(lang);
    await walk(harness, route, id);
    const replies = await harness.say(GIBBERISH[lang], { conversation: { id } as never });
    const hint = route.step === MAIN_MENU_ID ? 'common:notUnderstoodMenu' : 'common:notUnderstood';
    if (route.step === MAIN_MENU_ID) {
      // Issue 14: at the menu, text in which nothing is recognised is not about 2FA: the scope, not a hint.
      const scope = t('nlu:outOfScope').split('{{')[0]!;
      expect(replies.some((r) => r.text.startsWith(scope)), 'the scope').toBe(true);
      expect(shows(replies, t(hint))).toBe(false);
    } else {
      expect(shows(replies, t(hint)), 'a hint').toBe(true);
      expect(questionProblems(replies, harness.services.localizer, lang, route.step)).toEqual([]);
    }
    expect(replyProblems(replies, lang)).toEqual([]);
    // Not a dead end: the first option, typed as its number, is still accepted.
    const after = await harness.say('1', { conversation: { id } as never });
    expect(shows(after, t(hint))).toBe(false);
    expect(askedStep(after)).not.toBe(route.step);
  });
});

describe.each(['ja', 'en'] as const)('a bare yes or no at every question that is not a yes/no question (%s)', (lang) => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: LOCALE_OF[lang] });
  });
  afterAll(() => harness.close());
  const YES: Readonly<Record<Lang, string>> = { ja: 'はい', en: 'yes' };
  const notYesNo = ROUTES.filter((r) => {
    const ids = metaOf(r.step).options.map((o) => o.id);
    return !['yes', 'no', 'worked', 'arrived', 'callCame', 'understood', 'next', 'solved'].some((id) => ids.includes(id));
  });

  it('covers some questions', () => expect(notYesNo.length).toBeGreaterThan(3));
  it.each(notYesNo.map((r, i) => [r.step, i] as const))('%s: "please pick one of the buttons" and the same question, not an off-topic answer', async (_s, i) => {
    const route = notYesNo[i]!;
    const id = `yes-${lang}-${i}`;
    const t = harness.services.localizer.forLanguage(lang);
    await walk(harness, route, id);
    const replies = await harness.say(YES[lang], { conversation: { id } as never });
    const hint = route.step === MAIN_MENU_ID ? 'common:notUnderstoodMenu' : 'common:pickAnOption';
    expect(shows(replies, t(hint)), 'a hint').toBe(true);
    expect(shows(replies, t('nlu:outOfScope')), 'not the out-of-scope answer').toBe(false);
    expect(askedStep(replies)).toBe(route.step);
  });
});

describe('buttons, values and messages the step does not expect', () => {
  let harness: BotHarness;
  let n = 0;
  beforeAll(() => {
    harness = new BotHarness({ locale: 'en-US' });
  });
  afterAll(() => harness.close());
  const t = (key: string) => harness.services.localizer.forLanguage('en')(key);

  /** A new conversation at codeRejectedExpired: the menu and the first question are old messages. */
  async function atSecondQuestion() {
    const c = { conversation: { id: `odd-${n++}` } as never };
    const menu = await harness.join(c);
    const first = await harness.press(menu, 'Code not accepted', c);
    const second = await harness.press(first, 'Still not working', c);
    expect(askedStep(second)).toBe('codeRejectedExpired');
    return { c, menu, first, second };
  }

  const expectCurrentQuestionAgain = (replies: SeenReply[], step = 'codeRejectedExpired') => {
    expect(shows(replies, t('common:errors.generic')), 'no error message').toBe(false);
    expect(questionProblems(replies, harness.services.localizer, 'en', step)).toEqual([]);
    expect(replyProblems(replies, 'en')).toEqual([]);
  };

  it('a main-menu button pressed again later: "from an earlier question" and the current question', async () => {
    const { c, menu } = await atSecondQuestion();
    const replies = await harness.press(menu, 'Deleted the app', c);
    expect(shows(replies, t('common:staleButton'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it('the same answer button tapped twice (old message, same event) is not taken as an answer to the next question', async () => {
    const { c, first } = await atSecondQuestion();
    // "Still not working" of the first question also exists on the second: it must not answer it.
    const replies = await harness.press(first, 'Still not working', c);
    expect(shows(replies, t('common:staleButton'))).toBe(true);
    expectCurrentQuestionAgain(replies);
    // The step did not move: the current question's own button still answers it.
    const next = await harness.press(replies, 'Still not working', c);
    expect(askedStep(next)).toBe('codeRejectedBrowser');
  });

  it('an old Back / Start over button is a command and still works (commands are not tied to a step)', async () => {
    const { c, first } = await atSecondQuestion();
    const replies = await harness.press(first, 'Back', c);
    expectCurrentQuestionAgain(replies, 'codeRejectedOtherService');
  });

  it.each([
    ['an event no step has', { t: 'answer', step: 'codeRejectedExpired', event: 'topic.nothing' }],
    ['a state that does not exist', { t: 'answer', step: 'noSuchStep', event: 'answer.yes' }],
    ['a topic jump to no topic', { t: 'jump', topic: 'noSuchTopic' }],
  ])('a well-formed button value naming %s is treated as an earlier button: nothing changes', async (_name, value) => {
    const { c } = await atSecondQuestion();
    const replies = await harness.send({ type: 'message', value, ...c });
    expect(shows(replies, t('common:staleButton'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it.each([
    ['answer without step and event', { t: 'answer' }],
    ['answer with non-string fields', { t: 'answer', step: 42, event: { type: 'answer.yes' } }],
    ['command that does not exist', { t: 'command', command: 'drop table' }],
    ['command with an unknown language', { t: 'command', command: 'language', lang: 'fr' }],
    ['unknown discriminator', { t: 'nope', event: 'answer.yes' }],
    ['an identity form outside identity collection', { t: 'identity', email: 'a@example.com' }],
    ['a string', 'answer.yes'],
    ['a number', 42],
    ['null', null],
    ['an array', [{ t: 'answer', step: 'codeRejectedExpired', event: 'answer.yes' }]],
    ['a deeply nested object', JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) as unknown],
  ])('a malformed value (%s) with no text is "not understood", never an error', async (_name, value) => {
    const { c } = await atSecondQuestion();
    const replies = await harness.send({ type: 'message', value, ...c });
    expect(shows(replies, t('common:notUnderstood'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it('an oversized button value (5,000-character step id) is not applied', async () => {
    const { c } = await atSecondQuestion();
    const replies = await harness.send({ type: 'message', value: { t: 'answer', step: 'x'.repeat(5000), event: 'answer.yes' }, ...c });
    expect(shows(replies, t('common:notUnderstood')) || shows(replies, t('common:staleButton'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it('a forged answer for the current step with another event is not applied', async () => {
    const { c } = await atSecondQuestion();
    // answer.lostNoBackup exists in the flow, but not as an option here.
    const replies = await harness.say({ value: { t: 'answer', step: 'codeRejectedExpired', event: 'answer.lostNoBackup' } }, c);
    expect(shows(replies, t('common:staleButton'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it.each([
    ['empty text', { text: '' }],
    ['only spaces and newlines', { text: '  \n\t ' }],
    ['only punctuation and emoji', { text: '!!! 🙏🙏 ...' }],
    ['no text at all', {}],
  ])('%s → "not understood" and the question again', async (_name, extra) => {
    const { c } = await atSecondQuestion();
    const replies = await harness.send({ type: 'message', ...extra, ...c });
    expect(shows(replies, t('common:notUnderstood'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it('an attachment-only message (a screenshot) → the question again', async () => {
    const { c } = await atSecondQuestion();
    const replies = await harness.send({
      type: 'message',
      attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/screenshot.png', name: 'screenshot.png' }],
      ...c,
    });
    expect(replies.length).toBeGreaterThan(0);
    expectCurrentQuestionAgain(replies);
  });

  it('a 10,000-character message of words the bot does not know gets the question again', async () => {
    const { c } = await atSecondQuestion();
    const replies = await harness.say('blorp quux zxcv '.repeat(625), c);
    expect(shows(replies, t('common:notUnderstood'))).toBe(true);
    expectCurrentQuestionAgain(replies);
  });

  it.each([
    ['Latin words', 'lorem ipsum dolor '.repeat(556).slice(0, 10_000)],
    ['Japanese', 'ログインできなくて困っています。'.repeat(625).slice(0, 10_000)],
    ['one unbroken token', 'x'.repeat(10_000)],
    ['digits and spaces', '1 2 3 '.repeat(1667).slice(0, 10_000)],
    ['a URL', `https://example.com/${'a/'.repeat(4990)}`],
  ])('a 10,000-character message (%s) is answered within 5 s with buttons, no error, and the conversation goes on', async (_name, text) => {
    const { c } = await atSecondQuestion();
    const started = performance.now();
    const replies = await harness.say(text, c);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(shows(replies, t('common:errors.generic'))).toBe(false);
    expect(replies.at(-1)?.buttons.length ?? 0, 'the last reply offers buttons').toBeGreaterThan(0);
    // Free text may be answered in the language it is written in, but never in a mix.
    const inEnglish = replyProblems(replies, 'en');
    const inJapanese = replyProblems(replies, 'ja');
    expect(inEnglish.length === 0 || inJapanese.length === 0, [...inEnglish, ...inJapanese].join('\n')).toBe(true);
    const next = await harness.say('start over', c);
    expect(askedStep(next)).toBe(MAIN_MENU_ID);
  });

  it('activities that are not messages get no reply and no error; the conversation goes on', async () => {
    const { c } = await atSecondQuestion();
    for (const type of ['typing', 'messageReaction', 'endOfConversation', 'event', 'installationUpdate']) {
      expect(await harness.send({ type, ...c }), type).toEqual([]);
    }
    expect(await harness.send({ type: 'conversationUpdate', membersRemoved: [{ id: 'user1', name: 'User1' }], ...c })).toEqual([]);
    // Only the bot joining: no welcome.
    expect(await harness.send({ type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'Bot' }], ...c })).toEqual([]);
    const next = await harness.say('no', c);
    expect(askedStep(next)).toBe('codeRejectedBrowser');
  });

  it('every option of every step is reachable by its number (1..n), and n+1 is not understood', async () => {
    // Checked on the main menu (10 topics) where two-digit numbers matter.
    const c = { conversation: { id: `numbers-${n++}` } as never };
    await harness.join(c);
    const options = metaOf(MAIN_MENU_ID).options;
    const beyond = await harness.say(String(options.length + 1), c);
    expect(shows(beyond, t('common:notUnderstoodMenu'))).toBe(true);
    const last = await harness.say(String(options.length), c);
    expect(askedStep(last)).toBe('phoneReplacementMethod');
  });
});
