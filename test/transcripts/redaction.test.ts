import { MemoryTranscriptStore, type Activity, type TranscriptStore } from 'botbuilder';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import {
  ActivitySanitizer,
  ATTACHMENT_MARKER,
  readWholeTranscript,
  RedactingTranscriptStore,
} from '../../src/transcripts/index.js';
import { BotHarness } from '../helpers/bot-harness.js';

const SECRETS = {
  otp: '482913',
  totpKey: 'NB2W45DFOIZA4ZLY',
  otpauth: 'otpauth://totp/GMO:taro?secret=NB2W45DFOIZA4ZLY&issuer=GMO',
  password: 'Tr0ub4dor&3x',
};
const PERSONAL = { email: 'taro.yamada@example.co.jp', phone: '090-3141-5926' };

describe('a secret sent in chat never reaches the stored transcript or the database file', () => {
  let dir: string;
  let stored: Activity[];
  let fileBytes: Buffer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfa-redaction-'));
    const harness = new BotHarness({ databaseFile: join(dir, 'bot.sqlite'), locale: 'en-US' });
    await harness.join();
    await harness.say(`my code is ${SECRETS.otp}`);
    await harness.say(`the setup key was ${SECRETS.totpKey}`);
    await harness.say(SECRETS.otpauth);
    await harness.say(`password: ${SECRETS.password}`);
    await harness.say(`reach me at ${PERSONAL.email} or ${PERSONAL.phone}`);
    // A card form submission: secrets in `value`, not in text.
    await harness.say({ value: { email: PERSONAL.email, note: `code ${SECRETS.otp}` } });
    const store = harness.services.transcripts;
    const [summary] = store.summaries();
    stored = await readWholeTranscript(store, summary!.channelId, summary!.conversationId);
    harness.close();
    fileBytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores both sides of the conversation', () => {
    expect(stored.filter((a) => a.from?.role === 'user').length).toBe(7);
    expect(stored.filter((a) => a.from?.role !== 'user').length).toBeGreaterThan(7);
  });

  it('replaces every secret by a marker in the stored activities', () => {
    const json = JSON.stringify(stored);
    for (const secret of Object.values(SECRETS)) expect(json).not.toContain(secret);
    for (const marker of ['[redacted:otp]', '[redacted:totp_key]', '[redacted:otpauth_uri]', '[redacted:password]']) {
      expect(json).toContain(marker);
    }
  });

  it('masks e-mail addresses and phone numbers, in text and in card values', () => {
    const json = JSON.stringify(stored);
    expect(json).not.toContain(PERSONAL.email);
    expect(json).not.toContain(PERSONAL.phone);
    expect(json).toContain('t***@e***.jp');
    expect(json).toContain('***-****-5926');
    const form = stored.find((a) => a.from?.role === 'user' && typeof a.value === 'object');
    expect(form?.value).toEqual({ email: 't***@e***.jp', note: 'code [redacted:otp]' });
  });

  it("drops the customer's display name", () => {
    for (const a of stored.filter((x) => x.from?.role === 'user')) expect(a.from).not.toHaveProperty('name');
    expect(JSON.stringify(stored)).not.toContain('User1');
  });

  it('leaves no trace of a secret in the SQLite file bytes (database, WAL, shared memory)', () => {
    expect(fileBytes.includes(Buffer.from('[redacted:otp]'))).toBe(true);
    for (const value of [...Object.values(SECRETS), ...Object.values(PERSONAL)]) {
      expect(fileBytes.includes(Buffer.from(value)), value).toBe(false);
    }
  });
});

