/**
 * Channel isolation on /api/messages (issue 12), in the development mode tests run in (no app id):
 * the local web chat's channel id is refused, so nobody who knows a web chat user's ids can speak in
 * their conversation (list their tickets, move their flow) through the Bot Framework endpoint; an
 * activity naming a service URL off the allow-list is refused before the bot runs, so nothing is
 * sent there and no conversation reference with it is stored; proactive messages to one are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botFrameworkChannel } from '../../src/bot/customer-notifier.js';
import { conversationKey } from '../../src/bot/support-bot.js';
import { serviceUrlPolicy } from '../../src/security/service-url-allowlist.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { readWholeTranscript } from '../../src/transcripts/sqlite-transcript-store.js';
import { postActivity, startApp, startFakeConnector, type FakeConnector, type RunningApp } from '../helpers/http-app.js';

let running: RunningApp;
let connector: FakeConnector;
let n = 0;

beforeAll(async () => {
  running = await startApp();
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector?.stop();
  await running?.stop();
});

function activity(channelId: string, serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: 'message',
    id: `iso-${n}`,
    channelId,
    serviceUrl,
    from: { id: 'dl_victim' },
    recipient: { id: 'bot' },
    conversation: { id: `iso-conv-${n}` },
    locale: 'en-US',
    text: 'ticket status',
    ...extra,
  };
}

/** Nothing of the conversation was kept: no state (with its conversation reference), no transcript. */
async function expectNothingStored(sent: Record<string, unknown>): Promise<void> {
  const key = conversationKey(sent as never);
  expect(await new SqliteStorage(running.app.db).read([key])).toEqual({});
  running.app.transcripts.flush();
  const transcript = await readWholeTranscript(running.app.transcripts, String(sent['channelId']), (sent['conversation'] as { id: string }).id);
  expect(transcript).toEqual([]);
}

describe('the local web chat channel on /api/messages', () => {
  it.each([['normal delivery'], ['expectReplies']])('is refused with 403 and a fixed body (%s); the bot never runs', async (mode) => {
    const sent = activity('local-webchat', connector.serviceUrl, mode === 'expectReplies' ? { deliveryMode: 'expectReplies' } : {});
    const answer = await postActivity(running.baseUrl, sent);
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ code: 'forbidden', message: 'This channel is not served here' });
    await expectNothingStored(sent);
    expect(connector.received).toEqual([]);
  });

  it("Azure's Direct Line channel ('directline') is still served", async () => {
    const answer = await postActivity(running.baseUrl, activity('directline', 'http://127.0.0.1:1', { deliveryMode: 'expectReplies', text: 'hello' }));
    expect(answer.status).toBe(200);
  });
});

describe('a service URL off the allow-list', () => {
  it.each([
    ['another host over https', 'https://bots.evil.example/'],
    ['a look-alike of a Bot Framework host', 'https://smba.trafficmanager.net.evil.example/'],
    ['plain http to a host that is not loopback', 'http://example.com/'],
    ['a Traffic Manager profile that is not Teams', 'https://evil.trafficmanager.net/'],
  ])('%s → 403 before the bot runs, nothing stored', async (_name, serviceUrl) => {
    for (const extra of [{}, { deliveryMode: 'expectReplies' }]) {
      const sent = activity('emulator', serviceUrl, extra);
      running.logs.length = 0;
      const answer = await postActivity(running.baseUrl, sent);
      expect(answer.status).toBe(403);
      expect(answer.json).toEqual({ code: 'forbidden', message: 'Service URL not allowed' });
      await expectNothingStored(sent);
      expect(running.logs.join('')).toContain('service_url_not_allowed');
    }
  });

  it('loopback is allowed outside production (the Emulator): the reply reaches the connector', async () => {
    const sent = activity('emulator', connector.serviceUrl, { type: 'conversationUpdate', membersAdded: [{ id: 'user1' }], text: undefined });
    const answer = await postActivity(running.baseUrl, sent);
    expect(answer.status).toBeLessThan(300);
    await connector.waitFor(1);
    // The same check that finds nothing above finds this conversation's state.
    expect(Object.keys(await new SqliteStorage(running.app.db).read([conversationKey(sent as never)]))).toHaveLength(1);
  });
});

describe('proactive messages through the Bot Framework', () => {
  const policy = serviceUrlPolicy(['smba.trafficmanager.net'], { httpLoopback: false });

  it('a stored reference naming a service URL off the list is refused, and the adapter is never called', async () => {
    const calls: unknown[] = [];
    const channel = botFrameworkChannel({ continueConversationAsync: async (...args: unknown[]) => void calls.push(args) } as never, 'app', policy);
    await expect(channel.continueConversation({ serviceUrl: 'https://bots.evil.example/', conversation: { id: 'c' } as never }, async () => undefined)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(channel.continueConversation({ conversation: { id: 'c' } as never }, async () => undefined)).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toEqual([]);
    await channel.continueConversation({ serviceUrl: 'https://smba.trafficmanager.net/jp/', conversation: { id: 'c' } as never }, async () => undefined);
    expect(calls).toHaveLength(1);
  });
});
