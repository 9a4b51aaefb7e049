/**
 * What each turn tells the reports (TurnResult.fact, issue 18), in both languages, through the
 * real engine of the app (NLU, ticket store): where the turn ended, the endings (resolved shown,
 * handoff with its ticket, out of scope), the answer to "has this solved it?", ratings, and the
 * free text the bot could not place.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationData } from '../../src/conversation/conversation-data.js';
import type { TurnInput, TurnResult } from '../../src/conversation/conversation-engine.js';
import { openRating } from '../../src/conversation/satisfaction.js';
import { BotHarness } from '../helpers/bot-harness.js';
import { IDENTITY } from '../e2e/support/scenarios.js';

type Lang = 'ja' | 'en';
const LOCALE: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };

/** One conversation driven through the engine: button values or text, its data carried between turns. */
function chat(harness: BotHarness, lang: Lang, id: string) {
  let data: ConversationData | undefined;
  let last: TurnResult | undefined;
  const customer = { channelId: 'test', userId: `u-${id}`, conversationId: id, conversationReference: {} };
  const send = async (input: Partial<TurnInput>): Promise<TurnResult> => {
    last = await harness.services.engine.handle(data, { kind: 'message', locale: LOCALE[lang], customer, cards: true, ...input });
    data = last.data;
    return last;
  };
  return {
    press: (value: unknown) => send({ value }),
    answer: (step: string, event: string) => send({ value: { t: 'answer', step, event } }),
    say: (text: string) => send({ text }),
    submitCard: (values: Record<string, string>) => send({ value: { t: 'identity', ...values } }),
    /** What the ticket-done notification does to the stored conversation (CustomerNotifier). */
    ticketRatingAsked: (ticketId: string) => openRating(data!, 'ticket', ticketId),
    texts: () => (last?.replies ?? []).map((r) => r.text),
    buttons: () => (last?.replies.at(-1)?.buttons ?? []).map((b) => b.title),
  };
}

