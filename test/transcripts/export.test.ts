import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { goldenScripts, recordScript, Replayer } from '../../src/replay/index.js';
import { exportTranscript, parseTranscript, serializeTranscript, SqliteTranscriptStore, type TranscriptActivity } from '../../src/transcripts/index.js';
import { openDatabase } from '../../src/storage/database.js';
import { transcriptMigrations } from '../../src/transcripts/index.js';

// `npm run transcripts` (list, export, purge) is tested in transcripts-cli.test.ts.

describe('.transcript files', () => {
  const activities = [
    { type: 'message', text: 'こんにちは', from: { id: 'u', name: '', role: 'user' } },
    { type: 'message', text: 'Hello', from: { id: 'b', name: '', role: 'bot' } },
  ] as TranscriptActivity[];

  it('reads a flat array, an object with a transcript array, a byte order mark and CRLF line ends', () => {
    const flat = JSON.stringify(activities);
    expect(parseTranscript(flat)).toEqual(activities);
    expect(parseTranscript(JSON.stringify({ transcript: activities }))).toEqual(activities);
    expect(parseTranscript(`\ufeff${JSON.stringify(activities, null, 2).replace(/\n/g, '\r\n')}`)).toEqual(activities);
  });

  it('writes a flat, pretty-printed UTF-8 array that reads back the same', () => {
    const text = serializeTranscript(activities);
    expect(text.startsWith('[\n  {')).toBe(true);
    expect(text).toContain('こんにちは');
    expect(parseTranscript(text)).toEqual(activities);
  });

  it('refuses what is not a transcript, naming the file and the activity', () => {
    const messageOf = (text: string) => {
      try {
        parseTranscript(text, 'x.transcript');
        return 'accepted';
      } catch (err) {
        return isAppError(err) ? `${err.code}: ${err.message}` : String(err);
      }
    };
    expect(messageOf('not json')).toMatch(/^invalid_input: x\.transcript: not JSON/);
    expect(messageOf('{"activities": []}')).toMatch(/expected an array of activities/);
    expect(messageOf('[{"type":"message"},{"text":"no type"}]')).toMatch(/x\.transcript: activity 1 has no "type"/);
    expect(messageOf('[1]')).toMatch(/item 0 is not an activity/);
  });
});

describe('export from the store', () => {
  it('names the channels of an ambiguous conversation id and reports an unknown one', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    for (const channelId of ['webchat', 'emulator']) {
      await store.logActivity({ type: 'message', channelId, conversation: { id: 'c1' }, from: { id: 'u' }, timestamp: new Date() } as never);
    }
    await expect(exportTranscript(store, 'c1')).rejects.toThrow(/several channels \(emulator, webchat\)/);
    expect((await exportTranscript(store, 'c1', 'webchat')).activities).toHaveLength(1);
    await expect(exportTranscript(store, 'c2')).rejects.toMatchObject({ code: 'not_found' });
    await expect(exportTranscript(store, 'c1', 'msteams')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('round trip: a recorded conversation, exported from the store, replays green against the bot', async () => {
    const recorder = Replayer.create();
    const scripts = goldenScripts().filter((s) =>
      ['en--changeMethod.sms.app.worked.solved', 'ja--lockout.yes', 'en--scenario-switch-language', 'ja--scenario-typed-answers'].includes(s.name),
    );
    expect(scripts).toHaveLength(4);
    for (const script of scripts) await recordScript(recorder, script);
    const store = recorder.services.transcripts;
    const replayer = Replayer.create();
    for (const summary of store.summaries()) {
      const exported = await exportTranscript(store, summary.conversationId, summary.channelId);
      const file = parseTranscript(serializeTranscript(exported.activities));
      const result = await replayer.replay(file, summary.conversationId);
      expect(result.difference?.diff ?? result.error, summary.conversationId).toBeUndefined();
      expect(result.passed).toBe(true);
      expect(result.turns).toBeGreaterThan(2);
    }
    expect(store.summaries()).toHaveLength(4);
    recorder.close();
    replayer.close();
  });
});
