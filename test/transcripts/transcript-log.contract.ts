import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { listAllConversations, purgeTranscriptLog, readWholeConversation, type TranscriptLog } from '../../src/transcripts/index.js';

/**
 * What every TranscriptLog (the transcript port) must do, run against each database: recording in
 * arrival order, paging, `since`, listing with filters and paging, deleting, retention, refusals.
 */
export function describeTranscriptLogContract(name: string, create: () => Promise<{ log: TranscriptLog; close?: () => Promise<void> | void }>): void {
  const DAY = 86_400_000;
  const NOW = Date.UTC(2025, 5, 1);
  const at = (ms: number, conversation: string, text = 'hello', channel = 'test') => ({
    type: 'message',
    channelId: channel,
    conversation: { id: conversation },
    from: { id: 'u', role: 'user' },
    text,
    timestamp: new Date(ms),
    localTimestamp: '2025-06-01T09:00:00.000+09:00',
  });
  const codeOf = (err: unknown) => (isAppError(err) ? err.code : String(err));

  describe(`TranscriptLog contract: ${name}`, () => {
    it('reads back what was appended, in arrival order even when a client clock runs behind, with Date timestamps', async () => {
      const { log, close } = await create();
      await log.append(at(NOW, 'c1', 'question'));
      await log.append(at(NOW - 5000, 'c1', 'answer'));
      const page = await log.read('test', 'c1');
      expect(page.items.map((a) => a['text'])).toEqual(['question', 'answer']);
      expect(page.items[0]!.timestamp).toEqual(new Date(NOW));
      expect(page.items[0]!['localTimestamp']).toBe('2025-06-01T09:00:00.000+09:00');
      expect(page.continuationToken).toBe('');
      await close?.();
    });

    it('a read sees activities appended just before it, without awaiting them', async () => {
      const { log, close } = await create();
      void log.append(at(NOW, 'c1', 'one'));
      void log.append(at(NOW + 1, 'c1', 'two'));
      expect((await log.read('test', 'c1')).items.map((a) => a['text'])).toEqual(['one', 'two']);
      expect(await listAllConversations(log)).toMatchObject([{ conversationId: 'c1', activityCount: 2 }]);
      await close?.();
    });

    it('pages a long conversation, each activity once, and leaves out those before `since`', async () => {
      const { log, close } = await create();
      await Promise.all(Array.from({ length: 45 }, (_, n) => log.append(at(NOW + n * 1000, 'c1', `m${n}`))));
      const first = await log.read('test', 'c1');
      expect(first.items.length).toBeLessThan(45);
      expect(first.continuationToken).not.toBe('');
      expect((await readWholeConversation(log, 'test', 'c1')).map((a) => a['text'])).toEqual(Array.from({ length: 45 }, (_, n) => `m${n}`));
      const since = await log.read('test', 'c1', { since: new Date(NOW + 40_000) });
      expect(since.items.map((a) => a['text'])).toEqual(['m40', 'm41', 'm42', 'm43', 'm44']);
      await close?.();
    });

    it('lists conversations oldest first, by channel, by id or all, with paging and their figures', async () => {
      const { log, close } = await create();
      for (let n = 0; n < 25; n++) await log.append(at(NOW + n, `conv-${String(n).padStart(2, '0')}`));
      await log.append(at(NOW - 10, 'conv-00', 'earlier', 'webchat'));
      await log.append(at(NOW + 100, 'conv-00', 'later', 'webchat'));
      const test = await listAllConversations(log, { channelId: 'test' });
      expect(test.map((s) => s.conversationId)).toEqual(Array.from({ length: 25 }, (_, n) => `conv-${String(n).padStart(2, '0')}`));
      const firstPage = await log.list({ channelId: 'test' });
      expect(firstPage.items.length).toBeLessThan(25);
      expect(firstPage.continuationToken).not.toBe('');
      expect((await listAllConversations(log)).map((s) => `${s.channelId}/${s.conversationId}`).slice(0, 2)).toEqual(['webchat/conv-00', 'test/conv-00']);
      expect(await listAllConversations(log, { conversationId: 'conv-00', channelId: 'webchat' })).toEqual([
        { channelId: 'webchat', conversationId: 'conv-00', firstActivityAt: new Date(NOW - 10), lastActivityAt: new Date(NOW + 100), activityCount: 2 },
      ]);
      expect((await listAllConversations(log, { conversationId: 'conv-00' })).map((s) => s.channelId).sort()).toEqual(['test', 'webchat']);
      expect(await listAllConversations(log, { channelId: 'nowhere' })).toEqual([]);
      await close?.();
    });

    it('deletes one conversation and nothing else; an unknown one is not an error', async () => {
      const { log, close } = await create();
      await log.append(at(NOW, 'c1'));
      await log.append(at(NOW, 'c2'));
      await log.append(at(NOW, 'c1', 'other channel', 'webchat'));
      await log.delete('test', 'c1');
      await log.delete('test', 'never-there');
      expect((await log.read('test', 'c1')).items).toEqual([]);
      expect((await listAllConversations(log)).map((s) => `${s.channelId}/${s.conversationId}`).sort()).toEqual(['test/c2', 'webchat/c1']);
      await close?.();
    });

    it('retention deletes old activities, keeps the recent part of a running conversation, drops emptied ones', async () => {
      const { log, close } = await create();
      await log.append(at(NOW - 100 * DAY, 'running', 'old'));
      await log.append(at(NOW - 1 * DAY, 'running', 'recent'));
      await log.append(at(NOW - 100 * DAY, 'finished', 'old'));
      await log.append(at(NOW - 95 * DAY, 'finished', 'old too'));
      const result = await purgeTranscriptLog(log, 90, undefined, new Date(NOW));
      expect(result).toMatchObject({ activities: 3, transcripts: 1 });
      expect(result.cutoff.getTime()).toBe(NOW - 90 * DAY);
      expect((await log.read('test', 'running')).items.map((a) => a['text'])).toEqual(['recent']);
      expect(await listAllConversations(log)).toEqual([
        { channelId: 'test', conversationId: 'running', firstActivityAt: new Date(NOW - DAY), lastActivityAt: new Date(NOW - DAY), activityCount: 1 },
      ]);
      expect(await log.purgeOlderThan(new Date(NOW - 90 * DAY))).toEqual({ activities: 0, transcripts: 0 });
      await close?.();
    });

    it('drain writes what is queued', async () => {
      const { log, close } = await create();
      const logged = log.append(at(NOW, 'c1'));
      await log.drain();
      await logged;
      expect(await listAllConversations(log)).toHaveLength(1);
      await close?.();
    });

    it('refuses missing ids, malformed tokens, an activity without conversation and an invalid cut-off (invalid_input)', async () => {
      const { log, close } = await create();
      await expect(log.read('', 'c1').catch(codeOf)).resolves.toBe('invalid_input');
      await expect(log.read('test', '').catch(codeOf)).resolves.toBe('invalid_input');
      await expect(log.read('test', 'c1', { continuationToken: 'DROP TABLE' }).catch(codeOf)).resolves.toBe('invalid_input');
      await expect(log.list({ channelId: 'test', continuationToken: '1;2' }).catch(codeOf)).resolves.toBe('invalid_input');
      await expect(log.delete('test', '').catch(codeOf)).resolves.toBe('invalid_input');
      await expect(log.append({ type: 'message', channelId: 'test' }).catch(codeOf)).resolves.toBe('invalid_input');
      await expect(log.purgeOlderThan(new Date(Number.NaN)).catch(codeOf)).resolves.toBe('invalid_input');
      await close?.();
    });
  });
}
