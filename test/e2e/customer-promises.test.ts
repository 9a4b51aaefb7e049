/**
 * Issue 15, "What the customer is promised": a careful reading as a customer and a support lead.
 *
 * - One story per handoff reason, from the first message to the last notification: what support
 *   does is what the desk may approve for the reason (flows/ticket-lifecycle approvalActionFor), and
 *   nothing is promised that no reason is approved for (a reset, removing 2FA, setting it up again).
 * - The exchange's policies (verification time, withdrawal hold, age limit) are settings: said as
 *   "usually" with the support page, and 0 turns each off.
 * - Asking for a person offers the support contact (a question) beside the procedure (a change).
 * - After "no backup", the chat asks whether to start the procedure now before the form.
 * - The step-by-step identity answers end with a summary the customer confirms or corrects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffReason } from '../../flows/outcome.js';
import { approvalActionFor } from '../../flows/ticket-lifecycle/index.js';
import { notificationText } from '../../src/bot/customer-notifier.js';
import type { OutboxNotification } from '../../src/tickets/outbox/notification.js';
import { BotHarness } from '../helpers/bot-harness.js';
import type { SeenReply } from '../helpers/bot-harness.js';
import { atMainMenu, Customer, LANGS, LOCALE, textOf, TICKET_ID, type Lang } from './support/customer.js';
import { HANDOFF_ROUTES, IDENTITY, NEVER_PROMISED, REASONS } from './support/scenarios.js';

const SUPPORT_URL = 'https://support.coin.z.com/hc/ja';

const harnesses: BotHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.close()));

function open(lang: Lang, env: Record<string, string> = {}, channelId = 'test'): Customer {
  const harness = new BotHarness({ locale: LOCALE[lang], channelId, env });
  harnesses.push(harness);
  return new Customer(harness, lang);
}

async function walk(c: Customer, reason: HandoffReason): Promise<void> {
  await c.join();
  for (const option of HANDOFF_ROUTES[reason].options) await c.pressOption(option);
}

/** Types every identity answer (phone digits given) and confirms the summary. */
async function giveIdentity(c: Customer, dateOfBirth = IDENTITY[c.lang].typed.dateOfBirth): Promise<string> {
  const { typed } = IDENTITY[c.lang];
  for (const answer of [typed.email, typed.fullName, dateOfBirth, '2468', typed.description]) await c.say(answer);
  await c.press(c.t('identity:options.confirm.label'));
  const id = TICKET_ID.exec(textOf(c.last))?.[0];
  expect(id, textOf(c.last)).toBeDefined();
  return id!;
}

/** What each approval does, in words only its own story uses (the same words in every message). */
const ACTION_WORDS: Readonly<Record<Lang, Readonly<Record<'switch' | 'number' | 'unlock' | 'review', string>>>> = {
  en: { switch: 'to SMS or phone call', number: 'updat', unlock: 'login restriction', review: 'look into' },
  ja: { switch: 'SMSまたは電話に切り替え', number: '電話番号を変更', unlock: 'ログイン制限', review: 'について確認' },
};

function storyOf(reason: HandoffReason): 'switch' | 'number' | 'unlock' | 'review' {
  const action = approvalActionFor(reason);
  return action === 'switch_2fa_to_sms_or_voice' ? 'switch' : action === 'update_phone_number' ? 'number' : action === 'unlock_login' ? 'unlock' : 'review';
}

/** The notifications a ticket of this reason sends when all goes well, as the customer reads them. */
function notificationsOf(c: Customer, reason: HandoffReason, ticketId: string, holdHours: number): string[] {
  const action = approvalActionFor(reason) ?? undefined;
  const kinds: OutboxNotification['kind'][] = action ? ['verified', 'change_approved', 'change_carried_out'] : ['verified', 'resolved'];
  return kinds.map((kind) =>
    notificationText(
      c.harness.services.localizer,
      { kind, params: action ? { approvalAction: action } : {}, ticketId, language: c.lang } as unknown as OutboxNotification,
      holdHours,
    ),
  );
}

