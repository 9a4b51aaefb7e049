/**
 * Issue 14 through the real bot: the issue's own sentences, typed at the menu (or mid-flow), go
 * where they mean; romaji stays Japanese; a clarifying question's number or title picks what it
 * offered; a second problem is offered afterwards; an upset message is acknowledged first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness, type SeenReply } from '../helpers/bot-harness.js';
import { askedStep, hasJapanese, LOCALE_OF } from '../helpers/reply-checks.js';

/** Whether a reply starts with `text` (texts with values are compared up to their first value). */
const shows = (replies: readonly SeenReply[], text: string): boolean => replies.some((r) => r.text.startsWith(text.split('{{')[0]!));

let n = 0;
const harnesses: Record<'ja' | 'en', BotHarness> = {} as never;
beforeAll(() => {
  harnesses.ja = new BotHarness({ locale: LOCALE_OF.ja });
  harnesses.en = new BotHarness({ locale: LOCALE_OF.en });
});
afterAll(() => {
  harnesses.ja.close();
  harnesses.en.close();
});

/** A new conversation at the menu; `say` sends the next message in it. */
async function conversation(lang: 'ja' | 'en'): Promise<(text: string) => Promise<SeenReply[]>> {
  const harness = harnesses[lang];
  const c = { conversation: { id: `as-they-write-${n++}` } as never };
  await harness.join(c);
  return (text) => harness.say(text, c);
}

const t = (lang: 'ja' | 'en', key: string): string => harnesses[lang].services.localizer.forLanguage(lang)(key);
const jumps = (replies: readonly SeenReply[]): string[] =>
  replies.flatMap((r) => r.values).flatMap((v) => (typeof v === 'object' && v !== null && (v as { t?: unknown }).t === 'jump' ? [(v as { topic: string }).topic] : []));

describe.each([
  ['ja', '認証アプリは削除してないし機種変更もしてないのに、コードがエラーになる', 'codeRejectedOtherService'],
  ['en', "it's not a new phone, I only removed the authenticator", 'appDeletedHasBackup'],
  ['ja', 'sms ga konai', 'smsNotReceivedMethodSetting'],
  ['ja', 'ninsyou apuri wo sakujo shita', 'appDeletedHasBackup'],
  ['en', 'switched from android to iphone', 'phoneReplacementMethod'],
  ['en', 'my phone fell in the water and wont turn on', 'phoneLostMethod'],
] as const)('%s %j at the menu', (lang, text, step) => {
  it(`opens ${step}, in the conversation's language`, async () => {
    const replies = await (await conversation(lang))(text);
    expect(askedStep(replies)).toBe(step);
    expect(replies.every((r) => r.text === '' || hasJapanese(r.text) === (lang === 'ja'))).toBe(true);
  });
});

describe('off-topic questions that share a word with 2FA', () => {
  it.each([
    ['ja', '新宿でおすすめの居酒屋ある？'],
    ['en', 'i want sms alerts for my trades'],
    ['en', '2fa is set up, how do i deposit'],
  ] as const)('%s %j is out of scope, no guide opened', async (lang, text) => {
    const replies = await (await conversation(lang))(text);
    expect(shows(replies, t(lang, 'nlu:outOfScope'))).toBe(true);
    expect(askedStep(replies)).toBeUndefined();
  });
});

describe('a clarifying question', () => {
  async function clarified(): Promise<{ say: (text: string) => Promise<SeenReply[]>; offered: string[]; agentNumber: number }> {
    const say = await conversation('ja');
    const replies = await say('スマホ');
    const offered = jumps(replies);
    expect(offered.length).toBeGreaterThan(0);
    const values = replies.at(-1)!.values;
    const agentNumber = values.findIndex((v) => (v as { command?: unknown }).command === 'agent') + 1;
    return { say, offered, agentNumber };
  }

  it('a number picks the option shown there, not the menu’s option of that number', async () => {
    const { say, offered } = await clarified();
    const replies = await say('1');
    expect(askedStep(replies)?.startsWith(offered[0] === 'phoneLostOrBroken' ? 'phoneLost' : offered[0]!)).toBe(true);
  });

  it('the number of 担当者に相談 hands over', async () => {
    const { say, agentNumber } = await clarified();
    expect(agentNumber).toBeGreaterThan(0);
    const replies = await say(String(agentNumber));
    expect(shows(replies, t('ja', 'troubleshooting:handoff.customerRequested'))).toBe(true);
  });

  it('どれでもない goes back to the menu', async () => {
    const { say } = await clarified();
    const replies = await say('どれでもない');
    expect(askedStep(replies)).toBe('mainMenu');
  });
});

