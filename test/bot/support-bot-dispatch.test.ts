/**
 * SupportBot.run sends messages and conversation updates straight to the turn, and everything
 * else through botbuilder's ActivityHandler (issue 16: its dispatch cost about a tenth of a turn).
 * What a customer or a channel would notice: every activity type gets the same answer as before.
 */
import { ActivityTypes, MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/bot/conversation-store.js';
import { SupportBot } from '../../src/bot/support-bot.js';
import type { ConversationEngine, TurnInput } from '../../src/conversation/conversation-engine.js';
import { InProcessKeyedLock } from '../../src/conversation/keyed-lock.js';
import { silentLogger } from '../../src/logger.js';

/** An engine that answers with the kind of turn it was asked for. */
function recordingEngine(seen: TurnInput['kind'][]): ConversationEngine {
  return {
    handle: async (data: unknown, input: TurnInput) => {
      seen.push(input.kind);
      return { data: data ?? { lang: 'en' }, replies: [{ kind: 'text', text: `turn: ${input.kind}` }] };
    },
  } as unknown as ConversationEngine;
}

function setUp(reference: Partial<Activity> = { channelId: 'test' }) {
  const seen: TurnInput['kind'][] = [];
  const bot = new SupportBot({
    engine: recordingEngine(seen),
    store: new ConversationStore(new MemoryStorage()),
    lock: new InProcessKeyedLock(),
    logger: silentLogger,
    sharedConversationNotice: () => 'shared notice',
  });
  const adapter = new TestAdapter(async (context) => bot.run(context), reference);
  const texts = () => adapter.activeQueue.splice(0).map((a) => a.text ?? a.type);
  return { bot, adapter, seen, texts };
}

describe('SupportBot.run', () => {
  it('answers a message and welcomes a customer who joins, but not the bot joining', async () => {
    const { adapter, seen, texts } = setUp();
    const bot = adapter.conversation.bot;
    await adapter.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot] });
    await adapter.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersAdded: [bot, { id: 'customer', name: 'Customer' }] });
    await adapter.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersRemoved: [{ id: 'customer', name: 'Customer' }] });
    await adapter.receiveActivity({ type: ActivityTypes.Message, text: 'hello' });
    expect(seen).toEqual(['welcome', 'message']);
    expect(texts()).toEqual(['turn: welcome', 'turn: message']);
  });

  it('in a Teams channel or group chat: no welcome, and a message gets the notice only', async () => {
    const { adapter, seen, texts } = setUp({ channelId: 'msteams', conversation: { id: 'team-chat', conversationType: 'channel' } } as Partial<Activity>);
    await adapter.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'someone', name: 'Someone' }] });
    await adapter.receiveActivity({ type: ActivityTypes.Message, text: 'my code is 123456' });
    expect(seen).toEqual([]);
    expect(texts()).toEqual(['shared notice']);
  });

  it('answers an invoke it has no handler for as ActivityHandler does (501), and ignores events and reactions', async () => {
    const { adapter, seen, texts } = setUp();
    await adapter.receiveActivity({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute' } } });
    await adapter.receiveActivity({ type: ActivityTypes.Event, name: 'webchat/join' });
    await adapter.receiveActivity({ type: ActivityTypes.MessageReaction, reactionsAdded: [{ type: 'like' }] });
    const replies = adapter.activeQueue.splice(0);
    expect(replies.map((a) => [a.type, (a.value as { status?: number } | undefined)?.status])).toEqual([[ActivityTypes.InvokeResponse, 501]]);
    expect(seen).toEqual([]);
    expect(texts()).toEqual([]);
  });

  it('registers no ActivityHandler handlers: one would never see a message or a conversation update', () => {
    const { bot } = setUp();
    expect((bot as unknown as { handlers: Record<string, unknown[]> }).handlers).toEqual({});
  });
});