describe.each(LANGS)('one story per handoff reason, first message to last notification (%s)', (lang) => {
  it.each(REASONS)('%s', async (reason) => {
    const c = open(lang);
    await walk(c, reason);
    const chat: string[] = [textOf(c.last)];
    const offered = c.last.at(-1)?.text;
    await c.startIfAsked();
    chat.push(textOf(c.last));
    const id = await giveIdentity(c);
    chat.push(textOf(c.last));
    const story = [...chat, ...notificationsOf(c, reason, id, 24)];

    const own = storyOf(reason);
    const words = ACTION_WORDS[lang];
    // The action is named before the procedure, in the closing and in the last notification.
    expect(chat[0]! + chat[1]!, 'before the procedure').toContain(words[own]);
    expect(chat.at(-1), 'the closing').toContain(words[own]);
    if (own !== 'review') expect(story.at(-1), 'the last notification').toContain(words[own]);
    // …and no other action, nor anything no reason is approved for, anywhere in the story. (The
    // "a question or the procedure?" offer names the kinds of change as examples; it is left out.)
    const checked = story.map((text) => (offered && own === 'review' ? text.replace(offered, '') : text));
    for (const other of (['switch', 'number', 'unlock', 'review'] as const).filter((k) => k !== own)) {
      for (const text of checked) expect(text, `${other} in the ${own} story`).not.toContain(words[other]);
    }
    for (const text of story) for (const word of NEVER_PROMISED[lang]) expect(text.toLowerCase(), text).not.toContain(word.toLowerCase());
    // A withdrawal hold only where the 2FA method is switched.
    const hold = lang === 'ja' ? '出金' : 'withdrawal';
    expect(story.some((text) => text.includes(hold))).toBe(own === 'switch');
  });
});

describe.each(LANGS)("the exchange's policies are its settings (%s)", (lang) => {
  it('with the defaults: "usually", and the support page beside the verification time and the withdrawal hold', async () => {
    const c = open(lang);
    await walk(c, 'app_lost_no_backup');
    const explanation = textOf(c.last);
    expect(explanation).toContain(c.t('handoff:verificationTime', { hours: 48 }));
    expect(explanation).toContain(lang === 'ja' ? '通常48時間' : 'usually takes about 48 hours');
    expect(explanation).toContain(SUPPORT_URL);
    await c.startIfAsked();
    const id = await giveIdentity(c);
    expect(textOf(c.last)).toContain(lang === 'ja' ? '通常24時間ほど出金を停止' : 'withdrawals are usually paused for 24 hours');
    expect(notificationsOf(c, 'app_lost_no_backup', id, 24).at(-1)).toContain(c.t('tickets:notify.withdrawalHold', { holdHours: 24 }));
  });

  it.each(['app_lost_no_backup', 'login_lockout', 'customer_requested'] as const)(
    'each is said once in the conversation: the verification time with the explanation, the hold with the closing (%s)',
    async (reason) => {
      const c = open(lang);
      const seen: string[] = [];
      const keep = async (replies: Promise<SeenReply[]>) => void seen.push(textOf(await replies));
      await keep(c.join());
      for (const option of HANDOFF_ROUTES[reason].options) await keep(c.pressOption(option));
      const before = c.last;
      const afterStart = await c.startIfAsked();
      if (afterStart !== before) seen.push(textOf(afterStart));
      const { typed } = IDENTITY[lang];
      for (const answer of [typed.email, typed.fullName, typed.dateOfBirth, '2468', typed.description]) await keep(c.say(answer));
      await keep(c.press(c.t('identity:options.confirm.label')));
      expect(TICKET_ID.test(seen.at(-1)!), seen.at(-1)).toBe(true);
      const all = seen.join('\n');
      const times = (text: string) => all.split(text).length - 1;
      expect(times(c.t('handoff:verificationTime', { hours: 48 }))).toBe(1);
      expect(seen.at(-1)).not.toContain(c.t('handoff:verificationTime', { hours: 48 }));
      expect(times(c.t('handoff:withdrawalHold', { holdHours: 24 }))).toBe(approvalActionFor(reason) === 'switch_2fa_to_sms_or_voice' ? 1 : 0);
    },
  );

  it('0 turns each off: no verification time, no withdrawal hold, no age check', async () => {
    const c = open(lang, { VERIFICATION_HOURS_TOLD: '0', RESET_WITHDRAWAL_HOLD_HOURS: '0', MIN_CUSTOMER_AGE: '0' });
    await walk(c, 'app_lost_no_backup');
    await c.startIfAsked();
    const before = textOf(c.last);
    // A ten-year-old's date of birth is no longer refused.
    const young = `${new Date().getUTCFullYear() - 10}-01-01`;
    const id = await giveIdentity(c, young);
    const all = [before, textOf(c.last), ...notificationsOf(c, 'app_lost_no_backup', id, 0)].join('\n');
    for (const gone of lang === 'ja' ? ['時間ほどかかります', '出金'] : ['usually takes', 'withdrawal']) expect(all).not.toContain(gone);
    expect((await c.harness.services.tickets.get(id))!.claims.dateOfBirth).toBe(young);
  });

  it('the age limit is a setting: a too young date is asked again with the support page, never stated as the law', async () => {
    const c = open(lang, { MIN_CUSTOMER_AGE: '20' });
    await walk(c, 'login_lockout');
    const { typed } = IDENTITY[lang];
    for (const answer of [typed.email, typed.fullName]) await c.say(answer);
    await c.say(`${new Date().getUTCFullYear() - 19}-01-01`);
    expect(c.last.map((r) => r.text)).toEqual([c.t('identity:errors.dateOfBirth.tooYoung'), c.t('identity:ask.dateOfBirth')]);
    expect(c.last[0]!.text).toContain(SUPPORT_URL);
    expect(c.last[0]!.text).not.toMatch(/18|20/);
  });
});