describe('the conversation around it', () => {
  it('a topic change mid-flow is noticed (not "I don\'t know")', async () => {
    const say = await conversation('ja');
    expect(askedStep(await say('SMSが届かない'))).toBe('smsNotReceivedMethodSetting');
    const replies = await say('てか電話番号変わったかも');
    expect(shows(replies, t('ja', 'common:unsure'))).toBe(false);
    expect(askedStep(replies)?.startsWith('smsNotReceived') ?? false).toBe(false);
    // The lost-phone or new-phone questions, or the question which (「かも」: not yet the handoff).
    const step = askedStep(replies) ?? '';
    expect(/^phone(?:Lost|Replacement)/.test(step) || jumps(replies).some((topic) => topic === 'phoneLostOrBroken' || topic === 'phoneReplacement')).toBe(true);
  });

  it.each([
    ['ja', 'スマホが壊れたし、認証方法も変えたい'],
    ['en', 'the sms doesnt come and the call doesnt come either'],
  ] as const)('two problems (%s %j): the main one now, the other offered afterwards', async (lang, text) => {
    const replies = await (await conversation(lang))(text);
    expect(askedStep(replies)).toBeDefined();
    expect(shows(replies, t(lang, 'nlu:alsoOffer'))).toBe(true);
    expect(jumps(replies)).toHaveLength(1);
  });

  it('an upset message gets one line of acknowledgement before the help', async () => {
    const replies = await (await conversation('en'))('this is ridiculous, the code never works!!');
    expect(replies[0]?.text).toBe(t('en', 'nlu:acknowledge'));
    expect(askedStep(replies)).toBe('codeRejectedOtherService');
  });

  it('one Japanese term in an English sentence does not switch the language', async () => {
    const replies = await (await conversation('en'))('my 認証アプリ code is rejected every time');
    expect(replies.some((r) => hasJapanese(r.text))).toBe(false);
  });

  it('a word or two of English in a Japanese conversation does not switch the language', async () => {
    const replies = await (await conversation('ja'))('sms code');
    expect(replies.every((r) => r.text === '' || hasJapanese(r.text))).toBe(true);
  });

  it('"hai" at a yes/no question in a Japanese conversation is yes', async () => {
    const say = await conversation('ja');
    const first = await say('コードが通らない');
    expect(askedStep(first)).toBe('codeRejectedOtherService');
    const replies = await say('hai');
    expect(askedStep(replies)).not.toBe('codeRejectedOtherService');
    expect(replies.every((r) => r.text === '' || hasJapanese(r.text))).toBe(true);
  });
});

/** A new conversation at `step`, reached by pressing these options; `say` sends the next message in it. */
async function at(lang: 'ja' | 'en', options: readonly string[]): Promise<(text: string) => Promise<SeenReply[]>> {
  const harness = harnesses[lang];
  const c = { conversation: { id: `as-they-write-${n++}` } as never };
  let last = await harness.join(c);
  for (const option of options) last = await harness.press(last, t(lang, `options:${option}.label`), c);
  return (text) => harness.say(text, c);
}
const inLanguage = (replies: readonly SeenReply[], lang: 'ja' | 'en'): boolean => replies.every((r) => r.text === '' || hasJapanese(r.text) === (lang === 'ja'));
const offersAlso = (replies: readonly SeenReply[], lang: 'ja' | 'en'): boolean => shows(replies, t(lang, 'nlu:alsoOffer'));

