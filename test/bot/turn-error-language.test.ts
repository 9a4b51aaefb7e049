import { ActivityTypes, MemoryStorage, TestAdapter } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { turnErrorHandler } from '../../src/bot/adapter.js';
import { ConversationStore } from '../../src/bot/conversation-store.js';
import { conversationKey, SupportBot } from '../../src/bot/support-bot.js';
import { loadConfig } from '../../src/config.js';
import type { ConversationEngine } from '../../src/conversation/conversation-engine.js';
import { InProcessKeyedLock } from '../../src/conversation/keyed-lock.js';
import { createLocalizer } from '../../src/i18n/i18n.js';
import { silentLogger } from '../../src/logger.js';

/** An engine that fails every turn, as a broken dependency would. */
const failingEngine = {
  handle: async () => {
    throw new Error('ticket store unavailable');
  },
} as unknown as ConversationEngine;

async function apologyFor(storedLang: 'ja' | 'en' | undefined, locale: string): Promise<string> {
  const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
  const storage = new MemoryStorage();
  const adapter = new TestAdapter(async (context) => bot.run(context), { channelId: 'test' });
  const key = conversationKey({ channelId: 'test', conversation: adapter.conversation.conversation });
  if (storedLang) await storage.write({ [key]: { lang: storedLang, langChosen: true, langFromText: false, welcomed: true, secretsNoticeShown: false } });
  const bot = new SupportBot({ engine: failingEngine, store: new ConversationStore(storage), lock: new InProcessKeyedLock(), logger: silentLogger });
  adapter.onTurnError = turnErrorHandler(localizer, silentLogger, 'ja');
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
});