describe.each(LANGS)('asking for a person (%s)', (lang) => {
  it('offers the support contact for a question beside the procedure; a question gets the contact, no form, no ticket', async () => {
    const c = open(lang);
    await c.join();
    await c.say(lang === 'ja' ? '担当者' : 'agent');
    const offer = c.last.at(-1)!;
    expect(offer.text).toBe(c.t('identity:offer.contactOrProcedure'));
    expect(offer.text).toContain(SUPPORT_URL);
    expect(offer.buttons).toEqual([c.t('identity:options.startProcedure.label'), c.t('identity:options.onlyQuestion.label')]);
    // Nothing of the procedure yet: no identity question, no 48-hour wait.
    expect(textOf(c.last)).not.toContain(c.t('identity:ask.email'));
    expect(textOf(c.last)).not.toContain(lang === 'ja' ? '48時間' : '48 hours');

    await c.say(lang === 'ja' ? '質問だけしたい' : 'I only have a question');
    expect(c.last.at(-1)!.text).toBe(c.t('identity:declined.question'));
    expect(c.last.at(-1)!.text).toContain(SUPPORT_URL);
    expect(c.last.at(-1)!.buttons).toEqual([c.t('common:buttons.menu')]);
    expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toEqual([]);
    await c.press(c.t('common:buttons.menu'));
    expect(atMainMenu(c.last)).toBe(true);
  });

  it('the procedure, chosen, says why identity is needed and how long it usually takes, then asks the first question', async () => {
    const c = open(lang);
    await c.join();
    await c.say(lang === 'ja' ? '担当者' : 'agent');
    await c.press(c.t('identity:options.startProcedure.label'));
    expect(textOf(c.last)).toContain(c.t('handoff:reviewNeedsIdentity'));
    expect(textOf(c.last)).toContain(c.t('handoff:secretsNotice'));
    expect(c.last.at(-1)!.text).toBe(c.t('identity:ask.email'));
    const id = await giveIdentity(c);
    expect((await c.harness.services.tickets.get(id))!.reason).toBe('customer_requested');
  });
});

