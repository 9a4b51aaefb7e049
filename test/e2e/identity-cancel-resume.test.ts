/**
 * Issue 3: the customer can cancel identity collection at any field (button or typed word) and
 * nothing they entered is kept; and a restart of the process in the middle of it loses nothing:
 * the next message continues at the same field with the earlier answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotHarness } from '../helpers/bot-harness.js';
import {
  adaptiveCardOf,
  askedStep,
  atMainMenu,
  cardInputs,
  cardReasons,
  Customer,
  LANGS,
  LOCALE,
  textOf,
  TICKET_ID,
  type Lang,
} from './support/customer.js';
import { conversationState, rowsAsText, stateRow, tempDatabaseFile } from './support/evidence.js';
import { IDENTITY } from './support/scenarios.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((f) => f()));

function open(lang: Lang, channelId: string, databaseFile?: string): Customer {
  const harness = new BotHarness({ locale: LOCALE[lang], channelId, ...(databaseFile ? { databaseFile } : {}) });
  cleanups.push(() => harness.close());
  return new Customer(harness, lang);
}

const FIELDS = ['email', 'fullName', 'dateOfBirth', 'phoneLast4', 'description'] as const;
type Field = (typeof FIELDS)[number];

/** Typed values for the step questions (phone digits given, so the description comes after them). */
function answers(lang: Lang): Record<Field, string> {
  const { typed } = IDENTITY[lang];
  return { ...typed, phoneLast4: '2468' };
}

const TYPED_CANCEL: Readonly<Record<Lang, string>> = { ja: 'キャンセル', en: 'cancel' };
/** A customer who changes their mind says so in their own words; it must not become their name. */
const CHANGED_MIND: Readonly<Record<Lang, string>> = { ja: 'やっぱりいいです', en: 'never mind' };

async function startHandoff(c: Customer): Promise<void> {
  await c.join();
  await c.pressOption('appDeleted');
  await c.pressOption('no');
  // No backup: asked whether to start the procedure now (issue 15).
  await c.press(c.t('identity:options.startNow.label'));
}

function expectCancelled(c: Customer): void {
  expect(c.last[0]!.text).toBe(c.t('identity:cancelled'));
  expect(c.last[0]!.text).toContain(c.lang === 'ja' ? '中止しました' : 'cancelled');
  expect(atMainMenu(c.last)).toBe(true);
}

describe.each(LANGS)('cancel (%s)', (lang) => {
  describe.each(FIELDS)('step by step, at %s', (field) => {
    it.each(['button', 'typed', 'changed mind'] as const)('by %s: nothing stored, back at the menu, a new start asks from the first field', async (how) => {
      const c = open(lang, 'test');
      await startHandoff(c);
      const given = answers(lang);
      for (const f of FIELDS.slice(0, FIELDS.indexOf(field))) await c.say(given[f]);
      expect(c.last.some((r) => r.text === c.t(`identity:ask.${field}`)), `asked ${field}`).toBe(true);

      if (how === 'button') await c.press(c.t('identity:options.cancel.label'));
      else await c.say(how === 'typed' ? TYPED_CANCEL[lang] : CHANGED_MIND[lang]);
      expectCancelled(c);

      const db = c.harness.services.db;
      expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toEqual([]);
      expect(rowsAsText(db, 'tickets')).toEqual([]);
      const state = conversationState(db, 'test', 'Convo1')!;
      expect(state['handoff']).toBeUndefined();
      expect((state['flow'] as { name: string }).name).toBe('troubleshooting');
      const row = stateRow(db, 'test', 'Convo1')!.data;
      for (const f of FIELDS.slice(0, FIELDS.indexOf(field))) expect(row, `${f} kept in state`).not.toContain(given[f]);

      // Starting again asks everything again, from the first field.
      await c.pressOption('appDeleted');
      await c.pressOption('no');
      await c.press(c.t('identity:options.startNow.label'));
      expect(c.last.some((r) => r.text === c.t('identity:ask.email'))).toBe(true);
    });
  });

  it.each(['button', 'typed'] as const)('on the card, by %s: nothing stored, the next card is empty', async (how) => {
    const c = open(lang, 'webchat');
    await startHandoff(c);
    // A rejected attempt first, so the card holds values that must not survive the cancel.
    await c.submitCard({ ...IDENTITY[lang].typed, dateOfBirth: '2030-05-01' });
    expect(cardInputs(adaptiveCardOf(c.last)!)['email']!.value).toBe(IDENTITY[lang].typed.email);

    if (how === 'button') {
      const card = adaptiveCardOf(c.last)!;
      const cancel = card.actions.find((a) => a.title === c.t('identity:options.cancel.label'));
      expect(cancel, 'cancel action on the card').toBeDefined();
      expect(cancel!.associatedInputs).toBe('none');
      await c.say({ value: cancel!.data });
    } else {
      await c.say(TYPED_CANCEL[lang]);
    }
    expectCancelled(c);
    expect(await c.harness.services.tickets.findForCustomer('webchat', 'user1')).toEqual([]);
    expect(stateRow(c.harness.services.db, 'webchat', 'Convo1')!.data).not.toContain(IDENTITY[lang].typed.email);

    await c.pressOption('appDeleted');
    await c.pressOption('no');

    await c.press(c.t('identity:options.startNow.label'));
    const card = adaptiveCardOf(c.last)!;
    expect(cardReasons(card)).toEqual([]);
    for (const input of Object.values(cardInputs(card))) {
      expect(input.value ?? '', input.id).toBe('');
      // At most the "please enter" hint of a required input, no reason from before.
      if (input.errorMessage !== undefined) expect(input.errorMessage, input.id).toBe(c.t(`identity:errors.${input.id}.required`));
    }
  });
});

