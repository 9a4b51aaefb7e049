import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ConnectionStatus, type Activity as ClientActivity, type CardAction } from 'botframework-directlinejs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { DirectLineTokenService } from '../../src/channel/directline/token-service.js';
import { loadConfig } from '../../src/config.js';
import { createLocalizer } from '../../src/i18n/i18n.js';
import { botMessages, call, OfficialClient, startApp, tempDatabase, TEST_SECRET, type RunningApp } from '../channel/directline-server.js';

const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
const ja = localizer.forLanguage('ja');
const en = localizer.forLanguage('en');

/** The suggested-action buttons of the latest bot message that has any. */
function lastButtons(all: readonly ClientActivity[]): CardAction[] {
  const withButtons = botMessages(all).filter((a) => (a as { suggestedActions?: { actions?: CardAction[] } }).suggestedActions?.actions?.length);
  return (withButtons.at(-1) as { suggestedActions: { actions: CardAction[] } } | undefined)?.suggestedActions.actions ?? [];
}

/** Replies to one posted activity. */
function repliesTo(all: readonly ClientActivity[], id: string): ClientActivity[] {
  return all.filter((a) => (a as { replyToId?: string }).replyToId === id);
}

/** True once the bot's answer to `id` is complete: its last message carries the next step's buttons. */
function answeredWithButtons(all: readonly ClientActivity[], id: string): boolean {
  return lastButtons(repliesTo(all, id)).length > 0;
}

/** Posts a press of a messageBack button the way Web Chat does. */
function press(client: OfficialClient, userId: string, action: CardAction): Promise<string> {
  return client.post({
    type: 'message',
    from: { id: userId, role: 'user' },
    text: (action as { text?: string }).text,
    value: action.value,
    channelData: { clientActivityID: `press-${Math.random()}`, messageBack: { displayText: (action as { displayText?: string }).displayText } },
  });
}

const clients: OfficialClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.end()));

async function newConversation(running: RunningApp, locale: string) {
  const generated = await call(running.baseUrl, 'POST', '/v3/directline/tokens/generate');
  expect(generated.status).toBe(200);
  const { token, conversationId, userId } = generated.body as { token: string; conversationId: string; userId: string };
  const client = new OfficialClient(running.domain, { token, locale });
  clients.push(client);
  return { client, token, conversationId, userId };
}

