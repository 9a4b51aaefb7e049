/**
 * Issue 3, "In the chat": every handoff reason reached through the real troubleshooting flow, in
 * both languages, with identity collected by Adaptive Card (webchat) and one question per field
 * (test / slack channels), ending with a ticket that holds everything the agent needs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffReason } from '../../flows/outcome.js';
import { BotHarness } from '../helpers/bot-harness.js';
import {
  adaptiveCardOf,
  askedStep,
  atMainMenu,
  cardInputs,
  countText,
  Customer,
  hasJapanese,
  LANGS,
  lastButtons,
  LOCALE,
  textOf,
  TICKET_ID,
  type Lang,
} from './support/customer.js';
import type { SeenReply } from '../helpers/bot-harness.js';
import {
  afterVerification,
  askedBeforeProcedure,
  HANDOFF_FRAGMENTS,
  HANDOFF_ROUTES,
  handoffKind,
  IDENTITY,
  NEVER_PROMISED,
  REASONS,
  TICKET_FRAGMENTS,
} from './support/scenarios.js';

type Mode = 'card' | 'steps';

const harnesses: BotHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.close()));

function open(lang: Lang, channelId: string): Customer {
  const harness = new BotHarness({ locale: LOCALE[lang], channelId });
  harnesses.push(harness);
  return new Customer(harness, lang);
}

/** Steps mode alternates the two non-card channels; card mode is Web Chat. */
function channelFor(mode: Mode, lang: Lang): string {
  if (mode === 'card') return 'webchat';
  return lang === 'ja' ? 'test' : 'slack';
}

/** Walks the route from the main menu; in steps mode the customer types (labels in ja, option numbers in en). */
async function walkToHandoff(c: Customer, reason: HandoffReason, mode: Mode): Promise<void> {
  const route = HANDOFF_ROUTES[reason];
  await c.join();
  expect(atMainMenu(c.last)).toBe(true);
  for (const [i, option] of route.options.entries()) {
    if (i > 0) expect(askedStep(c.last), `question before option ${option}`).toBe(route.path[i - 1]);
    if (mode === 'card') await c.pressOption(option);
    else if (c.lang === 'ja') await c.typeOption(option);
    else {
      // The number of the option among the buttons of the current question.
      const index = lastButtons(c.last).indexOf(c.t(`options:${option}.label`));
      expect(index, `${option} offered`).toBeGreaterThanOrEqual(0);
      await c.say(String(index + 1));
    }
  }
}

function expectHandoffExplained(c: Customer, reason: HandoffReason): void {
  const fragments = HANDOFF_FRAGMENTS[c.lang];
  const kind = handoffKind(reason);
  const text = textOf(c.last);
  for (const f of fragments[kind]) expect(text).toContain(f);
  // One story per reason: what support will do for this reason, and none of the others.
  for (const other of (['switch', 'number', 'unlock', 'review'] as const).filter((k) => k !== kind)) expect(text).not.toContain(fragments[other][0]);
  for (const word of NEVER_PROMISED[c.lang]) expect(text.toLowerCase()).not.toContain(word.toLowerCase());
  // The secrets notice: once, as a message of its own.
  const notices = c.last.filter((r) => fragments.secretsNotice.every((f) => r.text.includes(f)));
  expect(notices).toHaveLength(1);
  for (const r of c.last) {
    if (c.lang === 'en') expect(hasJapanese(r.text), r.text).toBe(false);
    else if (r.text !== '') expect(hasJapanese(r.text), r.text).toBe(true);
  }
}

/** Issue 15: after "no backup", "start now?"; for a person, "a question or the procedure?" with the contact. Starts it. */
async function startProcedure(c: Customer, reason: HandoffReason): Promise<readonly SeenReply[]> {
  const asked = askedBeforeProcedure(reason);
  if (!asked) return [];
  const before = c.last;
  expect(textOf(before)).toContain(c.t(`identity:offer.${asked}`));
  const [start, decline] = asked === 'startNow' ? ['startNow', 'notNow'] : ['startProcedure', 'onlyQuestion'];
  expect(lastButtons(before)).toEqual([c.t(`identity:options.${start}.label`), c.t(`identity:options.${decline}.label`)]);
  // No identity question or form yet, and no secrets notice before the procedure starts.
  expect(adaptiveCardOf(before)).toBeUndefined();
  expect(textOf(before)).not.toContain(c.t('identity:ask.email'));
  if (asked === 'contactOrProcedure') expect(textOf(before)).toContain('https://support.coin.z.com/hc/ja');
  await c.press(c.t(`identity:options.${start}.label`));
  return before;
}

