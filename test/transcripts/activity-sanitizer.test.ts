/**
 * Issue 13: one activity sanitiser and one test for "is this the bot's own button value?". The
 * predicate is checked on every button the recorded transcripts hold and on forgeries; then the
 * same hostile activities go through the real middleware, transcript recorder and local web chat
 * history, and the three are compared.
 */
import { MemoryTranscriptStore, TestAdapter, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotServices, type BotServices } from '../../src/app.js';
import { parseButtonValue } from '../../src/conversation/button-value.js';
import { createLocalDirectLine, DIRECTLINE_CHANNEL_ID, maskCardInputs } from '../../src/channel/directline/index.js';
import type { DirectLineConversation } from '../../src/channel/directline/directline-store.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { redactionMiddleware } from '../../src/bot/redaction-middleware.js';
import { ActivitySanitizer, type ActivityAuthor, type SanitizeOptions } from '../../src/transcripts/activity-sanitizer.js';
import { createTranscriptMiddleware, isOwnButtonValue, parseTranscript, readWholeTranscript } from '../../src/transcripts/index.js';
import { fieldsFor, SECRET_CASES } from '../privacy/corpus/secrets.js';
import { ORDINARY_MESSAGES } from '../privacy/corpus/ordinary.js';

const HERE = new URL('.', import.meta.url).pathname;

/** Every button value in the recorded transcripts, pressed by the customer or offered by the bot: replay needs each whole. */
function recordedButtonValues(): object[] {
  const values = new Map<string, object>();
  for (const file of readdirSync(HERE).filter((f) => f.endsWith('.transcript'))) {
    for (const a of parseTranscript(readFileSync(join(HERE, file), 'utf8'))) {
      const offered = (a.suggestedActions?.actions ?? []).map((x) => x.value as unknown);
      for (const v of [a.value as unknown, ...offered]) {
        // Whatever reads as a button press (not an identity form, not an event's { turn: 1 }).
        if (typeof v === 'object' && v !== null && parseButtonValue(v)) values.set(JSON.stringify(v), v);
      }
    }
  }
  return [...values.values()];
}