describe.each(LANGS)('resume after a restart (%s)', (lang) => {
  it('step by step: the next message continues at the same field with the earlier answers kept', async () => {
    const { file, remove } = tempDatabaseFile();
    cleanups.push(remove);
    const before = open(lang, 'test', file);
    await startHandoff(before);
    const given = answers(lang);
    await before.say(given.email);
    await before.say(given.fullName);
    // A rejected answer too: the restart must not lose the position after a re-ask either.
    await before.say('2023-02-30');
    expect(before.last.some((r) => r.text === before.t('identity:ask.dateOfBirth'))).toBe(true);
    before.harness.close();
    cleanups.pop();

    const after = open(lang, 'test', file);
    await after.say(given.dateOfBirth);
    expect(after.last.map((r) => r.text)).toEqual([after.t('identity:ask.phoneLast4')]);
    await after.press(after.t('identity:options.skip.label'));
    await after.say(given.description);
    await after.press(after.t('identity:options.confirm.label'));
    const id = TICKET_ID.exec(textOf(after.last))?.[0];
    expect(id, textOf(after.last)).toBeDefined();
    const ticket = await after.harness.services.tickets.get(id!);
    // Skipped after the restart: no phone digits.
    const { phoneLast4: _skipped, ...stored } = IDENTITY[lang].stored;
    expect(ticket!.claims).toEqual(stored);
    expect(ticket).toMatchObject({ reason: 'app_lost_no_backup', language: lang, path: ['appDeletedHasBackup'] });
  });

  it('by card: after a restart the card comes back with what was typed', async () => {
    const { file, remove } = tempDatabaseFile();
    cleanups.push(remove);
    const before = open(lang, 'webchat', file);
    await startHandoff(before);
    const typed = { ...IDENTITY[lang].typed, phoneLast4: '12' };
    await before.submitCard(typed);
    expect(cardReasons(adaptiveCardOf(before.last)!)).toEqual([before.t('identity:errors.phoneLast4.invalid')]);
    before.harness.close();
    cleanups.pop();

    const after = open(lang, 'webchat', file);
    await after.say(lang === 'ja' ? 'まだですか' : 'hello?');
    const inputs = cardInputs(adaptiveCardOf(after.last)!);
    for (const f of FIELDS) expect(inputs[f]!.value, f).toBe(typed[f]);
    await after.submitCard({ ...typed, phoneLast4: '1212' });
    const id = TICKET_ID.exec(textOf(after.last))?.[0];
    expect(id, textOf(after.last)).toBeDefined();
    expect((await after.harness.services.tickets.get(id!))!.claims).toEqual({ ...IDENTITY[lang].stored, phoneLast4: '1212' });
    expect(askedStep(after.last)).toBeUndefined();
  });
});
