/**
 * Issue 3: every validation rule of the identity claims, through the chat. An invalid answer is
 * asked again with the reason in the customer's language, and nothing already given is lost:
 * step by step the next question continues where it was; by card, the card comes back with
 * the earlier values filled in and the reason beside each wrong field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotHarness } from '../helpers/bot-harness.js';
import { adaptiveCardOf, cardInputs, cardReasons, Customer, hasJapanese, LANGS, LOCALE, textOf, TICKET_ID, type Lang } from './support/customer.js';

const harnesses: BotHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.close()));

function open(lang: Lang, channelId: string): Customer {
  const harness = new BotHarness({ locale: LOCALE[lang], channelId });
  harnesses.push(harness);
  return new Customer(harness, lang);
}

/** A date `years` years before today (UTC), shifted by `days`, as YYYY-MM-DD. */
function yearsAgo(years: number, days = 0): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

/** A realistic description of exactly `length` characters (a run of one letter would read as a setup key). */
function descriptionOf(lang: Lang, length: number): string {
  const sentence = lang === 'ja' ? 'スマホを落として画面が割れ、認証アプリが開けなくなりました。' : 'I dropped my phone, the screen broke and the authenticator will not open. ';
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}

/** The reasons as the customer reads them: hand-written fragments, so a wrong text fails. */
const REASON_FRAGMENT: Readonly<Record<Lang, Record<string, string>>> = {
  ja: {
    'email.invalid': 'メールアドレスの形式が正しくない',
    'fullName.invalid': '数字や記号は使えません',
    'dateOfBirth.future': '未来の日付',
    'dateOfBirth.invalid': '実在する日付',
    'dateOfBirth.tooYoung': '年齢条件',
    'phoneLast4.invalid': '4桁の数字',
    'description.tooLong': '1000文字以内',
    'description.required': 'どのような状況か',
    empty: '入力されていないようです',
  },
  en: {
    'email.invalid': "doesn't look like an e-mail address",
    'fullName.invalid': 'no digits or symbols',
    'dateOfBirth.future': 'in the future',
    'dateOfBirth.invalid': 'real date',
    'dateOfBirth.tooYoung': 'below the minimum age',
    'phoneLast4.invalid': 'exactly 4 digits',
    'description.tooLong': '1000 characters',
    'description.required': 'describe what happened',
    empty: 'That answer was empty',
  },
};

const VALID: Readonly<Record<Lang, { email: string; fullName: string; dateOfBirth: string; phoneLast4: string; description: string }>> = {
  ja: { email: 'sato.hanako@example.co.jp', fullName: 'サトウ ハナコ', dateOfBirth: '1979-12-24', phoneLast4: '0042', description: 'スマホが壊れました。' },
  en: { email: 'hanako.sato@example.org', fullName: "Hanako O'Sato", dateOfBirth: '1979-12-24', phoneLast4: '0042', description: 'My phone broke.' },
};

interface Rejection {
  readonly field: 'email' | 'fullName' | 'dateOfBirth' | 'phoneLast4' | 'description';
  readonly input: string;
  readonly code: string;
}

const STEP_REJECTIONS: readonly Rejection[] = [
  { field: 'email', input: 'taro@', code: 'email.invalid' },
  { field: 'email', input: 'taro at example.com', code: 'email.invalid' },
  { field: 'fullName', input: 'Taro 2', code: 'fullName.invalid' },
  { field: 'fullName', input: '山田太郎3', code: 'fullName.invalid' },
  { field: 'dateOfBirth', input: '2030-05-01', code: 'dateOfBirth.future' },
  { field: 'dateOfBirth', input: '2023-02-30', code: 'dateOfBirth.invalid' },
  { field: 'dateOfBirth', input: '1990-13-01', code: 'dateOfBirth.invalid' },
  { field: 'dateOfBirth', input: yearsAgo(17), code: 'dateOfBirth.tooYoung' },
  // Turns 18 tomorrow: still too young today.
  { field: 'dateOfBirth', input: yearsAgo(18, 1), code: 'dateOfBirth.tooYoung' },
  { field: 'phoneLast4', input: '12', code: 'phoneLast4.invalid' },
  { field: 'phoneLast4', input: '12345', code: 'phoneLast4.invalid' },
  { field: 'phoneLast4', input: '12a4', code: 'phoneLast4.invalid' },
];

