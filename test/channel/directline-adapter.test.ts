import { ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectLineAdapter, DIRECTLINE_CHANNEL_ID } from '../../src/channel/directline/directline-adapter.js';
import type { DirectLineConversation } from '../../src/channel/directline/directline-store.js';
import { maskEcho } from '../../src/channel/directline/index.js';
import { directLineMigrations, SqliteDirectLineStore } from '../../src/channel/directline/sqlite-directline-store.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';

const CONV = 'conversation-adapter-01';
let db: SqliteDatabase;
afterEach(() => db?.close());

async function setup(middleware: Middleware[] = []) {
  db = openDatabase(':memory:', directLineMigrations);
  const store = new SqliteDirectLineStore(db);
  const adapter = new DirectLineAdapter({ store, bot: { id: 'bot-id', name: 'Bot' }, serviceUrl: 'https://chat.example/v3/directline', echoFilter: maskEcho });
  if (middleware.length) adapter.use(...middleware);
  const { conversation } = await store.createConversation({ id: CONV, userId: 'dl_user1', locale: 'ja-JP' });
  const stream = async () => (await store.listActivities(CONV, 0, 100)).activities;
  return { store, adapter, conversation: conversation as DirectLineConversation, stream };
}

/** A bot that repeats what it got. */
const echoBot = async (context: TurnContext) => {
  await context.sendActivity(`you said: ${context.activity.text ?? JSON.stringify(context.activity.value)}`);
};

describe('DirectLineAdapter', () => {
  it('stores the user activity (with its clientActivityID) before the reply, both with ids, timestamps and the channel identity', async () => {
    const { adapter, conversation, stream } = await setup();
    const { id } = await adapter.receiveActivity(
      conversation,
      { type: 'message', text: 'hello', channelData: { clientActivityID: 'client-1' }, locale: 'en-US' },
      echoBot,
    );
    const [echo, reply] = await stream();
    expect(echo).toMatchObject({
      id,
      type: 'message',
      text: 'hello',
      channelId: DIRECTLINE_CHANNEL_ID,
      serviceUrl: 'https://chat.example/v3/directline',
      channelData: { clientActivityID: 'client-1' },
      from: { id: 'dl_user1', role: 'user' },
      recipient: { id: 'bot-id', role: 'bot' },
      conversation: { id: CONV },
      locale: 'en-US',
    });
    expect(reply).toMatchObject({ text: 'you said: hello', replyToId: id, from: { id: 'bot-id', role: 'bot' }, recipient: { id: 'dl_user1' } });
    expect(reply!.id).not.toBe(id);
    for (const a of [echo!, reply!]) expect(Number.isNaN(Date.parse(String(a.timestamp)))).toBe(false);
  });

  it('stores the echo as the middleware left it (a redacted secret never reaches the stream)', async () => {
    const redact: Middleware = {
      onTurn: async (context, next) => {
        context.activity.text = (context.activity.text ?? '').replace(/\d{6}/g, '[redacted:otp]');
        await next();
      },
    };
    const { adapter, conversation, stream } = await setup([redact]);
    await adapter.receiveActivity(conversation, { type: 'message', text: 'my code is 123456' }, echoBot);
    const all = JSON.stringify(await stream());
    expect(all).not.toContain('123456');
    expect(all).toContain('my code is [redacted:otp]');
  });

  it('masks e-mail addresses in the echo but keeps the bot’s own button values', async () => {
    const { adapter, conversation, stream } = await setup();
    const quiet = async () => undefined;
    await adapter.receiveActivity(conversation, { type: 'message', text: 'mail me at taro.yamada@example.com' }, quiet);
    const button = { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' };
    await adapter.receiveActivity(conversation, { type: 'message', value: button }, quiet);
    const [text, pressed] = await stream();
    expect(text!.text).not.toContain('taro.yamada@example.com');
    expect(pressed!.value).toEqual(button);
  });

  it('still echoes when the turn fails, and sends what the error handler says', async () => {
    const { adapter, conversation, stream } = await setup();
    adapter.onTurnError = async (context) => {
      await context.sendActivity('sorry');
    };
    await adapter.receiveActivity(conversation, { type: 'message', text: 'boom', channelData: { clientActivityID: 'c-9' } }, async () => {
      throw new Error('bot failed');
    });
    const all = await stream();
    expect(all.map((a) => a.text)).toEqual(['boom', 'sorry']);
    expect(all[0]!.channelData).toEqual({ clientActivityID: 'c-9' });
  });

  it('acknowledges typing without storing it or running the bot', async () => {
    const { adapter, conversation, stream } = await setup();
    let ran = false;
    const { id } = await adapter.receiveActivity(conversation, { type: 'typing' }, async () => {
      ran = true;
    });
    expect(id).toContain(CONV);
    expect(ran).toBe(false);
    expect(await stream()).toEqual([]);
  });

  it('does not store traces or invoke responses', async () => {
    const { adapter, conversation, stream } = await setup();
    await adapter.receiveActivity(conversation, { type: 'message', text: 'x' }, async (context) => {
      await context.sendActivities([
        { type: ActivityTypes.Trace, name: 'debug', value: { secretish: true } },
        { type: ActivityTypes.InvokeResponse, value: { status: 200 } },
        { type: ActivityTypes.Message, text: 'visible' },
      ]);
    });
    expect((await stream()).map((a) => a.type + ':' + (a.text ?? ''))).toEqual(['message:x', 'message:visible']);
  });

  it('welcomes on start: the bot sees a conversationUpdate adding itself and the user, which is not stored', async () => {
    const { adapter, conversation, stream } = await setup();
    let seen: Partial<Activity> | undefined;
    await adapter.startConversation(conversation, async (context) => {
      seen = { ...context.activity };
      await context.sendActivity('welcome');
    });
    expect(seen).toMatchObject({ type: 'conversationUpdate', locale: 'ja-JP', membersAdded: [{ id: 'bot-id' }, { id: 'dl_user1' }] });
    expect((await stream()).map((a) => a.text)).toEqual(['welcome']);
  });

  it('delivers proactive messages to a stored conversation reference (continueConversationAsync)', async () => {
    const { adapter, conversation, stream } = await setup();
    let reference: Partial<import('botbuilder').ConversationReference> = {};
    await adapter.receiveActivity(conversation, { type: 'message', text: 'open a ticket' }, async (context) => {
      const { TurnContext } = await import('botbuilder');
      reference = TurnContext.getConversationReference(context.activity);
    });
    const stored = JSON.parse(JSON.stringify(reference)) as typeof reference;
    await adapter.continueConversationAsync('any-app-id', stored, async (context) => {
      await context.sendActivity('Your ticket was verified.');
    });
    const all = await stream();
    expect(all.at(-1)).toMatchObject({ text: 'Your ticket was verified.', from: { id: 'bot-id' }, recipient: { id: 'dl_user1' }, channelId: 'local-webchat' });
    await expect(adapter.continueConversation({ ...stored, channelId: 'msteams' }, async () => undefined)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      adapter.continueConversation({ ...stored, conversation: { id: 'conversation-unknown-01', isGroup: false, conversationType: '', name: '' } }, async () => undefined),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
