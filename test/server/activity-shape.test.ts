/**
 * The activity's shape on /api/messages (issue 12): a wrongly typed field is a 400 naming it, never
 * a 500; a well-typed but odd activity is answered without a 500 and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/server/activity-schema.js';
import { postActivity, startApp, startFakeConnector, type FakeConnector, type RunningApp } from '../helpers/http-app.js';

let running: RunningApp;
/** Where replies of a normal (not expectReplies) delivery go: answered at once, so a reply the bot
 * sends does not wait out the connector client's retries against an address nobody listens on. */
let connector: FakeConnector;
let n = 0;

beforeAll(async () => {
  running = await startApp();
  connector = await startFakeConnector();
});
afterAll(async () => {
  await running?.stop();
  await connector?.stop();
});

function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: 'message',
    id: `shape-${n}`,
    channelId: 'emulator',
    serviceUrl: connector.serviceUrl,
    from: { id: 'user1', name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: `shape-conv-${n}` },
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    deliveryMode: 'expectReplies',
    text: 'hello',
    ...extra,
  };
}

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { d: nested(depth - 1) });

describe('a wrongly typed field → 400 naming it', () => {
  it.each([
    ['serviceUrl', { serviceUrl: 42 }],
    ['serviceUrl', { serviceUrl: { href: 'https://x' } }],
    ['serviceUrl', { serviceUrl: 'not a url' }],
    ['serviceUrl', { serviceUrl: 'javascript:alert(1)' }],
    ['serviceUrl', { serviceUrl: undefined }],
    ['type', { type: ['message'] }],
    ['id', { id: 7 }],
    ['channelId', { channelId: null }],
    ['channelId', { channelId: undefined }],
    ['from', { from: 'user1' }],
    ['from', { from: undefined }],
    ['from.id', { from: { id: 1 } }],
    ['recipient.id', { recipient: { id: null } }],
    ['conversation.id', { conversation: { id: ['c'] } }],
    ['conversation.isGroup', { conversation: { id: 'c', isGroup: 'yes' } }],
    ['conversation.conversationType', { conversation: { id: 'c', conversationType: 1 } }],
    ['text', { text: 42 }],
    ['text', { text: { ja: 'x' } }],
    ['attachments', { attachments: 'file' }],
    ['attachments.0', { attachments: ['file'] }],
    ['attachments.0.contentType', { attachments: [{ contentType: 5 }] }],
    ['entities', { entities: {} }],
    ['entities.0', { entities: [null] }],
    ['entities.0.type', { entities: [{ type: {} }] }],
    ['channelData', { channelData: 'x' }],
    ['channelData', { channelData: [] }],
    ['channelData', { channelData: nested(MAX_JSON_DEPTH + 5) }],
    ['value', { value: nested(MAX_JSON_DEPTH + 5) }],
    ['locale', { locale: 1 }],
    ['timestamp', { timestamp: 1700000000 }],
    ['timestamp', { timestamp: 'yesterday-ish' }],
    ['localTimestamp', { localTimestamp: 'never' }],
    ['membersAdded.0', { type: 'conversationUpdate', membersAdded: [null] }],
    ['membersAdded.0.id', { type: 'conversationUpdate', membersAdded: [{ id: 3 }] }],
    ['membersAdded', { type: 'conversationUpdate', membersAdded: { id: 'u' } }],
    ['reactionsAdded', { type: 'messageReaction', reactionsAdded: 'like' }],
    ['replyToId', { replyToId: false }],
    ['deliveryMode', { deliveryMode: 1 }],
    ['name', { type: 'event', name: {} }],
    ['relatesTo', { relatesTo: 'x' }],
  ])('%s in %j', async (field, extra) => {
    const answer = await postActivity(running.baseUrl, activity(extra));
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json).toMatchObject({ code: 'invalid_input' });
    expect(answer.json.details.fields).toContain(field);
  });
});

describe('a well-typed but odd activity is answered without a 500', () => {
  it.each([
    ['an unknown activity type', { type: 'somethingNew' }],
    ['typing', { type: 'typing', text: undefined }],
    ['an event with a value of every JSON kind', { type: 'event', name: 'x', value: [1, 'a', null, true, { b: [] }] }],
    ['a value that is a string', { value: 'back' }],
    ['a value that is null', { value: null }],
    ['a card submission with odd fields', { text: undefined, value: { t: 'identity', email: 42, name: ['x'] } }],
    ['an empty text', { text: '' }],
    ['no text at all', { text: undefined }],
    ['a message with attachments of an unknown kind', { attachments: [{ contentType: 'application/x-odd', content: { a: 1 } }, {}] }],
    ['entities without a type, and a mention without `mentioned`', { entities: [{}, { type: 'mention', text: '<at>x</at>' }] }],
    ['a Teams personal message with a mention entity pointing elsewhere', { channelId: 'msteams', entities: [{ type: 'mention', mentioned: { id: 'other' }, text: 'hi' }] }],
    ['a Teams channel message (declined politely)', { channelId: 'msteams', conversation: { id: 'teams-chan', conversationType: 'channel', isGroup: true } }],
    ['a locale nobody speaks', { locale: 'xx-YY' }],
    ['an empty locale', { locale: '' }],
    ['members removed', { type: 'conversationUpdate', membersRemoved: [{ id: 'user1' }] }],
    ['members added without the bot', { type: 'conversationUpdate', membersAdded: [] }],
    ['a reaction', { type: 'messageReaction', reactionsAdded: [{ type: 'like' }], reactionsRemoved: [{}] }],
    ['an installation update', { type: 'installationUpdate', action: 'add' }],
    ['the end of a conversation', { type: 'endOfConversation' }],
    ['ids of 1,000 characters', { id: 'i'.repeat(1000), from: { id: 'u'.repeat(1000) } }],
    ['ids in other scripts', { from: { id: '利用者😀' }, conversation: { id: '会話/with slash?&' } }],
    ['a timestamp far in the future', { timestamp: '9999-12-31T23:59:59Z' }],
    ['channelData nested just within the limit', { channelData: nested(MAX_JSON_DEPTH - 2) as Record<string, unknown> }],
    ['normal delivery to a connector that is not there', { deliveryMode: undefined, type: 'typing', serviceUrl: 'http://127.0.0.1:1' }],
    ['an unknown delivery mode', { deliveryMode: 'carrierPigeon' }],
    ['extra fields nobody reads', { somethingElse: { deeply: [1, 2, 3] }, callerId: 'urn:botframework:azure' }],
  ])('%s', async (_name, extra) => {
    const answer = await postActivity(running.baseUrl, activity(extra));
    expect(answer.status, answer.text).toBeLessThan(500);
  });

  it('an invoke the bot does not handle: 501 Not Implemented (the Bot Framework protocol answer), not a 500', async () => {
    const answer = await postActivity(running.baseUrl, activity({ type: 'invoke', name: 'composeExtension/query', value: { q: 1 }, deliveryMode: undefined }));
    expect(answer.status).toBe(501);
  });

  it('the server still answers a customer afterwards', async () => {
    const answer = await postActivity(running.baseUrl, activity({ type: 'conversationUpdate', membersAdded: [{ id: 'user1' }], text: undefined }));
    expect(answer.status).toBe(200);
    expect((answer.json as { activities: unknown[] }).activities.length).toBeGreaterThan(0);
  });
});
