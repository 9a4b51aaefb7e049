/**
 * The started server over real HTTP: health, the Bot Framework endpoint with expectReplies and
 * with normal delivery to a (fake) connector, bad input answered as JSON `{code, message}` with
 * the right status, and a connector that is down. After every bad request the server still
 * answers a customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadServiceUrl, postActivity, request, startApp, startFakeConnector, type FakeConnector, type HttpAnswer, type RunningApp } from '../helpers/http-app.js';

let running: RunningApp;
let n = 0;

beforeAll(async () => {
  running = await startApp();
});
afterAll(async () => {
  await running.stop();
});

const t = (lang: 'ja' | 'en', key: string) => running.app.localizer.forLanguage(lang)(key);

/** A Bot Framework activity as the Emulator sends it. */
function activity(conversationId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: 'message',
    id: `act-${n}`,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:1',
    from: { id: 'user1', name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: conversationId },
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    ...extra,
  };
}

const join = (conversationId: string, extra: Record<string, unknown> = {}) =>
  activity(conversationId, { type: 'conversationUpdate', membersAdded: [{ id: 'user1' }], ...extra });

const expectReplies = { deliveryMode: 'expectReplies' };

type Reply = { type: string; text?: string; replyToId?: string; suggestedActions?: { actions: { title: string; value: unknown }[] }; attachments?: unknown[] };
const repliesOf = (answer: HttpAnswer): Reply[] => (answer.json as { activities: Reply[] }).activities;

/** What every error answer must look like. */
function expectJsonError(answer: HttpAnswer, status: number, code?: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(typeof answer.json?.code, answer.text).toBe('string');
  expect(typeof answer.json?.message, answer.text).toBe('string');
  if (code) expect(answer.json.code).toBe(code);
  // Nothing from inside: no stack traces or library internals.
  expect(answer.text).not.toMatch(/\bat \S+ \(|node_modules|TypeError|SyntaxError: Unexpected/);
}

/** The server still serves a customer: health and a full expectReplies turn. */
async function expectStillServing(): Promise<void> {
  const health = await request(`${running.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  const id = `alive-${n}`;
  const answer = await postActivity(running.baseUrl, join(id, expectReplies));
  expect(answer.status).toBe(200);
  expect(repliesOf(answer).map((r) => r.text)).toContain(t('en', 'common:welcome'));
}

describe('GET /healthz', () => {
  it('answers 200 {status: "ok"}', async () => {
    const answer = await request(`${running.baseUrl}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'ok' });
  });
});