describe.each(LANGS)('validation step by step (%s)', (lang) => {
  it('re-asks each field with its reason, keeps every earlier answer, and accepts the boundary values', async () => {
    const c = open(lang, 'test');
    const t = c.t;
    await c.join();
    await c.say(lang === 'ja' ? '担当者' : 'agent');
    // A person: the support contact or the procedure (issue 15); the procedure.
    await c.startIfAsked();
    expect(c.last.some((r) => r.text === t('identity:ask.email'))).toBe(true);
    expect(c.last.filter((r) => r.text === t('identity:intro'))).toHaveLength(1);
    // A wrong answer gets the reason and the question, not the whole introduction again.
    await c.say('not an address');
    expect(c.last.map((r) => r.text)).toEqual([t('identity:errors.email.invalid'), t('identity:ask.email')]);

    const order = ['email', 'fullName', 'dateOfBirth', 'phoneLast4', 'description'] as const;
    const valid = { ...VALID[lang], dateOfBirth: yearsAgo(18) };
    for (const field of order) {
      const rejections = [...STEP_REJECTIONS, { field: 'description', input: descriptionOf(lang, 1001), code: 'description.tooLong' } as const];
      for (const r of rejections.filter((x) => x.field === field)) {
        await c.say(r.input);
        // The reason first, then the same question again: not the first question, not the next.
        expect(c.last.map((x) => x.text), `${field} ← ${r.input.slice(0, 20)}`).toEqual([t(`identity:errors.${r.code}`), t(`identity:ask.${field}`)]);
        expect(c.last[0]!.text).toContain(REASON_FRAGMENT[lang][r.code]);
        expect(hasJapanese(c.last[0]!.text)).toBe(lang === 'ja');
      }
      if (field === 'description') {
        // An empty answer (only spaces) is refused as empty.
        await c.say('   ');
        expect(c.last.map((x) => x.text)).toEqual([t('identity:emptyAnswer'), t('identity:ask.description')]);
        expect(c.last[0]!.text).toContain(REASON_FRAGMENT[lang]['empty']);
        // 1000 characters exactly is still accepted.
        await c.say(descriptionOf(lang, 1000));
      } else {
        await c.say(valid[field]);
      }
    }
    await c.confirmIfAsked();
    const id = TICKET_ID.exec(textOf(c.last))?.[0];
    expect(id, textOf(c.last)).toBeDefined();
    const ticket = await c.harness.services.tickets.get(id!);
    // Nothing given before a rejection was lost; the 18th birthday today is old enough.
    expect(ticket!.claims).toEqual({ ...valid, description: descriptionOf(lang, 1000).trim() });
  });
});