describe('text in which nothing is recognised (issue 14, audit gap 1)', () => {
  it.each([
    ['en', 'asdfgh'],
    ['ja', 'あいうえお'],
    ['en', 'qwerty zxcv'],
  ] as const)('%s %j at the menu gets the scope, not "didn\'t catch that" and the menu', async (lang, text) => {
    const replies = await (await conversation(lang))(text);
    expect(shows(replies, t(lang, 'nlu:outOfScope'))).toBe(true);
    expect(shows(replies, t(lang, 'common:notUnderstoodMenu'))).toBe(false);
    expect(askedStep(replies)).toBeUndefined();
    expect(inLanguage(replies, lang)).toBe(true);
  });

  it.each([
    ['ja', 'はい', 'common:notUnderstoodMenu'],
    ['en', 'yes', 'common:notUnderstoodMenu'],
    ['en', 'no', 'common:notUnderstoodMenu'],
    ['en', '11', 'common:notUnderstoodMenu'],
  ] as const)('%s %j at the menu is still asked to pick a topic', async (lang, text, key) => {
    const replies = await (await conversation(lang))(text);
    expect(shows(replies, t(lang, key))).toBe(true);
    expect(askedStep(replies)).toBe('mainMenu');
  });

  it.each([
    ['ja', '4', 'smsNotReceivedMethodSetting'],
    ['ja', 'SMSが届かない', 'smsNotReceivedMethodSetting'],
    ['en', 'No SMS code', 'smsNotReceivedMethodSetting'],
  ] as const)('%s %j (a number, a button title) at the menu still opens its topic', async (lang, text, step) => {
    expect(askedStep(await (await conversation(lang))(text))).toBe(step);
  });

  it.each(['ja', 'en'] as const)('%s: mid-flow, gibberish is a mistyped answer: the hint and the question again', async (lang) => {
    const replies = await (await at(lang, ['smsNotReceived']))(lang === 'ja' ? 'あいうえお' : 'asdfgh');
    expect(shows(replies, t(lang, 'common:notUnderstood'))).toBe(true);
    expect(askedStep(replies)).toBe('smsNotReceivedMethodSetting');
  });
});

describe('off-topic messages that share a word with 2FA (issue 14, audit gap 2)', () => {
  it.each([
    ['ja', 'APIキー消しちゃった'],
    ['en', 'I deleted my API key'],
    ['en', 'change the name on my account'],
    ['ja', '口座の名義を変更したい'],
  ] as const)('%s %j is out of scope at the menu and mid-flow, no clarifying question', async (lang, text) => {
    for (const say of [await conversation(lang), await at(lang, ['smsNotReceived'])]) {
      const replies = await say(text);
      expect(shows(replies, t(lang, 'nlu:outOfScope'))).toBe(true);
      expect(shows(replies, t(lang, 'nlu:clarify'))).toBe(false);
      expect(askedStep(replies)).toBeUndefined();
    }
  });
});

describe('romaji answers mid-flow in a Japanese conversation (issue 14, audit gap 3)', () => {
  it.each([
    ['todoita', 'resolvedConfirm'],
    ['kita', 'resolvedConfirm'],
    ['hai', 'resolvedConfirm'],
    ['mada konai', 'smsNotReceivedSignal'],
    ['konai', 'smsNotReceivedSignal'],
    ['iie', 'smsNotReceivedSignal'],
  ] as const)('%j to "did the code arrive?" → %s, in Japanese', async (text, step) => {
    const replies = await (await at('ja', ['smsNotReceived']))(text);
    expect(askedStep(replies)).toBe(step);
    expect(inLanguage(replies, 'ja')).toBe(true);
  });

  it.each([
    ['kita', 'resolvedConfirm'],
    ['mada konai', 'callNotReceivedTimeSignal'],
  ] as const)('%j to "did the call come?" → %s', async (text, step) => {
    const replies = await (await at('ja', ['callNotReceived', 'yes']))(text);
    expect(askedStep(replies)).toBe(step);
  });

  it('"hai" to the yes/no "is the registered number right?" is yes, "iie" no (the wrong-number handoff)', async () => {
    expect(askedStep(await (await at('ja', ['callNotReceived']))('hai'))).toBe('callNotReceivedSignal');
    expect(shows(await (await at('ja', ['callNotReceived']))('iie'), t('ja', 'troubleshooting:handoff.registeredNumberWrong'))).toBe(true);
  });
});