async function giveIdentityByCard(c: Customer): Promise<void> {
  const card = adaptiveCardOf(c.last);
  expect(card, 'identity card').toBeDefined();
  expect(card!.type).toBe('AdaptiveCard');
  expect(Number.parseFloat(card!.version)).toBeLessThanOrEqual(1.5);
  const inputs = cardInputs(card!);
  expect(Object.keys(inputs).sort()).toEqual(['dateOfBirth', 'description', 'email', 'fullName', 'phoneLast4']);
  for (const id of ['email', 'fullName', 'dateOfBirth', 'description']) expect(inputs[id]!.isRequired, id).toBe(true);
  expect(inputs['phoneLast4']!.isRequired ?? false).toBe(false);
  expect(inputs['dateOfBirth']!.type).toBe('Input.Date');
  for (const input of Object.values(inputs)) {
    expect(input.label, input.id).toBeTruthy();
    expect(hasJapanese(input.label!), input.label).toBe(c.lang === 'ja');
    expect(input.value ?? '').toBe('');
  }
  const submit = card!.actions.find((a) => a.type === 'Action.Submit' && a.data?.['t'] === 'identity');
  expect(submit, 'submit action').toBeDefined();
  expect(card!.actions.every((a) => a.type === 'Action.Submit')).toBe(true);
  const { typed } = IDENTITY[c.lang];
  // Web Chat sends every input, "" for an empty optional one.
  await c.submitCard({ ...typed, phoneLast4: typed.phoneLast4 ?? '' });
}

async function giveIdentityStepByStep(c: Customer): Promise<void> {
  const t = c.t;
  const { typed } = IDENTITY[c.lang];
  const askedFields = (): string[] =>
    (['email', 'fullName', 'dateOfBirth', 'phoneLast4', 'description'] as const).filter((f) => c.last.some((r) => r.text === t(`identity:ask.${f}`)));
  expect(adaptiveCardOf(c.last)).toBeUndefined();
  expect(askedFields()).toEqual(['email']);
  expect(lastButtons(c.last)).toEqual([t('identity:options.cancel.label')]);
  await c.say(typed.email);
  expect(askedFields()).toEqual(['fullName']);
  await c.say(typed.fullName);
  expect(askedFields()).toEqual(['dateOfBirth']);
  await c.say(typed.dateOfBirth);
  expect(askedFields()).toEqual(['phoneLast4']);
  // Optional: a Skip button beside Cancel.
  expect(lastButtons(c.last)).toEqual([t('identity:options.skip.label'), t('identity:options.cancel.label')]);
  if (typed.phoneLast4) await c.say(typed.phoneLast4);
  else await c.press(t('identity:options.skip.label'));
  expect(askedFields()).toEqual(['description']);
  await c.say(typed.description);
  // Issue 15: what was typed, shown back, confirmed before the ticket is created.
  const summary = textOf(c.last);
  expect(summary).toContain(t('identity:review.header'));
  expect(summary).toContain(IDENTITY[c.lang].stored.email);
  expect(summary).toContain(IDENTITY[c.lang].stored.dateOfBirth);
  expect(TICKET_ID.test(summary)).toBe(false);
  await c.press(t('identity:options.confirm.label'));
}

