/**
 * Issue 3: a handoff never opens a second ticket for the same problem (the same conversation
 * reaching the same handoff again, or the channel redelivering the same activity), and "what
 * is the status of my ticket?" answers in either language with the customer's own tickets only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ActivityTypes } from 'botbuilder';
import { BotHarness } from '../helpers/bot-harness.js';
import { adaptiveCardOf, atMainMenu, Customer, hasJapanese, LANGS, LOCALE, textOf, TICKET_ID, type Lang } from './support/customer.js';
import { restoreStateRow, stateRow, tempDatabaseFile } from './support/evidence.js';
import { IDENTITY } from './support/scenarios.js';

const harnesses: BotHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.close()));

function harness(channelId: string, lang: Lang = 'ja'): BotHarness {
  const h = new BotHarness({ locale: LOCALE[lang], channelId });
  harnesses.push(h);
  return h;
}

function ticketIdIn(c: Customer): string {
  const id = TICKET_ID.exec(textOf(c.last))?.[0];
  expect(id, textOf(c.last)).toBeDefined();
  return id!;
}

/** Reaches the "no backup" handoff of a deleted app (reason app_lost_no_backup). */
async function appLostHandoff(c: Customer): Promise<void> {
  await c.pressOption('appDeleted');
  await c.pressOption('no');
  await c.startIfAsked();
}

async function answerSteps(c: Customer): Promise<void> {
  const { typed } = IDENTITY[c.lang];
  for (const answer of [typed.email, typed.fullName, typed.dateOfBirth, '4321', typed.description]) await c.say(answer);
  await c.confirmIfAsked();
}