describe('local Direct Line with the official botframework-directlinejs client', () => {
  let running: RunningApp;
  let db: ReturnType<typeof tempDatabase>;
  beforeAll(async () => {
    db = tempDatabase();
    running = await startApp(db.file);
  });
  afterAll(async () => {
    await running.stop();
    db.remove();
  });

  it('starts a conversation, welcomes in the client locale, echoes the user message with its clientActivityID, and answers it', async () => {
    const { client, userId, conversationId } = await newConversation(running, 'ja-JP');
    await client.waitFor((all) => botMessages(all).some((a) => (a as { text?: string }).text === ja('common:welcome')));
    expect(client.directLine).toBeDefined();

    const id = await client.post({ type: 'message', from: { id: userId, role: 'user' }, text: 'ヘルプ', channelData: { clientActivityID: 'client-activity-1' }, locale: 'ja-JP' });
    expect(id).toMatch(new RegExp(`^${conversationId}\\|`));
    const all = await client.waitFor((list) => list.some((a) => (a as { replyToId?: string }).replyToId === id));
    const echo = all.find((a) => a.id === id) as ClientActivity & { channelData?: { clientActivityID?: string }; timestamp?: string };
    expect(echo).toMatchObject({ type: 'message', text: 'ヘルプ', from: { id: userId, role: 'user' }, channelData: { clientActivityID: 'client-activity-1' } });
    expect(all.every((a) => typeof (a as { timestamp?: string }).timestamp === 'string' && typeof a.id === 'string')).toBe(true);
    const reply = all.find((a) => (a as { replyToId?: string }).replyToId === id) as { text?: string };
    expect(reply.text).toBe(ja('common:help'));
  });

  it('keeps polling and answering across the client’s own token refreshes (polls in flight carry the old token)', async () => {
    const { client, token: first, userId } = await newConversation(running, 'en-US');
    await client.waitFor((list) => botMessages(list).length > 0);
    // What the client's 15-minute refresh loop does, three times in a row while it polls every 200 ms.
    const internals = client.directLine as unknown as { token: string; refreshToken(): { subscribe(o: { next(t: string): void; error(e: unknown): void }): void } };
    for (let i = 0; i < 3; i++) {
      const next = await new Promise<string>((resolve, reject) => internals.refreshToken().subscribe({ next: resolve, error: reject }));
      internals.token = next;
      const id = await client.post({ type: 'message', from: { id: userId }, text: 'help', channelData: { clientActivityID: `after-refresh-${i}` } });
      await client.waitFor((list) => list.some((a) => (a as { replyToId?: string }).replyToId === id));
    }
    expect(client.status).toBe(ConnectionStatus.Online);
    expect(internals.token).not.toBe(first);
    expect((await call(running.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token: first })).status).toBe(403);
  });

  it('accepts suggested-action presses (messageBack values) and moves the flow on', async () => {
    const { client, userId } = await newConversation(running, 'en-US');
    let all = await client.waitFor((list) => lastButtons(list).length > 2);
    const menu = lastButtons(all);
    const before = botMessages(all).length;
    const id = await press(client, userId, menu[0]!);
    all = await client.waitFor((list) => botMessages(list).length > before && answeredWithButtons(list, id));
    const replies = repliesTo(all, id).map((a) => (a as { text?: string }).text ?? '');
    expect(replies.join('\n')).not.toContain(en('common:staleButton'));
    expect(replies.join('\n')).not.toContain(en('common:notUnderstoodMenu'));
    expect(lastButtons(all)).not.toEqual(menu);
  });

  it('resumes from a watermark: a reconnecting client gets only what came after it', async () => {
    const first = await newConversation(running, 'en-US');
    await first.client.waitFor((list) => lastButtons(list).length > 0);
    const page = await call(running.baseUrl, 'GET', `/v3/directline/conversations/${first.conversationId}/activities`, { token: first.token });
    const watermark = page.body.watermark as string;
    expect(watermark).toMatch(/^\d+$/);
    first.client.end();

    const resumed = new OfficialClient(running.domain, { token: first.token, conversationId: first.conversationId, watermark });
    clients.push(resumed);
    const id = await resumed.post({ type: 'message', from: { id: first.userId }, text: 'help', channelData: { clientActivityID: 'after-resume' } });
    const all = await resumed.waitFor((list) => list.some((a) => (a as { replyToId?: string }).replyToId === id));
    expect(all.some((a) => (a as { text?: string }).text === en('common:welcome'))).toBe(false);
    expect(all[0]!.id).toBe(id);

    const history = new OfficialClient(running.domain, { token: first.token, conversationId: first.conversationId });
    clients.push(history);
    const everything = await history.waitFor((list) => list.some((a) => a.id === id));
    expect((everything[0] as { text?: string }).text).toBe(en('common:welcome'));
  });

  it('takes an Adaptive Card submission (value, no text) and answers with a ticket that exists', async () => {
    const { client, userId, conversationId } = await newConversation(running, 'en-US');
    await client.waitFor((list) => lastButtons(list).length > 0);
    const agent = lastButtons(client.received).find((b) => b.title === en('common:buttons.agent'))!;
    expect(agent).toBeDefined();
    await press(client, userId, agent);
    // "Talk to a person" first offers the support contact or an agent's review (issue 15).
    await client.waitFor((list) => lastButtons(list).some((b) => b.title === en('identity:options.startProcedure.label')));
    await press(client, userId, lastButtons(client.received).find((b) => b.title === en('identity:options.startProcedure.label'))!);
    const withCard = await client.waitFor((list) =>
      botMessages(list).some((a) => (a as { attachments?: { contentType: string }[] }).attachments?.some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')),
    );
    const card = botMessages(withCard)
      .flatMap((a) => (a as { attachments?: { contentType: string; content: { version: string; actions: { type: string; data?: Record<string, unknown> }[] } }[] }).attachments ?? [])
      .find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')!;
    expect(Number(card.content.version)).toBeLessThanOrEqual(1.5);
    const submit = card.content.actions.find((a) => a.type === 'Action.Submit')!;
    const email = 'hanako.suzuki@example.com';
    // A first try with an impossible date of birth: the form comes back with the e-mail filled in.
    const retry = await client.post({
      type: 'message',
      from: { id: userId },
      value: { ...submit.data, email, fullName: 'Hanako Suzuki', dateOfBirth: '1988-02-30', phoneLast4: '1234', description: 'My phone was stolen.' },
      channelData: { clientActivityID: 'card-submit-1', postBack: true },
    });
    const again = await client.waitFor((list) => repliesTo(list, retry).some((a) => (a as { attachments?: unknown[] }).attachments?.length));
    expect(JSON.stringify(repliesTo(again, retry))).toContain(email);
    // What Web Chat sends for Action.Submit: the card's data merged with the inputs, as a hidden postBack.
    const id = await client.post({
      type: 'message',
      from: { id: userId },
      value: { ...submit.data, email, fullName: 'Hanako Suzuki', dateOfBirth: '1988-04-12', phoneLast4: '1234', description: 'My phone was stolen.' },
      channelData: { clientActivityID: 'card-submit', postBack: true },
    });
    const all = await client.waitFor((list) => list.some((a) => (a as { replyToId?: string }).replyToId === id && /TFA-[0-9A-Z]{8}/.test((a as { text?: string }).text ?? '')));
    const ticketId = /TFA-[0-9A-Z]{8}/.exec(all.map((a) => (a as { text?: string }).text ?? '').join('\n'))![0];
    const ticket = await running.app.tickets.get(ticketId);
    expect(ticket).toMatchObject({ id: ticketId, channelId: 'local-webchat', conversationId, userId });
    // The e-mail address lives in the ticket's claims only: the echoes are masked, and the pre-filled
    // form was scrubbed from the web chat history once the customer acted on it.
    const stream = running.app.db.prepare('SELECT activity FROM directline_activities WHERE conversation_id = ?').all(conversationId) as { activity: string }[];
    expect(stream.length).toBeGreaterThan(0);
    expect(stream.map((r) => r.activity).join('\n')).not.toContain(email);
  });
});