describe.each(LANGS)('every handoff reason end to end (%s)', (lang) => {
  describe.each(['card', 'steps'] as const)('identity by %s', (mode) => {
    it.each(REASONS)('%s', async (reason) => {
      const channelId = channelFor(mode, lang);
      const c = open(lang, channelId);
      await walkToHandoff(c, reason, mode);
      const asked = await startProcedure(c, reason);
      // Asked first, the explanation came with the question ("start now?") or comes now (a person).
      const explained = { ...c, last: [...asked, ...c.last] } as Customer;
      expectHandoffExplained(explained, reason);

      if (mode === 'card') await giveIdentityByCard(c);
      else await giveIdentityStepByStep(c);

      // The closing: the ticket number and what to expect, with the status and menu buttons.
      const text = textOf(c.last);
      const id = TICKET_ID.exec(text)?.[0];
      expect(id, text).toBeDefined();
      const fragments = TICKET_FRAGMENTS[lang];
      const next = { unlock: fragments.nextUnlock, switch: fragments.nextSwitch, number: fragments.nextNumber, review: fragments.nextReview }[afterVerification(reason)];
      for (const f of [...fragments.created, ...next]) expect(text).toContain(f);
      // One story per reason: the closing promises what the desk approves for it, and nothing else.
      const others = (['unlock', 'switch', 'number', 'review'] as const).filter((k) => k !== afterVerification(reason));
      const firstOf = { unlock: fragments.nextUnlock[0]!, switch: fragments.nextSwitch[0]!, number: fragments.nextNumber[0]!, review: fragments.nextReview[0]! };
      for (const other of others) expect(text).not.toContain(firstOf[other]);
      if (afterVerification(reason) !== 'switch') expect(text).not.toContain(lang === 'ja' ? '出金を停止' : 'withdrawals are paused');
      expect(lastButtons(c.last)).toEqual([c.t('common:buttons.status'), c.t('common:buttons.menu')]);

      const ticket = await c.harness.services.tickets.get(id!);
      expect(ticket).toBeDefined();
      const route = HANDOFF_ROUTES[reason];
      expect(ticket).toMatchObject({
        id,
        reason,
        language: lang,
        channelId,
        userId: 'user1',
        conversationId: 'Convo1',
        status: 'awaiting_verification',
        claims: IDENTITY[lang].stored,
        path: route.path,
        stepsTried: route.tried,
      });
      // Only the claims given: no phone digits when skipped.
      expect(Object.keys(ticket!.claims).sort()).toEqual(Object.keys(IDENTITY[lang].stored).sort());
      // Enough to reach the customer again, and nothing they said.
      expect(ticket!.conversationReference).toMatchObject({
        channelId,
        conversation: { id: 'Convo1' },
        user: { id: 'user1' },
        serviceUrl: expect.any(String),
      });
      expect(JSON.stringify(ticket!.conversationReference)).not.toContain(IDENTITY[lang].typed.email);
      expect(ticket!.history).toHaveLength(1);
      expect(ticket!.history[0]).toMatchObject({ actor: { kind: 'customer', id: 'user1' }, from: null, to: 'awaiting_verification' });
      expect(await c.harness.services.tickets.findForCustomer(channelId, 'user1')).toHaveLength(1);
    });
  });
});

describe.each(LANGS)('the secrets notice is shown once per conversation (%s)', (lang) => {
  it('not again after a cancelled handoff, nor at a second handoff with another reason; again in a new conversation', async () => {
    const c = open(lang, 'test');
    const notice = c.t('handoff:secretsNotice');
    await c.join();
    await c.pressOption('callNotReceived');
    await c.pressOption('no');
    expect(countText(c.last, notice)).toBe(1);
    await c.press(c.t('identity:options.cancel.label'));
    expect(atMainMenu(c.last)).toBe(true);

    // The same handoff again: explained again, but no second notice.
    await c.pressOption('callNotReceived');
    await c.pressOption('no');
    expect(textOf(c.last)).toContain(HANDOFF_FRAGMENTS[lang].number[0]);
    expect(countText(c.last, notice)).toBe(0);
    const { typed } = IDENTITY[lang];
    for (const answer of [typed.email, typed.fullName, typed.dateOfBirth, '1234', typed.description]) await c.say(answer);
    await c.press(c.t('identity:options.confirm.label'));
    expect(TICKET_ID.test(textOf(c.last))).toBe(true);

    // Another reason in the same conversation.
    await c.press(c.t('common:buttons.menu'));
    await c.pressOption('lockout');
    await c.pressOption('yes');
    expect(textOf(c.last)).toContain(HANDOFF_FRAGMENTS[lang].unlock[0]);
    expect(countText(c.last, notice)).toBe(0);

    // A new conversation of the same customer: shown again.
    const other = new Customer(c.harness, lang, { conversationId: 'second-conversation' });
    await other.join();
    await other.pressOption('lockout');
    await other.pressOption('yes');
    expect(countText(other.last, notice)).toBe(1);
  });
});