describe('isOwnButtonValue: the one test for the bot\'s own buttons', () => {
  it('accepts every button value the recorded conversations hold (answers, commands, jumps), exactly as sent', () => {
    const values = recordedButtonValues();
    expect(values.length).toBeGreaterThan(100);
    for (const v of values) expect(isOwnButtonValue(v), JSON.stringify(v)).toBe(true);
    expect(isOwnButtonValue({ t: 'command', command: 'language', lang: 'ja' })).toBe(true);
    expect(isOwnButtonValue({ t: 'rate', about: 'ticket', value: 5 })).toBe(true);
  });

  it('treats as customer data a value with an extra key, a forged step, event or topic, or a wrong type', () => {
    const own = { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' };
    expect(isOwnButtonValue(own)).toBe(true);
    for (const forged of [
      { ...own, note: 'pw=Kitsune!55' },
      { ...own, step: 'NB2W45DFOIZA4ZLY' },
      { ...own, event: 'answer.482913' },
      { t: 'command', command: 'restart', note: 'code 482913' },
      { t: 'command', command: 'restart', lang: 'fr' },
      { t: 'jump', topic: 'NB2W45DFOIZA4ZLY' },
      { t: 'answer', step: 'changeMethodSmsToApp' },
      { t: 'answer', step: ['changeMethodSmsToApp'], event: 'answer.yes' },
      { t: 'identityForm', email: 'taro.yamada@example.co.jp' },
      { t: 'rate', about: 'resolution', value: 4, note: 'code 482913' },
      { t: 'rate', about: 'resolution', value: '482913' },
      { t: 'rate', about: 'pw=Kitsune!55', value: 4 },
    ]) {
      expect(isOwnButtonValue(forged), JSON.stringify(forged)).toBe(false);
    }
  });
});

const SECRETS = ['482913', '771204', 'Kitsune!55', 'Hunter2!x', 's3cr3tpw', 'NB2W45DFOIZA4ZLY'];
const EMAIL = 'taro.yamada@example.co.jp';
const PHONE = '090-3141-5926';
const OWN = { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' };

/** What a crafted client can put in one activity of the local web chat. */
const HOSTILE = [
  {
    type: 'message',
    text: `my code is 482913, mail ${EMAIL}`,
    value: { ...OWN, note: `pw=Kitsune!55 ${EMAIL}` },
    channelData: { clientActivityID: 'client-1', note: `code 771204 ${EMAIL}` },
    entities: [{ type: 'ClientCapabilities', note: 'password: s3cr3tpw' }],
    localTimezone: 'password: Hunter2!x',
    from: { name: `Taro ${PHONE}` },
  },
  { type: 'message', value: OWN, channelData: { clientActivityID: 'client-2' } },
  { type: 'message', value: { ...OWN, step: 'NB2W45DFOIZA4ZLY' }, channelData: { clientActivityID: 'client-3' } },
];

/** The fields a client fills, as one place kept them. */
function clientFields(a: Partial<Activity>): Record<string, unknown> {
  const { text, value, channelData, entities, localTimezone, from } = a;
  return JSON.parse(JSON.stringify({ text, value, channelData, entities, localTimezone, from: { id: from?.id, name: from?.name } })) as Record<string, unknown>;
}

describe('the middleware, the transcript and the web chat history treat the same hostile activity the same way', () => {
  const CONV = 'conversation-three-places-1';
  let services: BotServices;
  const seen: Partial<Activity>[] = [];
  let transcript: Partial<Activity>[];
  let history: Partial<Activity>[];

  beforeAll(async () => {
    services = createBotServices(loadConfig({ LOG_LEVEL: 'silent', DATABASE_FILE: ':memory:' }), silentLogger);
    const local = createLocalDirectLine({
      db: services.db,
      logic: async () => undefined,
      middleware: services.middleware,
      onTurnError: async () => undefined,
      secret: 'test-directline-secret-0123456789abcdef',
      tokenTtlSeconds: 1800,
      bot: { id: 'bot-id', name: 'Bot' },
      publicBaseUrl: 'http://127.0.0.1',
    });
    const { conversation } = await local.store.createConversation({ id: CONV, userId: 'dl_user1', locale: 'en-US' });
    const logic = async (context: TurnContext) => void seen.push(JSON.parse(JSON.stringify(context.activity)) as Partial<Activity>);
    for (const a of HOSTILE) await local.adapter.receiveActivity(conversation as DirectLineConversation, a as never, logic);
    transcript = (await readWholeTranscript(services.transcripts, DIRECTLINE_CHANNEL_ID, CONV)).filter((a) => a.type === 'message');
    history = (await local.store.listActivities(CONV, 0, 100)).activities;
  });
  afterAll(() => services?.close());

  it('keeps no secret and no display name in any of the three, and no e-mail or phone in the two stores', () => {
    expect(seen).toHaveLength(3);
    expect(transcript).toHaveLength(3);
    expect(history).toHaveLength(3);
    for (const [place, activities] of [['middleware', seen], ['transcript', transcript], ['web chat', history]] as const) {
      const json = JSON.stringify(activities);
      for (const secret of SECRETS) expect(json, `${place}: ${secret}`).not.toContain(secret);
      expect(json, place).not.toContain('Taro');
      for (const a of activities) expect(a.from, place).not.toHaveProperty('name');
    }
    // The middleware keeps the e-mail (the identity step reads it); the stores mask it.
    expect(seen[0]!.text).toContain(EMAIL);
    for (const store of [transcript, history]) {
      expect(JSON.stringify(store)).not.toContain(EMAIL);
      expect(JSON.stringify(store)).not.toContain(PHONE);
    }
  });

  it("keeps the bot's own button value whole in all three, and cleans the look-alikes in all three", () => {
    for (const activities of [seen, transcript, history]) {
      expect(activities[1]!.value).toEqual(OWN);
      // An extra key makes the whole value customer text: its step id too is read by the detectors.
      expect(activities[0]!.value).not.toEqual(HOSTILE[0]!.value);
      expect((activities[0]!.value as { note?: string }).note).toContain('[redacted:password]');
      expect((activities[2]!.value as { step?: string }).step).toBe('[redacted:totp_key]');
    }
  });

  it('stores exactly the same client fields in the transcript and the web chat history', () => {
    expect(transcript.map(clientFields)).toEqual(history.map(clientFields));
    expect(history[0]!.channelData).toEqual({ clientActivityID: 'client-1', note: 'code [redacted:otp] t***@e***.jp' });
  });

  it("masks a pre-filled identity form in the web chat history as the transcript does, the form's own cancel button kept", () => {
    const cancel = { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' };
    const form = {
      type: 'message',
      from: { id: 'bot-id', role: 'bot' },
      recipient: { id: 'dl_user1', name: 'Taro', role: 'user' },
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'email', value: EMAIL }], actions: [{ type: 'Action.Submit', data: cancel }] },
        },
      ],
    } as Activity;
    const kept = maskCardInputs(form)!;
    expect(JSON.stringify(kept)).not.toContain(EMAIL);
    expect(kept.recipient).not.toHaveProperty('name');
    expect((kept.attachments![0]!.content as { actions: { data: unknown }[] }).actions[0]!.data).toEqual(cancel);
    expect(kept).toEqual(services.transcriptSanitizer.sanitize(form));
  });

  it('masks the identity summary the bot shows back (issue 15) and never remembers it as a bot text', () => {
    const sanitizer = new ActivitySanitizer();
    const summary = { type: 'message', from: { id: 'bot-id', role: 'bot' }, text: `Please check your answers:\n- E-mail address: ${EMAIL}` } as Activity;
    for (let i = 0; i < 2; i++) expect(sanitizer.sanitize(summary).text).not.toContain(EMAIL);
    const plain = { type: 'message', from: { id: 'bot-id', role: 'bot' }, text: 'What is your date of birth?' } as Activity;
    sanitizer.sanitize(plain);
    const cache = (sanitizer as unknown as { cache: Map<string, string> }).cache;
    expect([...cache.keys()]).toEqual(['What is your date of birth?']);
  });
});

