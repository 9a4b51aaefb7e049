/**
 * The customer's activity as the transcript stores it, after the redaction middleware: masked in
 * full whenever the middleware saw personal data, kept as the middleware left it otherwise (issue
 * 16: without a second walk). Either way the stored activity must be what a full sanitising of it
 * gives, and hold no e-mail address, phone number or secret.
 */
import { MemoryTranscriptStore, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it, vi } from 'vitest';
import { redactionMiddleware } from '../../src/bot/redaction-middleware.js';
import { ActivitySanitizer } from '../../src/transcripts/activity-sanitizer.js';
import { createTranscriptMiddleware } from '../../src/transcripts/index.js';

const EMAIL = 'taro.yamada@example.co.jp';
const PHONE = '090-1234-5678';

const CASES: readonly [string, Partial<Activity>][] = [
  ['an ordinary message', { text: 'I lost my phone' }],
  ['a button press', { text: 'Yes', value: { t: 'answer', step: 'changeMethodSmsToApp', event: 'answer.yes' } }],
  ['an e-mail in the text', { text: `my mail is ${EMAIL}` }],
  ['a phone number in the text', { text: `電話番号は${PHONE}です` }],
  ['an e-mail in a card value', { text: 'submit', value: { email: EMAIL } }],
  ['a phone number in channelData', { text: 'hi', channelData: { note: PHONE } }],
  ['an e-mail in an entity', { text: 'hi', entities: [{ type: 'note', who: EMAIL }] }],
  ['an e-mail as the bot\'s name', { text: 'hi', recipient: { id: 'bot', name: EMAIL, role: 'bot' } as Activity['recipient'] }],
  ['a code and an e-mail', { text: `code 482913, mail ${EMAIL}` }],
  ['a text that is not a string', { text: [EMAIL] as unknown as string }],
];

/** What the transcript stored for one incoming activity, and the customer's activity as the bot saw it. */
async function stored(activity: Partial<Activity>): Promise<{ transcript: Record<string, unknown>; seen: Partial<Activity> }> {
  const store = new MemoryTranscriptStore();
  let seen: Partial<Activity> = {};
  const adapter = new TestAdapter(async (context: TurnContext) => {
    seen = { ...context.activity };
  });
  adapter.use(redactionMiddleware());
  adapter.use(createTranscriptMiddleware(store));
  await adapter.send({ type: 'message', ...activity });
  // The transcript write is not awaited by the turn: wait for the customer's activity to land.
  const transcript = await vi.waitFor(async () => {
    const found = (await store.getTranscriptActivities('test', 'Convo1')).items.find((a) => a.from?.role === 'user');
    if (!found) throw new Error('not stored yet');
    return found;
  });
  return { transcript: transcript as unknown as Record<string, unknown>, seen };
}

describe('the customer\'s activity in the transcript, after the redaction middleware', () => {
  it.each(CASES)('%s: stored as a full sanitising of it gives, with no e-mail, phone number or code', async (_name, activity) => {
    const { transcript, seen } = await stored(activity);
    const full = new ActivitySanitizer({ maxTextChars: 2_000 }).sanitize(seen, 'customer', { secretsRedacted: true });
    expect(JSON.parse(JSON.stringify(transcript))).toEqual(JSON.parse(JSON.stringify(full)));
    const text = JSON.stringify(transcript);
    for (const secret of [EMAIL, PHONE, '482913']) expect(text).not.toContain(secret);
  });
});
