/**
 * SupportCloudAdapter.runTurn with `deliveryMode: "expectReplies"` (issue 16): the replies come
 * back as the answer and the turn builds no connector or user token client (nothing is sent
 * through the Bot Connector); the turn state botbuilder sets otherwise is there, and the middleware
 * runs. Other delivery modes still go through CloudAdapter.processActivity.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { describe, expect, it, vi } from 'vitest';
import { SupportCloudAdapter, type AuthenticatedRequest } from '../../src/bot/adapter.js';

function setUp() {
  const create = vi.fn(async () => {
    throw new Error('no connector client expected');
  });
  const createUserTokenClient = vi.fn(async () => {
    throw new Error('no user token client expected');
  });
  const adapter = new SupportCloudAdapter({ authenticateRequest: vi.fn(), createUserTokenClient } as never);
  const identity = { claims: [], isAuthenticated: true, getClaimValue: () => null };
  const request = { claimsIdentity: identity, audience: 'aud', callerId: 'urn:botframework:azure', connectorFactory: { create } } as unknown as AuthenticatedRequest;
  return { adapter, request, create, createUserTokenClient, identity };
}

const activity = (deliveryMode?: string) =>
  ({ type: 'message', id: 'a1', text: 'hi', deliveryMode, channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'c1' }, from: { id: 'u' }, recipient: { id: 'b' } }) as Activity;

describe('SupportCloudAdapter.runTurn', () => {
  it('expectReplies: the buffered replies are the answer, and no connector or token client is built', async () => {
    const { adapter, request, create, createUserTokenClient, identity } = setUp();
    const seen: unknown[] = [];
    adapter.use(async (context, next) => {
      seen.push('middleware');
      await next();
    });
    const answer = await adapter.runTurn(request, activity('expectReplies'), async (context: TurnContext) => {
      seen.push(context.turnState.get(adapter.BotIdentityKey), context.turnState.get(adapter.OAuthScopeKey), context.turnState.get(adapter.ConnectorFactoryKey) === request.connectorFactory);
      await context.sendActivity('one');
      await context.sendActivity('two');
    });
    expect(answer?.status).toBe(200);
    expect((answer?.body as { activities: Activity[] }).activities.map((a) => a.text)).toEqual(['one', 'two']);
    expect(seen).toEqual(['middleware', identity, 'aud', true]);
    expect(create).not.toHaveBeenCalled();
    expect(createUserTokenClient).not.toHaveBeenCalled();
  });

  it('another delivery mode goes through processActivity, which builds the connector client', async () => {
    const { adapter, request, create } = setUp();
    await expect(adapter.runTurn(request, activity(undefined), async () => undefined)).rejects.toThrow('no connector client expected');
    expect(create).toHaveBeenCalledOnce();
  });
});