describe.each(['ja', 'en'] as const)('turn facts (%s)', (lang) => {
  let harness: BotHarness;
  const t = () => harness.services.localizer.forLanguage(lang);
  beforeAll(() => {
    harness = new BotHarness({ locale: LOCALE[lang] });
  });
  afterAll(() => harness.close());

  it('every turn says where it ended; a button press is never "not understood"', async () => {
    const c = chat(harness, lang, `where-${lang}`);
    const first = await c.press({ t: 'jump', topic: 'smsNotReceived' });
    expect(first.fact).toEqual({ flow: 'troubleshooting', step: 'smsNotReceivedMethodSetting' });
    const stale = await c.answer('codeRejectedExpired', 'answer.yes');
    expect(stale.fact).toEqual({ flow: 'troubleshooting', step: 'smsNotReceivedMethodSetting' });
  });

  it('a resolved ending: shown (the question), answered yes, then rated', async () => {
    const c = chat(harness, lang, `resolved-${lang}`);
    await c.press({ t: 'jump', topic: 'smsNotReceived' });
    const shown = await c.answer('smsNotReceivedMethodSetting', 'answer.yes');
    expect(shown.fact).toEqual({ flow: 'troubleshooting', step: 'resolvedConfirm', ending: { kind: 'resolved' } });
    expect(shown.outcome).toBeUndefined();
    expect(c.texts().at(-1)).toBe(t()('troubleshooting:solved.prompt'));
    expect(c.buttons().slice(0, 2)).toEqual([t()('options:solved.label'), t()('options:notSolved.label')]);

    const yes = await c.answer('resolvedConfirm', 'answer.yes');
    expect(yes.fact).toEqual({ flow: 'troubleshooting', step: 'resolved', solved: true });
    expect(yes.outcome).toEqual({ kind: 'resolved' });
    expect(c.texts()).toContain(t()('troubleshooting:solved.thanks'));
    expect(c.texts()).toContain(t()('common:resolvedClosing'));
    expect(c.texts().at(-1)).toBe(t()('common:rating.question'));
    expect(c.buttons()).toEqual(['1', '2', '3', '4', '5', t()('common:buttons.menu')]);

    const rated = await c.press({ t: 'rate', about: 'resolution', value: 4 });
    expect(rated.fact?.rating).toEqual({ value: 4, about: 'resolution' });
    expect(c.texts()).toEqual([t()('common:rating.thanks')]);
    // Rated once: a second press is thanked for, not counted again.
    const again = await c.press({ t: 'rate', about: 'resolution', value: 5 });
    expect(again.fact?.rating).toBeUndefined();
    expect(c.texts()).toEqual([t()('common:rating.alreadyReceived')]);
  });

  it('"no": not solved, the remaining checks offered, then a person and the ticket with its id', async () => {
    const c = chat(harness, lang, `no-${lang}`);
    await c.press({ t: 'jump', topic: 'smsNotReceived' });
    await c.answer('smsNotReceivedMethodSetting', 'answer.yes');
    const no = await c.answer('resolvedConfirm', 'answer.no');
    expect(no.fact).toEqual({ flow: 'troubleshooting', step: 'notSolvedMoreChecks', solved: false });
    expect(c.texts()).toContain(t()('troubleshooting:notSolved.moreChecks'));
    expect((await c.answer('notSolvedMoreChecks', 'answer.next')).fact?.step).toBe('smsNotReceivedSignal');
    await c.answer('smsNotReceivedSignal', 'answer.no');
    await c.answer('smsNotReceivedAirplaneMode', 'answer.no');
    await c.answer('smsNotReceivedOtherSms', 'answer.no');
    const agent = await c.answer('smsNotReceivedUnresolved', 'agent.requested');
    // The guide ended in a handoff; identity takes over (a question before the procedure).
    expect(agent.fact).toEqual({ flow: 'troubleshooting', step: 'handoffCustomerRequested' });
    expect(agent.outcome).toEqual({ kind: 'handoff', reason: 'customer_requested' });
    const start = await c.answer('identity.offerContactOrProcedure', 'identity.start');
    expect(start.fact?.flow).toBe('identity');
    expect(start.fact?.ending).toBeUndefined();
    const ticket = await c.submitCard(IDENTITY[lang].typed);
    expect(ticket.ticket?.id).toMatch(/^TFA-/);
    expect(ticket.fact).toEqual({ flow: 'identity', step: 'identity.form', ending: { kind: 'handoff', reason: 'customer_requested', ticketId: ticket.ticket!.id } });
  });

  it('a handoff of the guide (lockout) ends with its reason and ticket', async () => {
    const c = chat(harness, lang, `lockout-${lang}`);
    await c.press({ t: 'jump', topic: 'lockout' });
    const reached = await c.answer('lockoutMessageShown', 'answer.yes');
    expect(reached.fact).toEqual({ flow: 'troubleshooting', step: 'handoffLoginLockout' });
    await c.answer('identity.offerStartNow', 'identity.start');
    const ticket = await c.submitCard(IDENTITY[lang].typed);
    expect(ticket.fact?.ending).toEqual({ kind: 'handoff', reason: 'login_lockout', ticketId: ticket.ticket!.id });
    // Asking again in the same conversation finds that ticket: the same ending, the same id.
    const again = await c.say(lang === 'ja' ? '担当者' : 'agent');
    expect(again.fact?.ending).toEqual({ kind: 'handoff', reason: 'login_lockout', ticketId: ticket.ticket!.id });
  });

  it('a ticket\'s rating names the ticket, and arrives mid-flow without moving it', async () => {
    const c = chat(harness, lang, `ticket-rating-${lang}`);
    await c.press({ t: 'jump', topic: 'lockout' });
    await c.answer('lockoutMessageShown', 'answer.yes');
    await c.answer('identity.offerStartNow', 'identity.start');
    const { ticket } = await c.submitCard(IDENTITY[lang].typed);
    await c.press({ t: 'jump', topic: 'codeRejected' });
    c.ticketRatingAsked(ticket!.id);
    const rated = await c.say('５');
    expect(rated.fact).toEqual({ flow: 'troubleshooting', step: 'codeRejectedOtherService', rating: { value: 5, about: 'ticket' } });
    expect(rated.ticket?.id).toBe(ticket!.id);
    expect(c.texts()[0]).toBe(t()('common:rating.thanks'));
    expect(c.texts().at(-1)).toBe(t()('troubleshooting:codeRejected.loggedIn'));
    // The digit counted once; "1" now answers the step again.
    expect((await c.say('1')).fact?.step).toBe('resolvedConfirm');
  });

  it('a 2FA code or a longer number is never a rating', async () => {
    const c = chat(harness, lang, `code-${lang}`);
    await c.press({ t: 'jump', topic: 'codeRejected' });
    c.ticketRatingAsked('TFA-ABCDEFGH');
    const code = await c.say('[redacted:otp]');
    expect(code.fact?.rating).toBeUndefined();
    c.ticketRatingAsked('TFA-ABCDEFGH');
    for (const text of ['55', '6', '0', '12345', '5 5']) {
      const r = await c.say(text);
      expect(r.fact?.rating, text).toBeUndefined();
      c.ticketRatingAsked('TFA-ABCDEFGH');
    }
  });

  it('out of scope: the typed question and the clarifying question\'s "something else"', async () => {
    const c = chat(harness, lang, `scope-${lang}`);
    const typed = await c.say(lang === 'ja' ? 'ビットコインの価格は？' : 'what is the bitcoin price today');
    expect(typed.fact?.ending).toEqual({ kind: 'out_of_scope' });
    expect(typed.fact?.notUnderstood).toBeUndefined();
    const pressed = await c.press({ t: 'command', command: 'outOfScope' });
    expect(pressed.fact?.ending).toEqual({ kind: 'out_of_scope' });
  });

  it('free text the bot cannot place is kept, as received; an answer or a button is not', async () => {
    const c = chat(harness, lang, `text-${lang}`);
    const gibberish = 'qwzx vbnm plkj';
    const menu = await c.say(gibberish);
    expect(menu.fact?.notUnderstood).toBe(gibberish);
    expect(menu.fact?.step).toBe('mainMenu');
    await c.press({ t: 'jump', topic: 'codeRejected' });
    const mid = await c.say(gibberish);
    expect(mid.fact).toEqual({ flow: 'troubleshooting', step: 'codeRejectedOtherService', notUnderstood: gibberish });
    const understood = await c.say(lang === 'ja' ? 'できた' : 'it worked');
    expect(understood.fact?.notUnderstood).toBeUndefined();
    // Only a secret the middleware replaced: the warning is the answer, nothing to improve the guide with.
    const marker = await c.say('[redacted:otp]');
    expect(marker.fact?.notUnderstood).toBeUndefined();
  });

  it('advice read to its end is a resolved ending too; "no" there offers a person', async () => {
    const c = chat(harness, lang, `advice-${lang}`);
    await c.press({ t: 'jump', topic: 'methodsOverview' });
    const shown = await c.answer('methodsOverview', 'answer.ok');
    expect(shown.fact).toEqual({ flow: 'troubleshooting', step: 'informedConfirm', ending: { kind: 'resolved' } });
    expect(c.texts().at(-1)).toBe(t()('troubleshooting:solved.informedPrompt'));
    const no = await c.answer('informedConfirm', 'answer.no');
    expect(no.fact).toEqual({ flow: 'troubleshooting', step: 'notSolved', solved: false });
    expect(c.buttons()[0]).toBe(t()('options:talkToAgent.label'));
  });
});
