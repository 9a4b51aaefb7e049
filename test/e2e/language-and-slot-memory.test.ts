/**
 * Regressions found by the end-to-end tests: the language a customer writes in sticks over the
 * channel's locale, a whole English sentence is answered in English, "agent" after a failed
 * verification resubmits to that ticket, and a number-change slot given before the method is kept.
 */
import { describe, expect, it } from 'vitest';
import { askedStep, customerFactory, expectLanguage, textOf, TICKET_ID } from './support/customer.js';
import { HANDOFF_FRAGMENTS, IDENTITY } from './support/scenarios.js';

const customer = customerFactory();

describe('the language the customer writes in outranks the channel locale on later turns', () => {
  it('English text in a ja-JP client, then the English "No" button: the handoff stays in English', async () => {
    const c = customer('ja');
    await c.join();
    await c.say('I deleted google authenticator');
    expectLanguage(c, 'en');
    await c.press('No');
    expect(textOf(c.last)).toContain(HANDOFF_FRAGMENTS.en.switch[0]);
    expectLanguage(c, 'en');
  });
});

describe('an English sentence that contains a menu word is answered in English', () => {
  it('"my phone was stolen" in a ja-JP client is answered in English', async () => {
    const c = customer('ja');
    await c.join();
    await c.say('my phone was stolen');
    expect(askedStep(c.last)).toBe('phoneLostMethod');
    expectLanguage(c, 'en');
  });
});

describe('after a failed verification, "agent" (as the notification says) resubmits', () => {
  it('the claims go to the failed ticket, not to a new customer_requested one', async () => {
    const c = customer('en');
    const tickets = c.harness.services.tickets;
    await c.join();
    await c.pressOption('appDeleted');
    await c.pressOption('no');
    await c.startIfAsked();
    const { typed } = IDENTITY.en;
    for (const a of [typed.email, typed.fullName, typed.dateOfBirth, '4321', typed.description]) await c.say(a);
    await c.confirmIfAsked();
    const id = TICKET_ID.exec(textOf(c.last))![0];
    await c.harness.services.agentTickets.failVerification(id, 'agent-a', 'details_do_not_match');
    // tickets:notify.verificationFailed: 'Please type "agent" in this chat to send your details again'
    await c.say('agent');
    for (const a of [typed.email, typed.fullName, '1990-01-30', '4321', typed.description]) await c.say(a);
    await c.confirmIfAsked();
    expect(TICKET_ID.exec(textOf(c.last))?.[0]).toBe(id);
    expect(await tickets.findForCustomer('test', 'user1')).toHaveLength(1);
  });
});

describe('a number-change slot given before the method is kept ("keeping my number")', () => {
  it('after choosing SMS, the customer is not asked again whether the number changes', async () => {
    const c = customer('en');
    await c.join();
    await c.say('switching phones, keeping my number');
    expect(askedStep(c.last)).toBe('phoneReplacementMethod');
    await c.pressOption('sms');
    expect(askedStep(c.last)).toBe('phoneReplacementNoChangeNeeded');
  });
});