describe.each(LANGS)('one ticket per problem (%s)', (lang) => {
  it('the same conversation reaching the same handoff again gets the open ticket, not a second one', async () => {
    const c = new Customer(harness('test', lang), lang);
    await c.join();
    await appLostHandoff(c);
    await answerSteps(c);
    const id = ticketIdIn(c);

    await c.press(c.t('common:buttons.menu'));
    await appLostHandoff(c);
    const text = textOf(c.last);
    expect(text).toContain(id);
    expect(text).toContain(c.t('handoff:existingTicket', { ticketId: id, status: c.t('tickets:status.awaiting_verification') }));
    expect(text).toContain(lang === 'ja' ? 'すでに受付番号' : 'We already have this request');
    expect(text).toContain(lang === 'ja' ? '本人確認待ち' : 'awaiting identity verification');
    // No identity questions again, and the customer can carry on from the menu.
    expect(text).not.toContain(c.t('identity:ask.email'));
    expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toHaveLength(1);

    // Still true after an agent has verified it (still open).
    await c.harness.services.agentTickets.verifyIdentity(id, 'agent-a');
    await c.say(lang === 'ja' ? '最初から' : 'start over');
    await appLostHandoff(c);
    expect(textOf(c.last)).toContain(c.t('tickets:status.verified'));
    expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toHaveLength(1);
  });

  it('asking for a person while a ticket is open in the conversation points to that ticket instead of a second verification', async () => {
    const c = new Customer(harness('test', lang), lang);
    await c.join();
    await appLostHandoff(c);
    await answerSteps(c);
    const id = ticketIdIn(c);

    await c.say(lang === 'ja' ? '担当者と話したい' : 'talk to a human');
    const text = textOf(c.last);
    expect(text).toContain(c.t('handoff:existingTicket', { ticketId: id, status: c.t('tickets:status.awaiting_verification') }));
    expect(text).not.toContain(c.t('identity:ask.email'));
    expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toHaveLength(1);

    // Once that ticket is finished, asking for a person opens a new request as usual.
    await c.harness.services.tickets.close(id, { kind: 'agent', id: 'agent-a' }, 'other', 'done');
    await c.say(lang === 'ja' ? '担当者と話したい' : 'talk to a human');
    await c.startIfAsked();
    expect(c.last.some((r) => r.text === c.t('identity:ask.email'))).toBe(true);
  });

  it('another reason, or the same one after the ticket is finished, opens a new ticket', async () => {
    const c = new Customer(harness('test', lang), lang);
    await c.join();
    await appLostHandoff(c);
    await answerSteps(c);
    const first = ticketIdIn(c);

    await c.press(c.t('common:buttons.menu'));
    await c.pressOption('callNotReceived');
    await c.pressOption('no');
    await c.startIfAsked();
    await answerSteps(c);
    const second = ticketIdIn(c);
    expect(second).not.toBe(first);
    expect((await c.harness.services.tickets.get(second))!.reason).toBe('registered_number_wrong');

    await c.harness.services.tickets.close(first, { kind: 'agent', id: 'agent-a' }, 'duplicate');
    await c.press(c.t('common:buttons.menu'));
    await appLostHandoff(c);
    await answerSteps(c);
    const third = ticketIdIn(c);
    expect([first, second]).not.toContain(third);
    expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toHaveLength(3);
  });

  it('after a failed verification, the same handoff asks for the claims again and resubmits them to the same ticket', async () => {
    const c = new Customer(harness('test', lang), lang);
    const tickets = c.harness.services.tickets;
    await c.join();
    await appLostHandoff(c);
    await answerSteps(c);
    const id = ticketIdIn(c);
    await c.harness.services.agentTickets.failVerification(id, 'agent-a', 'details_do_not_match', { note: 'date of birth does not match' });

    await c.press(c.t('common:buttons.menu'));
    await appLostHandoff(c);
    // Not "we already have this request": the customer is asked again.
    expect(textOf(c.last)).not.toContain(c.t('tickets:status.verification_failed'));
    expect(c.last.some((r) => r.text === c.t('identity:ask.email'))).toBe(true);
    const { typed } = IDENTITY[lang];
    for (const answer of [typed.email, typed.fullName, '1985-04-02', '4321', typed.description]) await c.say(answer);
    await c.confirmIfAsked();
    expect(ticketIdIn(c)).toBe(id);
    const ticket = await tickets.get(id);
    expect(ticket).toMatchObject({ status: 'awaiting_verification', claims: { dateOfBirth: '1985-04-02' } });
    expect(ticket!.history.map((h) => h.event)).toEqual(['ticket.opened', 'identity.rejected', 'claims.resubmitted']);
    expect(await tickets.findForCustomer('test', 'user1')).toHaveLength(1);
  });

  it('a redelivered card submission (same activity id) gives one ticket, also when redelivered concurrently', async () => {
    const h = harness('webchat', lang);
    const c = new Customer(h, lang);
    await c.join();
    await appLostHandoff(c);
    expect(adaptiveCardOf(c.last)).toBeDefined();
    const submission = { type: ActivityTypes.Message, id: 'submit-1', value: { t: 'identity', ...IDENTITY[lang].typed } };
    await c.send(submission);
    const id = ticketIdIn(c);
    // The channel retries the same activity: the answer is the ticket's number, not "I didn't catch that".
    await c.send(submission);
    expect(ticketIdIn(c)).toBe(id);
    expect(textOf(c.last)).toContain(c.t('handoff:detailsAlreadyReceived', { ticketId: id, status: c.t('tickets:status.awaiting_verification') }));
    expect(textOf(c.last)).not.toContain(c.t('common:notUnderstoodMenu'));
    // The customer presses submit again (a new activity) because the reply never arrived.
    await c.send({ ...submission, id: 'submit-1-again' });
    expect(ticketIdIn(c)).toBe(id);
    expect(textOf(c.last)).not.toContain(c.t('common:notUnderstoodMenu'));
    expect(await h.services.tickets.findForCustomer('webchat', 'user1')).toHaveLength(1);

    // Another conversation: the same submission delivered twice at once.
    const d = new Customer(h, lang, { userId: 'user2', conversationId: 'conv-concurrent' });
    await d.join();
    await appLostHandoff(d);
    const twice = { ...submission, id: 'submit-2', ...d.extra() };
    await Promise.all([h.adapter.receiveActivity({ ...twice }), h.adapter.receiveActivity({ ...twice })]);
    const replies = h.adapter.activeQueue.splice(0);
    const ids = new Set(replies.flatMap((r) => (r.text ?? '').match(TICKET_ID) ?? []));
    expect(ids.size).toBe(1);
    expect(await h.services.tickets.findForCustomer('webchat', 'user2')).toHaveLength(1);
    expect(id).not.toBe([...ids][0]);
  });

  it('a redelivery after the state write was lost (crash between ticket and state) returns the same ticket', async () => {
    const h = harness('test', lang);
    const c = new Customer(h, lang);
    await c.join();
    await appLostHandoff(c);
    const { typed } = IDENTITY[lang];
    for (const answer of [typed.email, typed.fullName, typed.dateOfBirth, '4321', typed.description]) await c.say(answer);
    const before = stateRow(h.services.db, 'test', 'Convo1')!;
    // The last answer is the summary's "Confirm" (issue 15), typed.
    const last = { type: ActivityTypes.Message, id: 'final-answer', text: c.t('identity:options.confirm.label') };
    await c.send(last);
    const id = ticketIdIn(c);
    // The process died before the conversation state was saved: the old state comes back…
    restoreStateRow(h.services.db, before);
    // …and the channel redelivers the same activity.
    await c.send(last);
    expect(ticketIdIn(c)).toBe(id);
    expect(await h.services.tickets.findForCustomer('test', 'user1')).toHaveLength(1);
    expect(atMainMenu(c.last)).toBe(false);
  });
});