describe('the reply language mid-flow (issue 14, audit gap 4)', () => {
  it.each([
    ['I still did not get the SMS code', 'smsNotReceivedSignal'],
    ['no it still has not arrived', 'smsNotReceivedSignal'],
  ] as const)('a whole English sentence in a Japanese conversation (%j) is answered in English (%s)', async (text, step) => {
    const replies = await (await at('ja', ['smsNotReceived']))(text);
    expect(askedStep(replies)).toBe(step);
    expect(inLanguage(replies, 'en')).toBe(true);
  });

  it('"can we do this in English?" switches to English and asks the same question again', async () => {
    const say = await at('ja', ['callNotReceived']);
    const replies = await say('can we do this in English?');
    expect(askedStep(replies)).toBe('callNotReceivedRegisteredNumber');
    expect(inLanguage(replies, 'en')).toBe(true);
    expect(shows(replies, t('en', 'nlu:clarify'))).toBe(false);
    // Chosen, so it stays: a Japanese answer next is answered in English.
    expect(inLanguage(await say('はい'), 'en')).toBe(true);
  });

  it('「英語でお願いします」 switches too', async () => {
    const replies = await (await at('ja', ['smsNotReceived']))('英語でお願いします');
    expect(askedStep(replies)).toBe('smsNotReceivedMethodSetting');
    expect(inLanguage(replies, 'en')).toBe(true);
  });

  it('a whole Japanese sentence in an English conversation is answered in Japanese', async () => {
    const replies = await (await at('en', ['smsNotReceived']))('まだ届かないです');
    expect(askedStep(replies)).toBe('smsNotReceivedSignal');
    expect(inLanguage(replies, 'ja')).toBe(true);
  });

  it.each([
    'SMSはまだ来ないです、no',
    'not yet',
    'mada konai yo',
    'sms mada konai desu',
  ])('one English word in a Japanese sentence, a short answer or romaji (%j) stays Japanese', async (text) => {
    const replies = await (await at('ja', ['smsNotReceived']))(text);
    expect(askedStep(replies)).toBe('smsNotReceivedSignal');
    expect(inLanguage(replies, 'ja')).toBe(true);
  });
});

describe('two problems in one message (issue 14, audit gap 5)', () => {
  it.each([
    ['en', "I deleted the app and also I'm locked out"],
    ['en', 'I deleted the app and also I am locked out'],
    ['ja', 'アプリを消したし、ログイン制限もかかった'],
  ] as const)('%s %j: the deleted app now, the lockout offered afterwards', async (lang, text) => {
    const replies = await (await conversation(lang))(text);
    expect(askedStep(replies)).toBe('appDeletedHasBackup');
    expect(offersAlso(replies, lang)).toBe(true);
    expect(jumps(replies)).toEqual(['lockout']);
    expect(inLanguage(replies, lang)).toBe(true);
  });

  it.each([
    ['en', 'the code kept failing and then I got locked out'],
    ['ja', 'コードが通らないし、ログイン制限もかかった'],
    ['ja', 'コードが何回も違うって言われたし、ロックもされた'],
  ] as const)('a lockout story (%s %j) is the lockout, never offered "code not accepted" as another problem', async (lang, text) => {
    const replies = await (await conversation(lang))(text);
    expect(askedStep(replies)).toBe('lockoutMessageShown');
    expect(offersAlso(replies, lang)).toBe(false);
    expect(jumps(replies)).not.toContain('codeRejected');
  });
});

describe('"no backup" said with the deleted app (issue 14, audit gap 6)', () => {
  it.each([
    ['ja', 'バックアップしないでアプリ消しちゃいました'],
    ['en', 'I deleted the app and I have no backup'],
  ] as const)('%s %j: the no-backup handoff, not "did you back up?"', async (lang, text) => {
    const replies = await (await conversation(lang))(text);
    expect(shows(replies, t(lang, 'troubleshooting:appDeleted.hasBackup.prompt'))).toBe(false);
    expect(shows(replies, t(lang, 'troubleshooting:handoff.appLostNoBackup'))).toBe(true);
    expect(inLanguage(replies, lang)).toBe(true);
  });

  it.each([
    ['ja', '認証アプリ消しちゃった'],
    ['en', 'I deleted google authenticator'],
  ] as const)('%s %j without a word about the backup still asks about it', async (lang, text) => {
    expect(askedStep(await (await conversation(lang))(text))).toBe('appDeletedHasBackup');
  });

  it.each(['no I did not back it up', 'I have no backup', "I haven't backed it up"])('%j to "did you back up?" is no (not the yes of "I did" / "I have")', async (text) => {
    const replies = await (await at('en', ['appDeleted']))(text);
    expect(askedStep(replies)).not.toBe('appDeletedRestore');
    expect(shows(replies, t('en', 'troubleshooting:handoff.appLostNoBackup'))).toBe(true);
  });
});
