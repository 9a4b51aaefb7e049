/**
 * Issue 18, the optional rating (1–5): after a confirmed resolution in chat and after a ticket is
 * done (the customer's notification), through the whole app. The rating arrives later as an
 * ordinary message, maybe while another flow runs: it is thanked for and the flow goes on. A 2FA
 * code is never a rating; SATISFACTION_RATING=off asks nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { BotHarness } from '../helpers/bot-harness.js';
import type { Lang } from './support/customer.js';
import { BotFrameworkCustomer, FakeConnector, startApp, textsOf, type ReceivedActivity, type RunningApp } from './support/running-app.js';
import { walkToTicket } from './support/walk-to-ticket.js';

const buttonsOf = (a: ReceivedActivity | undefined): string[] =>
  ((a?.body['suggestedActions'] as { actions?: { title: string }[] } | undefined)?.actions ?? []).map((x) => x.title);

let conversations = 0;

async function ticketDone(running: RunningApp, connector: FakeConnector, lang: Lang) {
  conversations++;
  const t = running.app.localizer.forLanguage(lang);
  const customer = new BotFrameworkCustomer(running.baseUrl, connector, lang, {
    channelId: 'webchat',
    userId: `rating-customer-${conversations}`,
    conversationId: `rating-conv-${conversations}`,
  });
  const { id } = await walkToTicket(customer, t, lang, 'customer_requested');
  const before = connector.messagesTo(customer.ids.conversationId).length;
  await running.app.agentTickets.verifyIdentity(id, 'agent-a');
  await running.app.agentTickets.resolve(id, 'agent-a');
  await running.app.notifications.flush();
  const told = connector.messagesTo(customer.ids.conversationId).slice(before);
  return { customer, id, t, told };
}

describe('the rating after a ticket is done', () => {
  const connector = new FakeConnector();
  let running: RunningApp;
  beforeAll(async () => {
    await connector.start();
    running = await startApp();
  });
  afterAll(async () => {
    await running.stop();
    await connector.stop();
  });

  it.each(['ja', 'en'] as const)('follows the "request completed" message, with buttons 1–5; a press is thanked for once (%s)', async (lang) => {
    const { customer, id, t, told } = await ticketDone(running, connector, lang);
    const texts = told.map((a) => String(a.body['text'] ?? ''));
    // "verified", then "completed" and the question under it.
    expect(texts.slice(-2)).toEqual([t('tickets:notify.resolved', { ticketId: id }), t('common:rating.ticketQuestion')]);
    expect(buttonsOf(told.at(-1))).toEqual(['1', '2', '3', '4', '5']);

    const rated = await customer.post({ type: 'message', text: '5', value: { t: 'rate', about: 'ticket', value: 5 } });
    expect(textsOf(rated)).toContain(t('common:rating.thanks'));
    const again = await customer.post({ type: 'message', text: '4', value: { t: 'rate', about: 'ticket', value: 4 } });
    expect(textsOf(again)).toContain(t('common:rating.alreadyReceived'));
  });

  it('a typed 「５」 while another flow is under way is the rating, and the step is asked again', async () => {
    const { customer, t } = await ticketDone(running, connector, 'ja');
    const replies = await customer.say('５');
    const texts = replies.map((a) => String(a.body['text'] ?? ''));
    expect(texts[0]).toBe(t('common:rating.thanks'));
    // The conversation was at the menu (the ticket's flow had ended): the menu is there again, not topic 5.
    expect(texts.at(-1)).toBe(t('troubleshooting:mainMenu.prompt'));
  });

  it('a 2FA code sent after the question is never a rating', async () => {
    const { customer, t } = await ticketDone(running, connector, 'en');
    const replies = await customer.say('123456');
    const texts = replies.map((a) => String(a.body['text'] ?? ''));
    expect(texts).toContain(t('common:secretRedacted'));
    expect(texts).not.toContain(t('common:rating.thanks'));
    // Its digit no longer counts once another message came in; the buttons still do.
    expect(textsOf(await customer.say('5'))).not.toContain(t('common:rating.thanks'));
    const pressed = await customer.post({ type: 'message', text: '2', value: { t: 'rate', about: 'ticket', value: 2 } });
    expect(textsOf(pressed)).toContain(t('common:rating.thanks'));
  });
});

describe('SATISFACTION_RATING', () => {
  it('is on by default, off with "off", and refuses anything else', () => {
    expect(loadConfig({}).satisfactionRating).toBe(true);
    expect(loadConfig({ SATISFACTION_RATING: 'off' }).satisfactionRating).toBe(false);
    expect(() => loadConfig({ SATISFACTION_RATING: 'maybe' })).toThrow(/SATISFACTION_RATING/);
  });
});

describe('SATISFACTION_RATING=off', () => {
  const connector = new FakeConnector();
  let running: RunningApp;
  beforeAll(async () => {
    await connector.start();
    running = await startApp({ SATISFACTION_RATING: 'off' });
  });
  afterAll(async () => {
    await running.stop();
    await connector.stop();
  });

  it('asks nothing after a ticket is done', async () => {
    const { id, t, told } = await ticketDone(running, connector, 'en');
    expect(told.map((a) => String(a.body['text'] ?? '')).at(-1)).toBe(t('tickets:notify.resolved', { ticketId: id }));
    expect(buttonsOf(told.at(-1))).toEqual([]);
  });

  it.each(['ja', 'en'] as const)('asks nothing after a confirmed resolution: the closing and the menu, as before (%s)', async (lang) => {
    const harness = new BotHarness({ locale: lang === 'ja' ? 'ja-JP' : 'en-US', env: { SATISFACTION_RATING: 'off' } });
    try {
      const t = harness.services.localizer.forLanguage(lang);
      const conversation = { id: `off-${lang}` } as never;
      await harness.join({ conversation });
      await harness.say({ value: { t: 'jump', topic: 'codeRejected' } }, { conversation });
      await harness.say({ value: { t: 'answer', step: 'codeRejectedOtherService', event: 'answer.yes' } }, { conversation });
      const closed = await harness.say(lang === 'ja' ? 'はい' : 'yes', { conversation });
      expect(closed.at(-1)!.text).toBe(t('common:resolvedClosing'));
      expect(closed.at(-1)!.buttons).toEqual([t('common:buttons.menu')]);
      expect(closed.map((r) => r.text)).not.toContain(t('common:rating.question'));
    } finally {
      harness.close();
    }
  });
});

describe.each(['ja', 'en'] as const)('the rating after a confirmed resolution (%s)', (lang) => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
  });
  afterAll(() => harness.close());

  const resolve = async (id: string) => {
    const conversation = { id } as never;
    await harness.join({ conversation });
    await harness.say({ value: { t: 'jump', topic: 'smsNotReceived' } }, { conversation });
    await harness.say({ value: { t: 'answer', step: 'smsNotReceivedMethodSetting', event: 'answer.yes' } }, { conversation });
    return harness.say({ value: { t: 'answer', step: 'resolvedConfirm', event: 'answer.yes' } }, { conversation });
  };

  it.each(['4', '４', '「4」', lang === 'ja' ? '星4' : '4 stars'])('typed %s right after the question is the rating', async (typed) => {
    const t = harness.services.localizer.forLanguage(lang);
    const id = `typed-${lang}-${typed}`;
    const closed = await resolve(id);
    expect(closed.at(-1)!.text).toBe(t('common:rating.question'));
    const rated = await harness.say(typed, { conversation: { id } as never });
    expect(rated.map((r) => r.text)).toEqual([t('common:rating.thanks')]);
    expect(rated[0]!.buttons).toEqual([t('common:buttons.menu')]);
  });

  it('may be ignored: a new question goes to the guide as usual', async () => {
    const t = harness.services.localizer.forLanguage(lang);
    const id = `ignored-${lang}`;
    await resolve(id);
    const next = await harness.say({ value: { t: 'jump', topic: 'lockout' } }, { conversation: { id } as never });
    expect(next.map((r) => r.text)).not.toContain(t('common:rating.thanks'));
    expect(next.at(-1)!.text).toBe(t('troubleshooting:lockout.messageShown.prompt'));
    // Its button still counts later, without moving the step.
    const late = await harness.say({ value: { t: 'rate', about: 'resolution', value: 3 }, text: '3' }, { conversation: { id } as never });
    expect(late[0]!.text).toBe(t('common:rating.thanks'));
    expect(late.at(-1)!.text).toBe(t('troubleshooting:lockout.messageShown.prompt'));
  });
});