describe.each(LANGS)('no backup: "start the procedure now?" before the form (%s)', (lang) => {
  it.each(['app_lost_no_backup', 'phone_lost_no_backup'] as const)('%s: not now gets the way back and the contact; start now gets the form', async (reason) => {
    const c = open(lang, {}, 'webchat');
    await walk(c, reason);
    expect(c.last.at(-1)!.text).toBe(c.t('identity:offer.startNow'));
    expect(c.last.at(-1)!.buttons).toEqual([c.t('identity:options.startNow.label'), c.t('identity:options.notNow.label')]);
    expect(c.last.some((r) => (r.activity.attachments ?? []).length > 0 && r.text === '')).toBe(false);

    await c.say(lang === 'ja' ? 'あとで' : 'later');
    expect(c.last.at(-1)!.text).toBe(c.t('identity:declined.notNow'));
    expect(c.last.at(-1)!.text).toContain(SUPPORT_URL);
    expect(c.last.at(-1)!.text).toContain(c.t('common:buttons.agent'));
    expect(await c.harness.services.tickets.findForCustomer('webchat', 'user1')).toEqual([]);

    await c.press(c.t('common:buttons.menu'));
    for (const option of HANDOFF_ROUTES[reason].options) await c.pressOption(option);
    await c.say(lang === 'ja' ? 'はい' : 'yes');
    const card = c.last.find((r) => (r.activity.attachments ?? []).some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive'));
    expect(card, 'the identity form').toBeDefined();
  });
});

describe.each(LANGS)('the step-by-step answers end with a summary to confirm or correct (%s)', (lang) => {
  it('shows what was typed; a corrected e-mail and withdrawn phone digits are what the ticket keeps', async () => {
    const c = open(lang);
    await walk(c, 'login_lockout');
    const { typed, stored } = IDENTITY[lang];
    for (const answer of [typed.email, typed.fullName, typed.dateOfBirth, '2468', typed.description]) await c.say(answer);
    let summary = c.last.at(-1)!;
    expect(summary.text).toContain(c.t('identity:review.header'));
    for (const value of [stored.email, stored.fullName, stored.dateOfBirth, '2468', stored.description]) expect(summary.text).toContain(value);
    expect(summary.text).toContain(c.t('identity:review.prompt'));
    expect(summary.buttons).toEqual([
      c.t('identity:options.confirm.label'),
      ...(['email', 'fullName', 'dateOfBirth', 'phoneLast4', 'description'] as const).map((f) => c.t(`identity:options.correct.${f}.label`)),
      c.t('identity:options.cancel.label'),
    ]);
    expect(await c.harness.services.tickets.findForCustomer('test', 'user1')).toEqual([]);

    // Correct the e-mail: asked again, then straight back to the summary (not the next question).
    await c.press(c.t('identity:options.correct.email.label'));
    expect(c.last.at(-1)!.text).toBe(c.t('identity:ask.email'));
    await c.say('not an address');
    expect(c.last.map((r) => r.text)).toEqual([c.t('identity:errors.email.invalid'), c.t('identity:ask.email')]);
    await c.say('corrected@example.com');
    summary = c.last.at(-1)!;
    expect(summary.text).toContain('corrected@example.com');
    expect(summary.text).not.toContain(stored.email);

    // Withdraw the phone digits by skipping them, typed this time.
    await c.say(c.t('identity:options.correct.phoneLast4.label'));
    expect(c.last.at(-1)!.text).toBe(c.t('identity:ask.phoneLast4'));
    await c.press(c.t('identity:options.skip.label'));
    expect(c.last.at(-1)!.text).toContain(c.t('identity:review.notGiven'));

    await c.press(c.t('identity:options.confirm.label'));
    const id = TICKET_ID.exec(textOf(c.last))?.[0];
    expect(id, textOf(c.last)).toBeDefined();
    const ticket = await c.harness.services.tickets.get(id!);
    const { phoneLast4: _withdrawn, ...kept } = stored;
    expect(ticket!.claims).toEqual({ ...kept, email: 'corrected@example.com' });
  });

  it('the identity card is its own summary: submitted, the ticket opens without another step', async () => {
    const c = open(lang, {}, 'webchat');
    await walk(c, 'login_lockout');
    await c.submitCard({ ...IDENTITY[lang].typed, phoneLast4: '' });
    expect(TICKET_ID.test(textOf(c.last))).toBe(true);
    expect(textOf(c.last)).not.toContain(c.t('identity:review.header'));
  });
});