describe.each(LANGS)('validation by Adaptive Card (%s)', (lang) => {
  it('the card comes back with the values as typed, the reason beside each wrong field, and only those', async () => {
    const c = open(lang, 'webchat');
    const t = c.t;
    await c.join();
    await c.say(lang === 'ja' ? '担当者' : 'agent');
    // A person: the support contact or the procedure (issue 15); the procedure.
    await c.startIfAsked();
    expect(adaptiveCardOf(c.last)).toBeDefined();

    const first = { email: 'taro@', fullName: 'Taro 2', dateOfBirth: '2023-02-30', phoneLast4: '12', description: '' };
    await c.submitCard(first);
    let card = adaptiveCardOf(c.last)!;
    let inputs = cardInputs(card);
    const expected: Record<string, string> = {
      email: 'email.invalid',
      fullName: 'fullName.invalid',
      dateOfBirth: 'dateOfBirth.invalid',
      phoneLast4: 'phoneLast4.invalid',
      description: 'description.required',
    };
    for (const [field, code] of Object.entries(expected)) {
      expect(inputs[field]!.errorMessage, field).toBe(t(`identity:errors.${code}`));
      expect(inputs[field]!.errorMessage).toContain(REASON_FRAGMENT[lang][code]);
      expect(inputs[field]!.value ?? '').toBe(first[field as keyof typeof first]);
    }
    // The reasons are listed on the card, in the customer's language, one per wrong field.
    expect(cardReasons(card)).toEqual(Object.values(expected).map((code) => t(`identity:errors.${code}`)));
    for (const code of Object.values(expected)) expect(cardReasons(card).join('\n')).toContain(REASON_FRAGMENT[lang][code]);

    // Fix some, break others differently: values kept, errors only where still wrong.
    const second = { email: VALID[lang].email, fullName: VALID[lang].fullName, dateOfBirth: yearsAgo(17), phoneLast4: '', description: descriptionOf(lang, 1001) };
    await c.submitCard(second);
    card = adaptiveCardOf(c.last)!;
    inputs = cardInputs(card);
    expect(cardReasons(card)).toEqual([t('identity:errors.dateOfBirth.tooYoung'), t('identity:errors.description.tooLong')]);
    expect(inputs['email']).toMatchObject({ value: second.email });
    expect(inputs['email']!.errorMessage).not.toBe(t('identity:errors.email.invalid'));
    expect(inputs['fullName']).toMatchObject({ value: second.fullName });
    expect(inputs['fullName']!.errorMessage).not.toBe(t('identity:errors.fullName.invalid'));
    expect(inputs['phoneLast4']!.errorMessage).toBeUndefined();
    expect(inputs['dateOfBirth']).toMatchObject({ value: second.dateOfBirth, errorMessage: t('identity:errors.dateOfBirth.tooYoung') });
    expect(inputs['description']!.errorMessage).toBe(t('identity:errors.description.tooLong'));
    expect(inputs['description']!.value).toBe(second.description.slice(0, 1000));

    // A future date is its own reason.
    await c.submitCard({ ...second, dateOfBirth: '2030-05-01', description: VALID[lang].description });
    inputs = cardInputs(adaptiveCardOf(c.last)!);
    expect(cardReasons(adaptiveCardOf(c.last)!)).toEqual([t('identity:errors.dateOfBirth.future')]);
    expect(inputs['dateOfBirth']!.errorMessage).toBe(t('identity:errors.dateOfBirth.future'));
    expect(inputs['description']!.errorMessage).not.toBe(t('identity:errors.description.tooLong'));
    expect(inputs['description']!.value).toBe(VALID[lang].description);

    // Typing instead of submitting: told to use the card, which comes back filled in.
    await c.say(lang === 'ja' ? 'よろしくお願いします' : 'please hurry');
    expect(c.last[0]!.text).toBe(t('identity:form.useCard'));
    expect(cardInputs(adaptiveCardOf(c.last)!)['email']!.value).toBe(VALID[lang].email);

    await c.submitCard({ ...VALID[lang] });
    const id = TICKET_ID.exec(textOf(c.last))?.[0];
    expect(id, textOf(c.last)).toBeDefined();
    expect((await c.harness.services.tickets.get(id!))!.claims).toEqual(VALID[lang]);
  });

  it('a card with fields missing altogether asks for each required one', async () => {
    const c = open(lang, 'webchat');
    await c.join();
    await c.say(lang === 'ja' ? '担当者' : 'agent');
    // A person: the support contact or the procedure (issue 15); the procedure.
    await c.startIfAsked();
    await c.submitCard({});
    const inputs = cardInputs(adaptiveCardOf(c.last)!);
    expect(cardReasons(adaptiveCardOf(c.last)!)).toEqual(
      ['email.required', 'fullName.required', 'dateOfBirth.required', 'description.required'].map((code) => c.t(`identity:errors.${code}`)),
    );
    for (const field of ['email', 'fullName', 'dateOfBirth']) expect(inputs[field]!.errorMessage).toBe(c.t(`identity:errors.${field}.required`));
    expect(inputs['description']!.errorMessage).toBe(c.t('identity:errors.description.required'));
    expect(inputs['phoneLast4']!.errorMessage).toBeUndefined();
    expect(await c.harness.services.tickets.findForCustomer('webchat', 'user1')).toEqual([]);
  });
});