/** A sanitiser that records which customer activities were said to be redacted already, and can refuse to believe it. */
class WatchedSanitizer extends ActivitySanitizer {
  readonly told: boolean[] = [];
  constructor(private readonly believe: boolean) {
    super();
  }
  override sanitize<T extends Partial<Activity>>(activity: T, author?: ActivityAuthor, options?: SanitizeOptions): T {
    if (activity.from?.role === 'user') this.told.push(options?.secretsRedacted === true);
    return super.sanitize(activity, author, this.believe ? options : {});
  }
}

/** The customer's activities a transcript holds for one conversation, as JSON without the times (the bot's replies have random ids). */
async function stored(store: MemoryTranscriptStore): Promise<string> {
  const page = await store.getTranscriptActivities('test', 'corpus');
  return JSON.stringify(page.items.filter((a) => a.from?.role === 'user').map(({ timestamp: _t, ...rest }) => rest));
}

/** The messages through [first, second] on a test adapter; the transcript written before it returns. */
async function through(middleware: readonly Middleware[], messages: readonly Partial<Activity>[]): Promise<void> {
  const adapter = new TestAdapter(async (context) => void (await context.sendActivity('ok')), { conversation: { id: 'corpus' } as Activity['conversation'] });
  adapter.use(...middleware);
  for (const m of messages) await adapter.receiveActivity({ type: 'message', from: { id: 'customer', role: 'user' }, ...m } as Activity);
  await new Promise((r) => setImmediate(r));
}

describe("the transcript trusts the redaction middleware's work on the incoming activity (issue 16)", () => {
  const from = { id: 'customer', role: 'user' };
  const conversations = [
    ...SECRET_CASES.map((c) => c.messages.map((m) => fieldsFor(c.field, m, from))),
    ...ORDINARY_MESSAGES.map((m) => [{ text: m }]),
    [{ text: 'mail me at hana.corpus@example.com or call 090-1234-5678', from: { ...from, name: 'Hana Corpus' } }],
  ];

  it('stores exactly what a second full pass would, for every secret and ordinary case, with the second pass skipped', async () => {
    expect(conversations.length).toBeGreaterThan(300);
    const differ: string[] = [];
    let skipped = 0;
    for (const messages of conversations) {
      const fast = new WatchedSanitizer(true);
      const full = new WatchedSanitizer(false);
      const fastStore = new MemoryTranscriptStore();
      const fullStore = new MemoryTranscriptStore();
      await through([redactionMiddleware(), createTranscriptMiddleware(fastStore, { sanitizer: fast })], messages);
      await through([redactionMiddleware(), createTranscriptMiddleware(fullStore, { sanitizer: full })], messages);
      skipped += fast.told.filter(Boolean).length;
      if ((await stored(fastStore)) !== (await stored(fullStore))) differ.push(JSON.stringify(messages));
    }
    expect(differ).toEqual([]);
    // Every customer message took the short way: the comparison above is about it.
    expect(skipped).toBe(conversations.flat().length);
  });

  it('still masks personal data and drops the display name on the short way', async () => {
    const store = new MemoryTranscriptStore();
    const sanitizer = new WatchedSanitizer(true);
    await through([redactionMiddleware(), createTranscriptMiddleware(store, { sanitizer })], conversations.at(-1)!);
    const json = await stored(store);
    expect(sanitizer.told).toEqual([true]);
    for (const personal of ['hana.corpus@example.com', '090-1234-5678', 'Hana Corpus']) expect(json).not.toContain(personal);
  });

  it('cleans a text that is not a string before marking the turn (a crafted client)', async () => {
    const store = new MemoryTranscriptStore();
    const sanitizer = new WatchedSanitizer(true);
    const seen: unknown[] = [];
    const adapter = new TestAdapter(async (context) => void seen.push(context.activity.text), { conversation: { id: 'corpus' } as Activity['conversation'] });
    adapter.use(redactionMiddleware(), createTranscriptMiddleware(store, { sanitizer }));
    await adapter.receiveActivity({ type: 'message', from: { id: 'customer', role: 'user' }, text: ['my code is 482913', { pw: 'password: Kitsune!55' }] } as unknown as Activity);
    await new Promise((r) => setImmediate(r));
    expect(sanitizer.told).toEqual([true]);
    for (const secret of ['482913', 'Kitsune!55']) {
      expect(JSON.stringify(seen), 'what the bot saw').not.toContain(secret);
      expect(await stored(store), 'the transcript').not.toContain(secret);
    }
  });

  it('sanitises in full when the transcript runs before the redaction middleware (no mark yet)', async () => {
    const store = new MemoryTranscriptStore();
    const sanitizer = new WatchedSanitizer(true);
    await through([createTranscriptMiddleware(store, { sanitizer }), redactionMiddleware()], [{ text: 'my code is 482913' }]);
    expect(sanitizer.told).toEqual([false]);
    expect(await stored(store)).not.toContain('482913');
    expect(await stored(store)).toContain('[redacted:otp]');
  });
});
