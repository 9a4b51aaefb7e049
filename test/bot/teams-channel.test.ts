/**
 * Microsoft Teams: a message may carry the bot's mention (`<at>Bot</at> …`, also in a personal chat
 * when the customer @-mentions the bot), and suggested actions are not shown in every scope, so
 * buttons travel on a hero card. Button presses come back as the card action's value. Customers are
 * served in personal chats only; team channels and group chats are declined (teams-activities test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness } from '../helpers/bot-harness.js';
import { adaptiveCard, askedStep, questionProblems, replyProblems, shows, stepTexts } from '../helpers/reply-checks.js';

const BOT = { id: 'bot', name: 'Bot' };
const mention = (text = '<at>Bot</at>') => [{ type: 'mention', mentioned: BOT, text }];

describe('Teams-shaped messages', () => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ channelId: 'msteams', locale: 'en-US' });
  });
  afterAll(() => harness.close());
  const t = (key: string) => harness.services.localizer.forLanguage('en')(key);
  const conv = (id: string) => ({ conversation: { id, conversationType: 'personal' } as never, recipient: BOT });

  it('"<at>Bot</at> 2": the mention is removed, the answer is read, and the buttons are on a hero card', async () => {
    const c = conv('teams-mention');
    await harness.join(c);
    const replies = await harness.say('<at>Bot</at> 2', { ...c, entities: mention() });
    expect(askedStep(replies)).toBe('codeRejectedOtherService');
    expect(questionProblems(replies, harness.services.localizer, 'en', 'codeRejectedOtherService')).toEqual([]);
    const last = replies.at(-1)!.activity;
    expect(last.suggestedActions, 'no suggested actions on Teams').toBeUndefined();
    const hero = (last.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.hero');
    expect(hero).toHaveLength(1);
    const content = hero[0]!.content as { text?: string; buttons?: { type: string; title: string; value: unknown }[] };
    expect(content.text).toBe(stepTexts(harness.services.localizer, 'en', 'codeRejectedOtherService').at(-1));
    expect(content.buttons?.map((b) => b.type)).toEqual(['messageBack', 'messageBack', 'messageBack', 'messageBack']);
    // The card's text is not repeated as the message text.
    expect(last.text ?? '').toBe('');
    expect(replyProblems(replies, 'en')).toEqual([]);
  });

  it('the mention in the middle of the text and in Japanese: "はい <at>Bot</at>"', async () => {
    const c = conv('teams-mention-ja');
    await harness.join({ ...c, locale: 'ja-JP' });
    await harness.say('<at>Bot</at> 9', { ...c, locale: 'ja-JP', entities: mention() });
    const replies = await harness.say('はい <at>Bot</at>', { ...c, locale: 'ja-JP', entities: mention() });
    expect(shows(replies, harness.services.localizer.forLanguage('ja')('troubleshooting:handoff.loginLockout'))).toBe(true);
    expect(replyProblems(replies, 'ja')).toEqual([]);
  });

  it('"<at>Bot</at> hello" is not read as the mention text ("bot" is no answer): greeting or not understood, with the menu', async () => {
    const c = conv('teams-hello');
    await harness.join(c);
    const replies = await harness.say('<at>Bot</at> hello', { ...c, entities: mention() });
    expect(shows(replies, t('common:errors.generic'))).toBe(false);
    expect(questionProblems(replies, harness.services.localizer, 'en', 'mainMenu')).toEqual([]);
    expect(replies.some((r) => r.text.includes('<at>'))).toBe(false);
  });

  it('a mention of someone else stays in the text (only the bot\'s own mention is removed)', async () => {
    const c = conv('teams-other-mention');
    await harness.join(c);
    const replies = await harness.say('<at>Alice</at> 2', { ...c, entities: [{ type: 'mention', mentioned: { id: 'alice', name: 'Alice' }, text: '<at>Alice</at>' }] });
    // "<at>Alice</at> 2" is not the option number 2.
    expect(replies.length).toBeGreaterThan(0);
    expect(askedStep(replies)).not.toBe('codeRejectedOtherService');
  });

  it('pressing a hero-card button (messageBack value) answers the question', async () => {
    const c = conv('teams-press');
    let replies = await harness.join(c);
    replies = await harness.press(replies, 'Login locked', c);
    expect(askedStep(replies)).toBe('lockoutMessageShown');
    replies = await harness.press(replies, 'No', c);
    expect(askedStep(replies)).toBe('lockoutNotYet');
  });

  it('a button press without text that still carries the mention entity is answered, not an error', async () => {
    const c = conv('teams-value-only');
    const menu = await harness.join(c);
    const value = menu.at(-1)!.values[menu.at(-1)!.buttons.indexOf('Login locked')];
    const replies = await harness.send({ type: 'message', value, entities: mention(), ...c });
    expect(shows(replies, t('common:errors.generic'))).toBe(false);
    expect(askedStep(replies)).toBe('lockoutMessageShown');
  });

  it('a malformed mention entity (no `mentioned`) does not break the turn', async () => {
    const c = conv('teams-bad-mention');
    await harness.join(c);
    const replies = await harness.say('<at>Bot</at> 2', { ...c, entities: [{ type: 'mention', text: '<at>Bot</at>' }, ...mention()] });
    expect(shows(replies, t('common:errors.generic'))).toBe(false);
    expect(askedStep(replies)).toBe('codeRejectedOtherService');
  });

  it('a handoff on Teams shows the identity form as an Adaptive Card', async () => {
    const c = conv('teams-handoff');
    await harness.join(c);
    let replies = await harness.say('<at>Bot</at> agent', { ...c, entities: mention() });
    // A person: the support contact or the procedure (issue 15); the procedure.
    replies = await harness.press(replies, t('identity:options.startProcedure.label'), c);
    const card = adaptiveCard(replies);
    expect(card, 'an Adaptive Card').toBeDefined();
    expect(card?.['version']).toBe('1.5');
    expect(shows(replies, t('identity:form.prompt'))).toBe(true);
    expect(replyProblems(replies, 'en')).toEqual([]);
  });
});