describe('ticket status: own tickets only, in the customer’s language', () => {
  it('two customers in two conversations each see their own tickets; a third sees none', async () => {
    const h = harness('test');
    const hanako = new Customer(h, 'ja', { userId: 'hanako', conversationId: 'conv-hanako' });
    const john = new Customer(h, 'en', { userId: 'john', conversationId: 'conv-john' });
    const nobody = new Customer(h, 'en', { userId: 'nobody', conversationId: 'conv-nobody' });

    await hanako.join();
    await appLostHandoff(hanako);
    await answerSteps(hanako);
    const hanakoTicket = ticketIdIn(hanako);
    await john.join();
    await john.pressOption('lockout');
    await john.pressOption('yes');
    await answerSteps(john);
    const johnTicket = ticketIdIn(john);

    // Typed in Japanese.
    await hanako.say('問い合わせ状況');
    let text = textOf(hanako.last);
    expect(text).toContain('お客様のお問い合わせ状況です');
    expect(text).toContain(hanakoTicket);
    expect(text).toContain('本人確認待ち');
    expect(text).toContain('認証アプリが使えない');
    expect(text).not.toContain(johnTicket);
    expect(hasJapanese(hanako.last[0]!.text)).toBe(true);
    // The button's label 「お問い合わせ状況」 typed is the status too, not 「お問い合わせ」 (a person).
    await hanako.say(hanako.t('common:buttons.status'));
    expect(textOf(hanako.last)).toContain('お客様のお問い合わせ状況です');

    // Free text in English, from the English customer.
    await john.say("what's the status of my ticket");
    text = textOf(john.last);
    expect(text).toContain('Here are your support requests');
    expect(text).toContain(johnTicket);
    expect(text).toContain('awaiting identity verification');
    expect(text).toContain('login restriction');
    expect(text).not.toContain(hanakoTicket);
    expect(hasJapanese(john.last[0]!.text)).toBe(false);

    // The status button shown with the ticket.
    await john.say('start over');
    await john.pressOption('callNotReceived');
    await john.pressOption('no');
    await answerSteps(john);
    const johnSecond = ticketIdIn(john);
    await john.press(john.t('common:buttons.status'));
    text = textOf(john.last);
    expect(text).toContain(johnTicket);
    expect(text).toContain(johnSecond);
    expect(text).not.toContain(hanakoTicket);

    // A status change shows up; still only one's own.
    await h.services.agentTickets.verifyIdentity(hanakoTicket, 'agent-a');
    await hanako.say('チケットの状況を教えて');
    text = textOf(hanako.last);
    expect(text).toContain(hanakoTicket);
    expect(text).toContain('本人確認済み');
    expect(text).not.toContain(johnTicket);
    expect(text).not.toContain(johnSecond);

    for (const phrase of ['ticket status', "what's the status of my ticket"]) {
      await nobody.join();
      await nobody.say(phrase);
      text = textOf(nobody.last);
      expect(text).toContain('You have no support requests with us');
      expect(text).not.toMatch(TICKET_ID);
    }
    const nadeshiko = new Customer(h, 'ja', { userId: 'nadeshiko', conversationId: 'conv-nadeshiko' });
    await nadeshiko.join();
    await nadeshiko.say('問い合わせ状況');
    expect(textOf(nadeshiko.last)).toContain('現在、お客様のお問い合わせはありません');
    expect(textOf(nadeshiko.last)).not.toMatch(TICKET_ID);
  });

  it('the same user id on another channel is another customer (one database, two channels)', async () => {
    const { file, remove } = tempDatabaseFile();
    try {
      const test = new BotHarness({ channelId: 'test', databaseFile: file });
      const slack = new BotHarness({ channelId: 'slack', databaseFile: file });
      harnesses.push(test, slack);
      const a = new Customer(test, 'en');
      await a.join();
      await appLostHandoff(a);
      await answerSteps(a);
      const id = ticketIdIn(a);
      const b = new Customer(slack, 'en');
      await b.join();
      await b.say('ticket status');
      expect(textOf(b.last)).toContain('You have no support requests with us');
      expect(textOf(b.last)).not.toContain(id);
      // The ticket is there for the right customer, through the other connection too.
      expect((await slack.services.tickets.findForCustomer('test', 'user1')).map((t) => t.id)).toEqual([id]);
    } finally {
      harnesses.splice(0).forEach((h) => h.close());
      remove();
    }
  });
});
