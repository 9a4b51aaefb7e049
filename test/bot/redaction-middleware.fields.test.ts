/**
 * The redaction middleware on its own (botbuilder TestAdapter, no bot behind it): what the next
 * handler sees is what every store sees. Fields a client fills are cleaned; ids keep their
 * shape; a code or password split over two messages is removed from both.
 */
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { redactedSecretKinds, redactionMiddleware } from '../../src/bot/redaction-middleware.js';

/** Sends `activities` in one conversation and returns each activity as the next handler saw it. */
async function seen(activities: Partial<Activity>[], asksForDigits?: (step: string) => boolean, reply?: Partial<Activity>): Promise<Partial<Activity>[]> {
  const out: Partial<Activity>[] = [];
  const adapter = new TestAdapter(async (context: TurnContext) => {
    out.push(JSON.parse(JSON.stringify(context.activity)) as Partial<Activity>);
    if (reply) await context.sendActivity(reply);
  });
  adapter.use(redactionMiddleware(asksForDigits ? { asksForDigits } : {}));
  for (const a of activities) await adapter.send({ type: 'message', ...a });
  return out;
}

describe('redaction middleware: fields a client fills', () => {
  it('redacts localTimezone, channelData, entities and a button value with extra keys, drops from.name; keeps shaped ids', async () => {
    const [a] = await seen([
      {
        text: 'hello',
        localTimezone: 'password: Hunter2!x',
        channelData: { clientActivityID: '482913', note: 'code 771204', id: 'k2j3h4g5f6' },
        entities: [{ type: 'ClientCapabilities', id: 'password: s3cr3tpw' }],
        from: { id: 'user-1', name: '839201', role: 'user' },
        value: { t: 'answer', step: 'mainMenu', event: 'topic.appDeleted', note: 'pw=Kitsune!55' },
      },
    ]);
    const stored = JSON.stringify(a);
    for (const secret of ['Hunter2!x', '482913', '771204', 's3cr3tpw', '839201', 'Kitsune!55']) expect(stored).not.toContain(secret);
    expect(a!.channelData.id).toBe('k2j3h4g5f6');
    expect(a!.from!.id).toBe('user-1');
    expect(a!.from).not.toHaveProperty('name');
    expect(a!.conversation!.id).toBe('Convo1');
  });

  it('keeps random ids that read like a setup key as a whole (one web chat conversation in five did), so the turn keeps its state', async () => {
    const [a] = await seen([{ text: 'hi', id: 'QWERTYUIOPASDFGHJKLZXCVB', conversation: { id: 'RGUOBxEl34UUDHhDOEMWvFFW' } as Activity['conversation'], from: { id: 'dl_ABCDEFGHJKLMNOPQRSTU', role: 'user' } as Activity['from'] }]);
    expect(a!.conversation!.id).toBe('RGUOBxEl34UUDHhDOEMWvFFW');
    expect(a!.from!.id).toBe('dl_ABCDEFGHJKLMNOPQRSTU');
    expect(a!.id).toBe('QWERTYUIOPASDFGHJKLZXCVB');
  });

  it('keeps a real zone name and the bot\'s own button value as they are', async () => {
    const value = { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' };
    const [a] = await seen([{ text: 'hi', localTimezone: 'Asia/Tokyo', value }]);
    expect(a!.localTimezone).toBe('Asia/Tokyo');
    expect(a!.value).toEqual(value);
  });
});

describe('redaction middleware: the kinds the turn reports', () => {
  async function kinds(activity: Partial<Activity>): Promise<string[]> {
    let found: string[] = [];
    const adapter = new TestAdapter(async (context: TurnContext) => {
      found = redactedSecretKinds(context);
    });
    adapter.use(redactionMiddleware());
    await adapter.send({ type: 'message', ...activity });
    return found;
  }

  it('reports secrets found outside the text (a card value, channelData) and markers a replayed activity already holds', async () => {
    expect(await kinds({ text: 'hello', value: { note: 'code 771204' } })).toEqual(['otp']);
    expect(await kinds({ text: 'the code is 123456', channelData: { note: 'password: Hunter2!x' } }).then((k) => k.sort())).toEqual(['otp', 'password']);
    expect(await kinds({ text: 'hi', channelData: { note: 'was [redacted:totp_key]' } })).toEqual(['totp_key']);
  });

  it('reports nothing for an ordinary message or the bot\'s own button', async () => {
    expect(await kinds({ text: 'I lost my phone', localTimezone: 'Asia/Tokyo' })).toEqual([]);
    expect(await kinds({ text: 'Yes', value: { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' } })).toEqual([]);
  });
});

describe('redaction middleware: across message boundaries', () => {
  it('removes both halves of a code typed in two messages, and both halves of a recovery phrase', async () => {
    const texts = (await seen([{ text: 'the code is 48291' }, { text: '3' }, { text: 'hurdle foster skin craft box another' }, { text: 'sea mix cost gorilla barrel bracket' }])).map((a) => a.text);
    expect(texts).toEqual(['the code is [redacted:otp]', '[redacted:otp]', '[redacted:seed_phrase]', '[redacted:seed_phrase]']);
  });

  it('removes a password sent after "my password is" / 「パスワードは」, and keeps the announcement', async () => {
    const texts = (await seen([{ text: 'my password is' }, { text: 'correct horse battery' }, { text: 'パスワードは、' }, { text: 'さくらもち' }])).map((a) => a.text);
    expect(texts).toEqual(['my password is', '[redacted:password]', 'パスワードは、', '[redacted:password]']);
  });

  it('keeps four digits typed right after the bot asked for the phone\'s last four, and only then', async () => {
    const ask = { text: 'last 4?', suggestedActions: { to: [], actions: [{ type: 'messageBack', title: 'Skip', value: { t: 'answer', step: 'identity.phoneLast4', event: 'field.skipped' } }] } };
    const asked = await seen([{ text: 'agent' }, { text: '5678' }], (step) => step === 'identity.phoneLast4', ask as Partial<Activity>);
    expect(asked.map((a) => a.text)).toEqual(['agent', '5678']);
    const notAsked = await seen([{ text: 'agent' }, { text: '5678' }]);
    expect(notAsked.map((a) => a.text)).toEqual(['agent', '[redacted:otp]']);
  });
});

describe('redaction middleware: the bot\'s own button labels', () => {
  const menu = (...labels: string[]) =>
    ({ text: 'Choose', suggestedActions: { to: [], actions: labels.map((l) => ({ type: 'messageBack', title: l, text: l, displayText: l, value: { t: 'command', command: 'back' } })) } }) as Partial<Activity>;

  it('a label the detectors would change, or one that leaves something open, is read like any text', async () => {
    const texts = (await seen([{ text: 'hi' }, { text: '48291' }, { text: 'hurdle foster skin craft box another' }, { text: 'sea mix cost gorilla barrel bracket' }], undefined, menu('48291', 'hurdle foster skin craft box another', 'sea mix cost gorilla barrel bracket'))).map((a) => a.text);
    expect(texts).toEqual(['hi', '[redacted:otp]', '[redacted:seed_phrase]', '[redacted:seed_phrase]']);
  });

  it('a clean label after a message that left a password open is still read as the password', async () => {
    const texts = (await seen([{ text: 'hi' }, { text: 'my password is' }, { text: 'Back' }, { text: 'Back' }], undefined, menu('Back'))).map((a) => a.text);
    expect(texts).toEqual(['hi', 'my password is', '[redacted:password]', 'Back']);
  });

  it('a clean label pressed or typed comes through as it is', async () => {
    const texts = (await seen([{ text: 'hi' }, { text: 'Start over' }, { text: '最初から' }], undefined, menu('Start over', '最初から'))).map((a) => a.text);
    expect(texts).toEqual(['hi', 'Start over', '最初から']);
  });
});