describe('POST /api/messages with deliveryMode expectReplies', () => {
  it('conversationUpdate → 200 with the welcome and the main menu as suggested actions', async () => {
    const body = join('http-welcome', expectReplies);
    const answer = await postActivity(running.baseUrl, body);
    expect(answer.status).toBe(200);
    const replies = repliesOf(answer);
    expect(replies.map((r) => r.text)).toEqual([t('en', 'common:welcome'), t('en', 'troubleshooting:mainMenu.prompt')]);
    expect(replies.every((r) => r.type === 'message' && r.replyToId === body['id'])).toBe(true);
    const actions = replies.at(-1)?.suggestedActions?.actions ?? [];
    expect(actions.map((a) => a.title)).toContain('Code not accepted');
    expect(actions.map((a) => a.title)).toContain('日本語');
  });

  it('a typed answer and then a button press (messageBack value) move the conversation on', async () => {
    await postActivity(running.baseUrl, join('http-answer', expectReplies));
    const first = repliesOf(await postActivity(running.baseUrl, activity('http-answer', { text: '2', ...expectReplies })));
    const question = first.at(-1)!;
    expect(question.text).toBe('After this check, try once with a fresh code. Were you able to log in?');
    const notWorking = question.suggestedActions!.actions.find((a) => a.title === 'Still not working')!;
    const second = repliesOf(await postActivity(running.baseUrl, activity('http-answer', { text: notWorking.title, value: notWorking.value, ...expectReplies })));
    expect(second.map((r) => r.text)).toContain("2) Please check that the code hasn't expired.");
  });

  it('a Japanese conversation (locale ja-JP) is answered in Japanese', async () => {
    const replies = repliesOf(await postActivity(running.baseUrl, join('http-ja', { locale: 'ja-JP', ...expectReplies })));
    expect(replies.map((r) => r.text)).toEqual([t('ja', 'common:welcome'), t('ja', 'troubleshooting:mainMenu.prompt')]);
  });

  it('a handoff on the Emulator shows the identity form as an Adaptive Card', async () => {
    await postActivity(running.baseUrl, join('http-handoff', expectReplies));
    await postActivity(running.baseUrl, activity('http-handoff', { text: 'agent', ...expectReplies }));
    // "Talk to a person" first offers the support contact or the procedure (issue 15).
    const replies = repliesOf(await postActivity(running.baseUrl, activity('http-handoff', { text: t('en', 'identity:options.startProcedure.label'), ...expectReplies })));
    const cards = replies.flatMap((r) => (r.attachments ?? []) as { contentType: string }[]);
    expect(cards.map((c) => c.contentType)).toContain('application/vnd.microsoft.card.adaptive');
  });

  it('a 10,000-character message is answered (nothing in it recognised: the chat\'s scope), not refused', async () => {
    await postActivity(running.baseUrl, join('http-long', expectReplies));
    const answer = await postActivity(running.baseUrl, activity('http-long', { text: 'blorp quux zxcv '.repeat(625), ...expectReplies }));
    expect(answer.status).toBe(200);
    const replies = repliesOf(answer);
    const scope = t('en', 'nlu:outOfScope').split('{{')[0]!;
    expect(replies.some((r) => (r.text ?? '').startsWith(scope))).toBe(true);
  });
});

describe('bad input on POST /api/messages: JSON errors, the server keeps serving', () => {
  it('invalid JSON → 400', async () => {
    expectJsonError(await postActivity(running.baseUrl, '{"type": "message", "text": '), 400);
    await expectStillServing();
  });

  it('an activity without `type` → 400 naming the field', async () => {
    const { type: _type, ...noType } = activity('bad-type');
    const answer = await postActivity(running.baseUrl, noType);
    expectJsonError(answer, 400, 'invalid_input');
    expect(JSON.stringify(answer.json)).toContain('type');
    await expectStillServing();
  });

  it('an activity without `conversation` → 400', async () => {
    const { conversation: _c, ...noConversation } = activity('bad-conversation');
    expectJsonError(await postActivity(running.baseUrl, noConversation), 400, 'invalid_input');
    expectJsonError(await postActivity(running.baseUrl, activity('x', { conversation: {} })), 400, 'invalid_input');
    await expectStillServing();
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"hello"'],
    ['null', 'null'],
    ['a number', '42'],
    ['an empty object', '{}'],
    ['a type that is not a string', JSON.stringify({ type: 42, conversation: { id: 'c' } })],
  ])('a body that is %s → 400', async (_name, body) => {
    expectJsonError(await postActivity(running.baseUrl, body), 400);
  });

  it('a body without content → 400, not a crash', async () => {
    const answer = await request(`${running.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    expectJsonError(answer, 400);
    await expectStillServing();
  });

  it('a non-JSON content type → 415', async () => {
    for (const [type, body] of [
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'type=message&text=hi'],
      ['application/xml', '<activity/>'],
    ] as const) {
      const answer = await request(`${running.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': type }, body });
      expectJsonError(answer, 415, 'unsupported_media_type');
    }
    await expectStillServing();
  });

  it('a non-JSON body sent chunked (no Content-Length) → 415 as well', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('hello there'));
        controller.close();
      },
    });
    const answer = await request(`${running.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body, duplex: 'half' } as RequestInit);
    expectJsonError(answer, 415, 'unsupported_media_type');
    await expectStillServing();
  });

  it('JSON with a charset or in upper case is JSON', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const answer = await postActivity(running.baseUrl, join(`ct-${type}`, expectReplies), { 'Content-Type': type });
      expect(answer.status, type).toBe(200);
    }
  });

  it('a 300 KB body → 413', async () => {
    const big = activity('too-big', { channelData: { filler: 'x'.repeat(300 * 1024) } });
    expectJsonError(await postActivity(running.baseUrl, big), 413, 'payload_too_large');
    // The same, chunked (no Content-Length to refuse it by).
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify(big)));
        controller.close();
      },
    });
    const answer = await request(`${running.baseUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expectJsonError(answer, 413, 'payload_too_large');
    await expectStillServing();
  });

  it('an unknown route → 404, a wrong method → 405, both JSON', async () => {
    expectJsonError(await request(`${running.baseUrl}/api/nothing-here`), 404, 'not_found');
    expectJsonError(await request(`${running.baseUrl}/api/messages`), 405);
    await expectStillServing();
  });
});