describe('local Direct Line: who may do what', () => {
  let running: RunningApp;
  let db: ReturnType<typeof tempDatabase>;
  let token: string;
  let conversationId: string;
  beforeAll(async () => {
    db = tempDatabase();
    running = await startApp(db.file);
    const generated = await call(running.baseUrl, 'POST', '/v3/directline/tokens/generate');
    ({ token, conversationId } = generated.body as { token: string; conversationId: string });
    expect((await call(running.baseUrl, 'POST', '/v3/directline/conversations', { token, body: { locale: 'en-US' } })).status).toBe(201);
  });
  afterAll(async () => {
    await running.stop();
    db.remove();
  });

  const activities = () => `/v3/directline/conversations/${conversationId}/activities`;

  it('starting the same conversation twice does not welcome twice', async () => {
    const again = await call(running.baseUrl, 'POST', '/v3/directline/conversations', { token, body: { locale: 'en-US' } });
    expect(again.status).toBe(200);
    expect(again.body.conversationId).toBe(conversationId);
    const page = await call(running.baseUrl, 'GET', activities(), { token });
    expect(page.body.activities.filter((a: { text?: string }) => a.text === en('common:welcome'))).toHaveLength(1);
  });

  it('401 without a token, with garbage, with a tampered token; JSON error shape', async () => {
    for (const bad of [undefined, 'garbage', `${token.slice(0, -3)}abc`]) {
      const res = await call(running.baseUrl, 'GET', activities(), bad === undefined ? {} : { token: bad });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'unauthorized', message: expect.any(String) });
    }
    const basic = await call(running.baseUrl, 'GET', activities(), { headers: { Authorization: `Basic ${token}` } });
    expect(basic.status).toBe(401);
  });

  it('403 for an expired token and for another conversation’s token; 404 for a conversation never started', async () => {
    const past = new DirectLineTokenService({ secret: TEST_SECRET, ttlSeconds: 60, now: () => Date.now() - 3_600_000 });
    const expired = past.issue(conversationId, 'dl_someone').token;
    expect((await call(running.baseUrl, 'GET', activities(), { token: expired })).status).toBe(403);
    expect((await call(running.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token: expired })).status).toBe(403);

    const other = (await call(running.baseUrl, 'POST', '/v3/directline/tokens/generate')).body as { token: string; conversationId: string };
    const stolen = await call(running.baseUrl, 'GET', activities(), { token: other.token });
    expect(stolen.status).toBe(403);
    expect(JSON.stringify(stolen.body)).not.toContain(en('common:welcome'));
    const post = await call(running.baseUrl, 'POST', activities(), { token: other.token, body: { type: 'message', text: 'hi' } });
    expect(post.status).toBe(403);
    const notStarted = await call(running.baseUrl, 'GET', `/v3/directline/conversations/${other.conversationId}/activities`, { token: other.token });
    expect(notStarted.status).toBe(404);
    expect(notStarted.body.code).toBe('not_found');
  });

  it('refreshes the newest token into another valid token for the same conversation; the old one can no longer refresh', async () => {
    // A conversation of its own: the old token of this one stops working 30 s after the refresh.
    const { token: first, conversationId: id } = (await call(running.baseUrl, 'POST', '/v3/directline/tokens/generate')).body as { token: string; conversationId: string };
    expect((await call(running.baseUrl, 'POST', '/v3/directline/conversations', { token: first })).status).toBe(201);
    const refreshed = await call(running.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token: first });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(id);
    expect(refreshed.body.token).not.toBe(first);
    const own = `/v3/directline/conversations/${id}/activities`;
    expect((await call(running.baseUrl, 'GET', own, { token: refreshed.body.token })).status).toBe(200);
    // Requests already on their way with the old token are still answered (the grace)…
    expect((await call(running.baseUrl, 'GET', own, { token: first })).status).toBe(200);
    // …but it cannot be refreshed again, so a copy of it cannot outlive its owner's.
    const again = await call(running.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token: first });
    expect(again.status).toBe(403);
    expect(again.body.code).toBe('forbidden');
    expect((await call(running.baseUrl, 'POST', '/v3/directline/tokens/refresh', { token: refreshed.body.token })).status).toBe(200);
  });

  it('ends a conversation when the client posts endOfConversation: its tokens and the secret then get 404, other conversations go on', async () => {
    const { token: mine, conversationId: id } = (await call(running.baseUrl, 'POST', '/v3/directline/tokens/generate')).body as { token: string; conversationId: string };
    expect((await call(running.baseUrl, 'POST', '/v3/directline/conversations', { token: mine })).status).toBe(201);
    const own = `/v3/directline/conversations/${id}/activities`;
    // Another conversation's token cannot end this one.
    expect((await call(running.baseUrl, 'POST', own, { token, body: { type: 'endOfConversation' } })).status).toBe(403);
    const end = await call(running.baseUrl, 'POST', own, { token: mine, body: { type: 'endOfConversation', from: { id: 'dl_x' } } });
    expect(end.status).toBe(200);
    expect(end.body.id).toMatch(new RegExp(`^${id}\\|`));
    for (const [method, path, body] of [
      ['GET', own, undefined],
      ['POST', own, { type: 'message', text: 'hello?' }],
      ['GET', `/v3/directline/conversations/${id}`, undefined],
      ['POST', '/v3/directline/tokens/refresh', undefined],
      ['POST', '/v3/directline/conversations', undefined],
    ] as const) {
      const res = await call(running.baseUrl, method, path, { token: mine, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    expect((await call(running.baseUrl, 'GET', own, { token: TEST_SECRET })).status).toBe(404);
    expect((await call(running.baseUrl, 'GET', activities(), { token })).status).toBe(200);
  });

  it('the official client sees an ended conversation as ended and stops', async () => {
    const { client, token: mine, conversationId: id } = await newConversation(running, 'en-US');
    await client.waitFor((list) => botMessages(list).length > 0);
    expect(client.status).toBe(ConnectionStatus.Online);
    await call(running.baseUrl, 'POST', `/v3/directline/conversations/${id}/activities`, { token: mine, body: { type: 'endOfConversation' } });
    await expect.poll(() => client.status, { timeout: 5000 }).toBe(ConnectionStatus.Ended);
  });

  it('the configured secret may start conversations and read any one; it never appears in answers', async () => {
    const started = await call(running.baseUrl, 'POST', '/v3/directline/conversations', { token: TEST_SECRET });
    expect(started.status).toBe(201);
    expect(started.body.conversationId).not.toBe(conversationId);
    expect((await call(running.baseUrl, 'GET', activities(), { token: TEST_SECRET })).status).toBe(200);
    expect(JSON.stringify(started.body)).not.toContain(TEST_SECRET);
  });

  it('400 for invalid activities, watermarks and ids; 413 for oversized; 415 for uploads and non-JSON; stored data intact', async () => {
    const before = (await call(running.baseUrl, 'GET', activities(), { token })).body.activities.length as number;
    const invalid: unknown[] = [
      { type: 'conversationUpdate' },
      { text: 'no type' },
      { type: 'message', text: 'x'.repeat(10_001) },
      { type: 'message', text: 'hi', attachments: [{ contentType: 'image/png', contentUrl: 'http://evil/x.png' }] },
      { type: 'message', locale: '<script>' },
      ['not', 'an', 'object'],
    ];
    for (const body of invalid) {
      const res = await call(running.baseUrl, 'POST', activities(), { token, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.code).toBe('invalid_input');
    }
    expect((await call(running.baseUrl, 'POST', activities(), { token, rawBody: '{"type":', headers: { 'Content-Type': 'application/json' } })).status).toBe(400);
    expect((await call(running.baseUrl, 'GET', `${activities()}?watermark=abc`, { token })).status).toBe(400);
    expect((await call(running.baseUrl, 'GET', '/v3/directline/conversations/..%2F..%2Fetc/activities', { token })).status).toBeGreaterThanOrEqual(400);
    const big = await call(running.baseUrl, 'POST', activities(), { token, body: { type: 'message', value: { blob: 'x'.repeat(40_000) } } });
    expect(big.status).toBe(413);
    const form = await call(running.baseUrl, 'POST', activities(), { token, rawBody: 'type=message', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const upload = await call(running.baseUrl, 'POST', `/v3/directline/conversations/${conversationId}/upload?userId=dl_x`, { token, body: {} });
    expect(upload.status).toBe(415);
    expect(upload.body.code).toBe('unsupported_media_type');
    const after = (await call(running.baseUrl, 'GET', activities(), { token })).body.activities.length as number;
    expect(after).toBe(before);
  });

  it('refuses file uploads before reading them: no temporary file, whoever sends it', async () => {
    const uploads = () => readdirSync(tmpdir()).filter((f) => f.startsWith('upload_')).sort();
    const before = uploads();
    const upload = `${running.baseUrl}/v3/directline/conversations/${conversationId}/upload?userId=dl_x`;
    for (const headers of [{ Authorization: `Bearer ${token}` }, {} as Record<string, string>]) {
      const form = new FormData();
      form.append('file', new Blob([Buffer.alloc(300_000, 65)]), 'qr-code.png');
      const res = await fetch(upload, { method: 'POST', headers, body: form });
      expect(res.status).toBe(headers.Authorization ? 415 : 401);
      expect(((await res.json()) as { code: string }).code).toBe(headers.Authorization ? 'unsupported_media_type' : 'unauthorized');
    }
    expect(uploads()).toEqual(before);
  });

  it('keeps every one of many messages posted at once, each with its own watermark and answer', async () => {
    const before = (await call(running.baseUrl, 'GET', activities(), { token })).body.watermark as string;
    const posted = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(running.baseUrl, 'POST', activities(), { token, body: { type: 'message', text: 'help', channelData: { clientActivityID: `burst-${i}` } } }),
      ),
    );
    expect(posted.every((p) => p.status === 200)).toBe(true);
    const page = await call(running.baseUrl, 'GET', `${activities()}?watermark=${before}`, { token });
    const list = page.body.activities as { id: string; replyToId?: string; channelData?: { clientActivityID?: string } }[];
    for (const { body } of posted) {
      expect(list.filter((a) => a.id === body.id)).toHaveLength(1);
      expect(list.some((a) => a.replyToId === body.id)).toBe(true);
    }
    expect(new Set(list.map((a) => a.channelData?.clientActivityID).filter(Boolean)).size).toBe(8);
  });

  it('a client cannot speak as someone else or choose the ids and timestamps', async () => {
    const res = await call(running.baseUrl, 'POST', activities(), {
      token,
      body: { type: 'message', text: 'spoof', from: { id: 'dl_admin', role: 'bot' }, id: 'chosen', timestamp: '2000-01-01T00:00:00Z', channelId: 'msteams' },
    });
    expect(res.status).toBe(200);
    const page = await call(running.baseUrl, 'GET', activities(), { token });
    const echo = page.body.activities.find((a: { id: string }) => a.id === res.body.id);
    expect(echo.from.id).not.toBe('dl_admin');
    expect(echo.from.role).toBe('user');
    expect(echo.channelId).toBe('local-webchat');
    expect(echo.timestamp).not.toBe('2000-01-01T00:00:00Z');
  });
});

describe('local Direct Line across a restart', () => {
  it('keeps the conversation: history, watermark and the flow step survive stopping and starting the app on the same file', async () => {
    const db = tempDatabase();
    try {
      let running = await startApp(db.file);
      const { client, token, conversationId, userId } = await newConversation(running, 'en-US');
      let all = await client.waitFor((list) => lastButtons(list).length > 2);
      const id = await press(client, userId, lastButtons(all)[0]!);
      all = await client.waitFor((list) => answeredWithButtons(list, id));
      const step = lastButtons(all);
      const countBefore = all.length;
      client.end();
      await running.stop();

      running = await startApp(db.file);
      try {
        const resumed = new OfficialClient(running.domain, { token, conversationId });
        clients.push(resumed);
        const history = await resumed.waitFor((list) => list.length >= countBefore);
        expect(history.map((a) => a.id)).toEqual(all.map((a) => a.id));
        // Answering the question shown before the restart is understood, not treated as stale.
        const next = await press(resumed, userId, step[0]!);
        const after = await resumed.waitFor((list) => answeredWithButtons(list, next));
        const replies = repliesTo(after, next).map((a) => (a as { text?: string }).text ?? '');
        expect(replies.join('\n')).not.toContain(en('common:staleButton'));
        expect(replies.join('\n')).not.toContain(en('common:notUnderstood'));
        expect(replies.length).toBeGreaterThan(0);
      } finally {
        await running.stop();
      }
    } finally {
      db.remove();
    }
  });
});
