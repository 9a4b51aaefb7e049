/**
 * Conversations survive a restart: state lives in the SQLite file, so a new process (a new
 * harness on the same file) continues at the same step, with the same history and language.
 * A stored conversation the current bot cannot load (another flow version, a broken snapshot,
 * a row from an older release) restarts politely at the main menu instead of failing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_MENU_ID, TROUBLESHOOTING_FLOW_VERSION } from '../../flows/troubleshooting/index.js';
import { conversationKey } from '../../src/bot/support-bot.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { BotHarness } from '../helpers/bot-harness.js';
import { askedStep, questionProblems, replyProblems, shows } from '../helpers/reply-checks.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bot-restart-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: BotHarness[] = [];
function harnessOn(file: string, locale = 'ja-JP'): BotHarness {
  const h = new BotHarness({ databaseFile: join(dir, file), locale });
  open.push(h);
  return h;
}
afterEach(() => {
  for (const h of open.splice(0)) {
    try {
      h.close();
    } catch {
      // already closed by the test
    }
  }
});

describe('restart persistence with a file database', () => {
  it('after two steps and a restart, the next message continues at the same step (and back still knows the way)', async () => {
    const before = harnessOn('continue.sqlite');
    let replies = await before.join();
    replies = await before.press(replies, 'コードが通らない');
    replies = await before.press(replies, 'できなかった');
    expect(askedStep(replies)).toBe('codeRejectedExpired');
    before.close();

    const after = harnessOn('continue.sqlite');
    replies = await after.say('いいえ');
    expect(questionProblems(replies, after.services.localizer, 'ja', 'codeRejectedBrowser')).toEqual([]);
    // No second welcome: the conversation is not new.
    expect(shows(replies, after.services.localizer.forLanguage('ja')('common:welcome'))).toBe(false);
    replies = await after.say('戻る');
    expect(askedStep(replies)).toBe('codeRejectedExpired');
    replies = await after.say('戻る');
    expect(askedStep(replies)).toBe('codeRejectedOtherService');
  });

  it('a button pressed before the restart on the current question still answers it after the restart', async () => {
    const before = harnessOn('button.sqlite');
    let replies = await before.join();
    replies = await before.press(replies, 'SMSが届かない');
    before.close();
    const after = harnessOn('button.sqlite');
    replies = await after.press(replies, 'まだ届かない');
    expect(askedStep(replies)).toBe('smsNotReceivedSignal');
  });

  it('the chosen language survives the restart', async () => {
    const before = harnessOn('language.sqlite');
    let replies = await before.join();
    replies = await before.press(replies, 'English');
    replies = await before.press(replies, 'Login locked');
    before.close();
    const after = harnessOn('language.sqlite', 'ja-JP');
    replies = await after.say('no');
    expect(askedStep(replies)).toBe('lockoutNotYet');
    expect(replyProblems(replies, 'en')).toEqual([]);
  });

  it('identity collection after a handoff continues after the restart', async () => {
    const before = harnessOn('identity.sqlite', 'en-US');
    await before.join();
    let replies = await before.say('agent');
    const t = before.services.localizer.forLanguage('en');
    // A person: the support contact or the procedure (issue 15).
    expect(replies.at(-1)?.text).toBe(t('identity:offer.contactOrProcedure'));
    replies = await before.press(replies, t('identity:options.startProcedure.label'));
    expect(replies.at(-1)?.text).toBe(t('identity:ask.email'));
    before.close();
    const after = harnessOn('identity.sqlite', 'en-US');
    replies = await after.say('taro@example.com');
    expect(replies.at(-1)?.text).toBe(t('identity:ask.fullName'));
  });
});

describe('a stored conversation the bot cannot load', () => {
  /** Writes the conversation row directly through the bot's Storage, as an older release would have. */
  async function storeRow(h: BotHarness, id: string, row: Record<string, unknown>): Promise<void> {
    const storage = new SqliteStorage(h.services.db);
    await storage.write({ [conversationKey({ channelId: 'test', conversation: { id } as never })]: { ...row, eTag: '*' } });
  }

  /** A real snapshot of a conversation at codeRejectedExpired, to corrupt. */
  async function realSnapshot(h: BotHarness): Promise<Record<string, unknown>> {
    const c = { conversation: { id: 'donor' } as never };
    await h.join(c);
    await h.say('2', c);
    await h.say('no', c);
    const key = conversationKey({ channelId: 'test', conversation: { id: 'donor' } as never });
    const item = (await new SqliteStorage(h.services.db).read([key]))[key] as { flow: { snapshot: Record<string, unknown> } };
    expect(item.flow.snapshot, 'the donor snapshot').toBeDefined();
    return item.flow.snapshot;
  }

  const base = { lang: 'en', langChosen: true, welcomed: true, secretsNoticeShown: false };

  const CASES: readonly [string, (snapshot: Record<string, unknown>) => Record<string, unknown>][] = [
    ['another flow version', (s) => ({ ...base, flow: { name: 'troubleshooting', version: TROUBLESHOOTING_FLOW_VERSION + 1, snapshot: s } })],
    ['an older flow version', (s) => ({ ...base, flow: { name: 'troubleshooting', version: TROUBLESHOOTING_FLOW_VERSION - 1, snapshot: s } })],
    ['a snapshot that is a string', () => ({ ...base, flow: { name: 'troubleshooting', version: TROUBLESHOOTING_FLOW_VERSION, snapshot: 'garbage' } })],
    ['an empty snapshot object', () => ({ ...base, flow: { name: 'troubleshooting', version: TROUBLESHOOTING_FLOW_VERSION, snapshot: {} } })],
    ['a snapshot in a state that does not exist', (s) => ({ ...base, flow: { name: 'troubleshooting', version: TROUBLESHOOTING_FLOW_VERSION, snapshot: { ...s, value: { solving: 'noSuchState' } } } })],
    ['a snapshot of an unknown flow name', (s) => ({ ...base, flow: { name: 'retired-flow', version: 1, snapshot: s } })],
    ['an identity flow snapshot that is garbage', () => ({ ...base, flow: { name: 'identity', version: 1, snapshot: [1, 2, 3] } })],
  ];

  it.each(CASES)('%s → an apology and the main menu, then the conversation works', async (_name, makeRow) => {
    const h = harnessOn(`incompatible-${_name.replace(/\W+/g, '-')}.sqlite`, 'en-US');
    const t = h.services.localizer.forLanguage('en');
    await storeRow(h, 'Convo1', makeRow(await realSnapshot(h)));
    const replies = await h.say('no');
    expect(shows(replies, t('common:errors.generic')), 'no error message').toBe(false);
    expect(shows(replies, t('common:flowRestarted')), 'an apology').toBe(true);
    expect(questionProblems(replies, h.services.localizer, 'en', MAIN_MENU_ID)).toEqual([]);
    expect(replyProblems(replies, 'en')).toEqual([]);
    // The fresh start is saved: the next message is read against the main menu.
    const next = await h.say('2');
    expect(askedStep(next)).toBe('codeRejectedOtherService');
  });

  it.each([
    ['a language this release does not know', { ...base, lang: 'fr' }],
    ['no fields at all', {}],
    ['a flow field that is a string', { ...base, flow: 'mainMenu' }],
  ])('a row that does not parse (%s) is a new conversation: the message is answered at the main menu', async (_name, row) => {
    const h = harnessOn(`unparsable-${_name.replace(/\W+/g, '-')}.sqlite`, 'en-US');
    const t = h.services.localizer.forLanguage('en');
    await storeRow(h, 'Convo1', row);
    const replies = await h.say('2');
    expect(shows(replies, t('common:errors.generic')), 'no error message').toBe(false);
    expect(askedStep(replies)).toBe('codeRejectedOtherService');
    expect(askedStep(await h.say('no'))).toBe('codeRejectedExpired');
  });
});
