import { ActivityTypes, MemoryStorage, TestAdapter } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { turnErrorHandler } from '../../src/bot/adapter.js';
import { ConversationStore } from '../../src/bot/conversation-store.js';
import { conversationKey, SupportBot } from '../../src/bot/support-bot.js';
import { loadConfig } from '../../src/config.js';
import type { ConversationEngine } from '../../src/conversation/conversation-engine.js';
import { InProcessKeyedLock, KeyedLockTimeoutError, type KeyedLock } from '../../src/conversation/keyed-lock.js';
import { createLocalizer } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';

/** An engine that fails every turn, as a broken dependency would. */
const failingEngine = {
  handle: async () => {
    throw new Error('ticket store unavailable');
  },
} as unknown as ConversationEngine;

async function apologyFor(storedLang: 'ja' | 'en' | undefined, locale: string, lock: KeyedLock = new InProcessKeyedLock(), logger = silentLogger): Promise<string> {
  const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
  const storage = new MemoryStorage();
  const adapter = new TestAdapter(async (context) => bot.run(context), { channelId: 'test' });
  const key = conversationKey({ channelId: 'test', conversation: adapter.conversation.conversation });
  if (storedLang) await storage.write({ [key]: { lang: storedLang, langChosen: true, langFromText: false, welcomed: true, secretsNoticeShown: false } });
  const bot = new SupportBot({ engine: failingEngine, store: new ConversationStore(storage), lock, logger: silentLogger });
  adapter.onTurnError = turnErrorHandler(localizer, logger, 'ja');
  await adapter.receiveActivity({ type: ActivityTypes.Message, text: 'hello', locale });
  return adapter.activeQueue.splice(0).map((a) => a.text ?? '').join('\n');
}

describe('the apology after a failed turn', () => {
  const en = createLocalizer(LOCALES_DIR, loadConfig({}).brand).forLanguage('en');
  const ja = createLocalizer(LOCALES_DIR, loadConfig({}).brand).forLanguage('ja');

  it("is in the conversation's chosen language, not the channel's locale", async () => {
    expect(await apologyFor('en', 'ja-JP')).toBe(en('common:errors.generic'));
    expect(await apologyFor('ja', 'en-US')).toBe(ja('common:errors.generic'));
  });

  it("falls back to the channel's locale for a conversation with no state yet", async () => {
    expect(await apologyFor(undefined, 'en-US')).toBe(en('common:errors.generic'));
  });

  it('is the "busy" reply, in the customer\'s language, when the conversation stays locked past the wait (another instance\'s turn)', async () => {
    const busyLock: KeyedLock = {
      run: async (key) => {
        throw new KeyedLockTimeoutError(key, 10_000);
      },
    };
    const warned: string[] = [];
    const errors: string[] = [];
    const logger = { ...silentLogger, warn: (_o: unknown, m?: string) => void warned.push(String(m)), error: (_o: unknown, m?: string) => void errors.push(String(m)) } as typeof silentLogger;
    expect(await apologyFor(undefined, 'en-US', busyLock, logger)).toBe(en('common:errors.busy'));
    expect(await apologyFor(undefined, 'ja-JP', busyLock, logger)).toBe(ja('common:errors.busy'));
    expect(warned).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});
