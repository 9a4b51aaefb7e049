/**
 * The QA workflow on a real conversation: whatever the recorder stored (secrets redacted, e-mail
 * masked, a random ticket number, today's date in a status line) must replay green against the
 * same bot, and a changed reply must still fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readWholeTranscript, type TranscriptActivity } from '../../src/transcripts/index.js';
import { Replayer } from '../../src/replay/index.js';
import { BotHarness } from '../helpers/bot-harness.js';

const harnesses: BotHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.close()));

async function recordOnWebChat(lang: 'ja' | 'en'): Promise<TranscriptActivity[]> {
  const h = new BotHarness({ channelId: 'webchat', locale: lang === 'ja' ? 'ja-JP' : 'en-US' });
  harnesses.push(h);
  await h.join();
  await h.say(lang === 'ja' ? 'コード 482913 を入れてもログインできません' : 'I typed 482913 but the code is rejected');
  await h.say(lang === 'ja' ? '担当者' : 'agent');
  // A person: the support contact or the procedure (issue 15); the procedure.
  await h.say(h.services.localizer.forLanguage(lang)('identity:options.startProcedure.label'));
  const card = { email: 'taro.yamada@example.com', fullName: 'Taro Yamada', dateOfBirth: '1990-01-31', phoneLast4: '', description: 'code rejected' };
  // A bad address first (the error shows an example address, which the recorder masks too), then
  // a bad date, so the card comes back filled in with the e-mail; then accepted.
  await h.say({ value: { t: 'identity', ...card, email: 'not-an-address' } });
  await h.say({ value: { t: 'identity', ...card, dateOfBirth: '1990-02-31' } });
  const created = await h.say({ value: { t: 'identity', ...card } });
  expect(created.map((r) => r.text).join('\n')).toMatch(/TFA-[0-9A-Z]{8}/);
  await h.say(lang === 'ja' ? '問い合わせ状況' : 'ticket status');
  return (await readWholeTranscript(h.services.transcripts, 'webchat', h.adapter.conversation.conversation.id)) as TranscriptActivity[];
}

describe('replaying a conversation exactly as the recorder stored it', () => {
  for (const lang of ['ja', 'en'] as const) {
    it(`passes in ${lang}: redacted code, masked e-mail in the card, ticket number and status date`, async () => {
      const recorded = await recordOnWebChat(lang);
      const stored = JSON.stringify(recorded);
      expect(stored).not.toContain('482913');
      expect(stored).not.toContain('taro.yamada@example.com');
      expect(stored).toContain('[redacted:otp]');
      const replayer = Replayer.create();
      try {
        const result = await replayer.replay(recorded, `${lang}.transcript`);
        expect(result.difference?.diff ?? result.error).toBeUndefined();
        expect(result.passed).toBe(true);

        const changed = structuredClone(recorded);
        const lastReply = changed.findLast((a) => a.from?.role !== 'user' && typeof a.text === 'string' && a.text !== '')!;
        lastReply.text = `${lastReply.text} (edited)`;
        expect((await replayer.replay(changed, 'edited.transcript')).passed).toBe(false);
      } finally {
        replayer.close();
      }
    });
  }
});
