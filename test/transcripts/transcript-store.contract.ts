import type { Activity, TranscriptStore } from 'botbuilder';
import { describe, expect, it } from 'vitest';

/**
 * What every TranscriptStore in this project must do, run against each implementation (and
 * botbuilder's MemoryTranscriptStore as the reference): round trip, paging with continuation
 * tokens, startDate, listing with paging, deleting, and refusing missing ids.
 */
export function describeTranscriptStoreContract(name: string, create: () => Promise<{ store: TranscriptStore; close?: () => void }>): void {
  const T0 = Date.UTC(2025, 0, 1);
  const activity = (n: number, conversation = 'conv-1', channel = 'test'): Activity =>
    ({
      type: 'message',
      id: `${channel}-${conversation}-${n}`,
      channelId: channel,
      conversation: { id: conversation },
      from: { id: 'user-1', role: 'user' },
      recipient: { id: 'bot', role: 'bot' },
      text: `message ${n}`,
      timestamp: new Date(T0 + n * 1000),
    }) as Activity;

  async function allActivities(store: TranscriptStore, channel: string, conversation: string, startDate?: Date) {
    const pages: Activity[][] = [];
    let token: string | undefined;
    do {
      const page = await store.getTranscriptActivities(channel, conversation, token, startDate);
      pages.push(page.items);
      token = page.continuationToken || undefined;
      if (pages.length > 100) throw new Error('paging does not end');
    } while (token);
    return { pages, items: pages.flat() };
  }

  describe(`TranscriptStore contract: ${name}`, () => {
    it('reads back the logged activities of a conversation, in order, with Date timestamps', async () => {
      const { store, close } = await create();
      for (let n = 0; n < 3; n++) await store.logActivity(activity(n));
      const page = await store.getTranscriptActivities('test', 'conv-1');
      expect(page.items.map((a) => a.text)).toEqual(['message 0', 'message 1', 'message 2']);
      expect(page.items[0]!.timestamp).toBeInstanceOf(Date);
      expect(page.items[2]!.timestamp!.getTime()).toBe(T0 + 2000);
      expect(page.continuationToken || undefined).toBeUndefined();
      close?.();
    });

    it('pages through a long conversation with continuation tokens, each activity once', async () => {
      const { store, close } = await create();
      for (let n = 0; n < 45; n++) await store.logActivity(activity(n));
      const { pages, items } = await allActivities(store, 'test', 'conv-1');
      expect(pages.length).toBeGreaterThan(1);
      expect(pages[0]!.length).toBeLessThan(45);
      expect(items.map((a) => a.text)).toEqual(Array.from({ length: 45 }, (_, n) => `message ${n}`));
      close?.();
    });

    it('leaves out activities before startDate', async () => {
      const { store, close } = await create();
      for (let n = 0; n < 10; n++) await store.logActivity(activity(n));
      const { items } = await allActivities(store, 'test', 'conv-1', new Date(T0 + 5000));
      expect(items.map((a) => a.text)).toEqual(['message 5', 'message 6', 'message 7', 'message 8', 'message 9']);
      close?.();
    });

    it('keeps channels and conversations apart, and returns nothing for an unknown one', async () => {
      const { store, close } = await create();
      await store.logActivity(activity(0, 'conv-1', 'test'));
      await store.logActivity(activity(1, 'conv-1', 'webchat'));
      await store.logActivity(activity(2, 'conv-2', 'test'));
      expect((await store.getTranscriptActivities('test', 'conv-1')).items.map((a) => a.text)).toEqual(['message 0']);
      expect((await store.getTranscriptActivities('webchat', 'conv-1')).items.map((a) => a.text)).toEqual(['message 1']);
      const unknown = await store.getTranscriptActivities('test', 'nope');
      expect(unknown.items).toEqual([]);
      expect(unknown.continuationToken || undefined).toBeUndefined();
      close?.();
    });

    it("lists a channel's conversations, oldest first, with paging", async () => {
      const { store, close } = await create();
      for (let n = 0; n < 45; n++) await store.logActivity(activity(n, `conv-${String(n).padStart(2, '0')}`));
      await store.logActivity(activity(99, 'elsewhere', 'webchat'));
      const ids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await store.listTranscripts('test', token);
        ids.push(...page.items.map((i) => i.id));
        for (const info of page.items) {
          expect(info.channelId).toBe('test');
          expect(info.created).toBeInstanceOf(Date);
        }
        token = page.continuationToken || undefined;
        pages++;
      } while (token && pages < 100);
      expect(pages).toBeGreaterThan(1);
      expect(ids).toEqual(Array.from({ length: 45 }, (_, n) => `conv-${String(n).padStart(2, '0')}`));
      const first = (await store.listTranscripts('test')).items[0]!;
      expect(first.created.getTime()).toBe(T0);
      close?.();
    });

    it('deletes one conversation and nothing else; deleting an unknown one is not an error', async () => {
      const { store, close } = await create();
      await store.logActivity(activity(0, 'conv-1'));
      await store.logActivity(activity(1, 'conv-2'));
      await store.deleteTranscript('test', 'conv-1');
      await store.deleteTranscript('test', 'never-there');
      expect((await store.getTranscriptActivities('test', 'conv-1')).items).toEqual([]);
      expect((await store.getTranscriptActivities('test', 'conv-2')).items).toHaveLength(1);
      expect((await store.listTranscripts('test')).items.map((i) => i.id)).toEqual(['conv-2']);
      close?.();
    });

    it('refuses a missing channel or conversation id', async () => {
      const { store, close } = await create();
      await expect(async () => store.getTranscriptActivities('', 'conv-1')).rejects.toThrow();
      await expect(async () => store.getTranscriptActivities('test', '')).rejects.toThrow();
      await expect(async () => store.listTranscripts('')).rejects.toThrow();
      await expect(async () => store.deleteTranscript('test', '')).rejects.toThrow();
      close?.();
    });
  });
}
