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
  ['ja', 'バックアップしないでアプリ消しちゃいました', 'appDeletedHasBackup'],
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