describe('ActivitySanitizer', () => {
  const sanitizer = new ActivitySanitizer();
  const user = { id: 'u1', name: 'Taro Yamada', role: 'user' };
  const bot = { id: 'bot', name: 'Bot', role: 'bot' };

  it('masks what the identity card echoes back, and keeps none of it in its memory of bot texts', () => {
    const own = new ActivitySanitizer();
    const card = {
      type: 'AdaptiveCard',
      body: [{ type: 'Input.Text', id: 'email', label: 'E-mail', value: PERSONAL.email }, { type: 'Input.Text', id: 'phone', value: PERSONAL.phone }],
    };
    const reply = { type: 'message', from: bot, recipient: user, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
    const out = JSON.stringify(own.sanitize(reply));
    expect(out).not.toContain(PERSONAL.email);
    expect(out).not.toContain(PERSONAL.phone);
    expect(out).toContain('t***@e***.jp');
    const remembered = [...(own as unknown as { cache: Map<string, string> }).cache.keys()].join('\n');
    expect(remembered).not.toContain(PERSONAL.email);
    expect(remembered).not.toContain(PERSONAL.phone);
  });

  it("keeps the bot's own button values verbatim, though a step id may look like a setup key", () => {
    const value = { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' };
    const incoming = sanitizer.sanitize({ type: 'message', from: user, recipient: bot, text: 'Yes', value } as Partial<Activity>);
    expect(incoming.value).toEqual(value);
    const outgoing = sanitizer.sanitize({
      type: 'message',
      from: bot,
      recipient: user,
      text: 'Did it work?',
      suggestedActions: { to: [], actions: [{ type: 'messageBack', title: 'Yes', value }] },
    } as Partial<Activity>);
    expect(outgoing.suggestedActions!.actions[0]!.value).toEqual(value);
    expect(outgoing.recipient).not.toHaveProperty('name');
  });

  it('sanitises a value that only pretends to be a button (unknown step, extra keys)', () => {
    const crafted = sanitizer.sanitize({
      type: 'message',
      from: user,
      value: { t: 'answer', step: SECRETS.totpKey, event: 'answer.yes' },
    } as Partial<Activity>);
    expect(JSON.stringify(crafted.value)).not.toContain(SECRETS.totpKey);
    const extra = sanitizer.sanitize({
      type: 'message',
      from: user,
      value: { t: 'command', command: 'restart', note: `my code ${SECRETS.otp}` },
    } as Partial<Activity>);
    expect(JSON.stringify(extra.value)).not.toContain(SECRETS.otp);
  });

  it('replaces uploaded files (a screenshot of a QR code is a secret the detectors cannot read)', () => {
    const out = sanitizer.sanitize({
      type: 'message',
      from: user,
      attachments: [{ contentType: 'image/png', contentUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'qr.png' }],
    } as Partial<Activity>);
    expect(out.attachments).toEqual([{ contentType: 'image/png', contentUrl: ATTACHMENT_MARKER, name: 'qr.png' }]);
  });

  it('keeps the bot in membersAdded and drops customer names, without changing the input', () => {
    const input = {
      type: 'conversationUpdate',
      from: user,
      recipient: bot,
      membersAdded: [{ id: 'bot', name: 'Bot' }, { id: 'u1', name: 'Taro Yamada' }],
    } as Partial<Activity>;
    const before = JSON.stringify(input);
    const out = sanitizer.sanitize(input);
    expect(out.membersAdded).toEqual([{ id: 'bot', name: 'Bot' }, { id: 'u1' }]);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('RedactingTranscriptStore', () => {
  it('sanitises before any store sees the activity (here botbuilder MemoryTranscriptStore)', async () => {
    const inner = new MemoryTranscriptStore();
    const store = new RedactingTranscriptStore(inner);
    await store.logActivity({
      type: 'message',
      channelId: 'test',
      conversation: { id: 'c' },
      from: { id: 'u', role: 'user' },
      text: `code ${SECRETS.otp}`,
      timestamp: new Date(),
    } as Activity);
    const page = await inner.getTranscriptActivities('test', 'c');
    expect(page.items[0]!.text).toBe('code [redacted:otp]');
  });

  it('reports a failing store through the logger instead of failing the turn', async () => {
    const failing = { logActivity: () => Promise.reject(new Error('disk full')) } as unknown as TranscriptStore;
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (obj: unknown) => warnings.push(obj) } as unknown as typeof silentLogger;
    await new RedactingTranscriptStore(failing, new ActivitySanitizer(), logger).logActivity({ type: 'message', from: { id: 'u', role: 'user' } } as Activity);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('disk full');
  });
});