describe('normal delivery (no expectReplies): replies go to the connector at serviceUrl', () => {
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await startFakeConnector();
  });
  afterAll(async () => {
    await connector.stop();
  });

  it('the welcome and the menu arrive at POST {serviceUrl}/v3/conversations/{id}/activities/{replyToId}', async () => {
    connector.received.length = 0;
    const body = join('conn/with slash', { serviceUrl: connector.serviceUrl });
    const answer = await postActivity(running.baseUrl, body);
    expect(answer.status).toBeGreaterThanOrEqual(200);
    expect(answer.status).toBeLessThan(300);
    const received = await connector.waitFor(2);
    const expectedPath = `/v3/conversations/${encodeURIComponent('conn/with slash')}/activities/${encodeURIComponent(String(body['id']))}`;
    expect(received.map((r) => r.path)).toEqual([expectedPath, expectedPath]);
    expect(received.map((r) => r.activity.text)).toEqual([t('en', 'common:welcome'), t('en', 'troubleshooting:mainMenu.prompt')]);
    expect(received.every((r) => r.activity.replyToId === body['id'] && r.activity.conversation?.id === 'conn/with slash')).toBe(true);
  });

  it('a message: its answer arrives at the connector, and the HTTP answer carries no activities', async () => {
    connector.received.length = 0;
    const body = activity('conn-message', { text: 'login locked', serviceUrl: connector.serviceUrl });
    const answer = await postActivity(running.baseUrl, body);
    expect(answer.status).toBeLessThan(300);
    expect(answer.json?.activities).toBeUndefined();
    const asksLockout = (r: { activity: any }) => r.activity.suggestedActions?.actions?.some((a: { value?: { step?: string } }) => a.value?.step === 'lockoutMessageShown');
    const received = await connector.waitUntil((all) => all.some(asksLockout));
    const path = `/v3/conversations/conn-message/activities/${String(body['id'])}`;
    expect(received.every((r) => r.path === path)).toBe(true);
  });
});

describe('onTurnError: the connector is down (connection refused)', () => {
  it('the caller gets no raw error text, the error is logged without the message text, and the process keeps serving', async () => {
    const serviceUrl = await deadServiceUrl();
    const secretish = 'my private words 4f1e9c';
    running.logs.length = 0;
    // botbuilder retries the connector (about 5 s for the reply, again for the apology).
    const answer = await postActivity(running.baseUrl, activity('down', { text: secretish, serviceUrl }));
    expect(answer.status).toBeLessThan(600);
    expect(answer.text).not.toMatch(/ECONNREFUSED|connect|socket|fetch failed|Error:|\bat \S+ \(/i);
    expect(answer.text).not.toContain(secretish);
    if (answer.status >= 400) expectJsonError(answer, answer.status);
    // Logged as a failure, never with what the customer wrote.
    const logged = running.logs.join('\n');
    expect(logged).toMatch(/turn failed|could not tell the customer|request failed|activity processing failed/);
    expect(logged).not.toContain(secretish);
    await expectStillServing();
    // The same conversation goes on once the connector is back (expectReplies needs no connector).
    const next = await postActivity(running.baseUrl, activity('down', { text: 'start over', ...expectReplies }));
    expect(next.status).toBe(200);
    expect(repliesOf(next).map((r) => r.text)).toContain(t('en', 'troubleshooting:mainMenu.prompt'));
  }, 60_000);
});
