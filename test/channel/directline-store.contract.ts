import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { newActivityId, type DirectLineStore } from '../../src/channel/directline/directline-store.js';
import { AppError } from '../../src/errors.js';

export interface StoreFixture {
  readonly store: DirectLineStore;
  /** Moves the store's clock (for idle clean-up). */
  setNow(date: Date): void;
  close(): void;
}

function message(conversationId: string, text: string): Activity {
  return { type: 'message', id: newActivityId(conversationId), text, conversation: { id: conversationId } } as Activity;
}

/** What every Direct Line store must do; run against each implementation. */
export function describeDirectLineStoreContract(name: string, create: (options: { maxActivities: number }) => StoreFixture): void {
  describe(`DirectLineStore contract: ${name}`, () => {
    const conv = 'conversation-0000000001';

    it('creates a conversation once; a second create keeps the first owner', async () => {
      const f = create({ maxActivities: 100 });
      const first = await f.store.createConversation({ id: conv, userId: 'dl_a', locale: 'ja-JP' });
      const again = await f.store.createConversation({ id: conv, userId: 'dl_b' });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.conversation).toMatchObject({ id: conv, userId: 'dl_a', locale: 'ja-JP', lastWatermark: 0 });
      expect(await f.store.getConversation('conversation-unknown-01')).toBeUndefined();
      f.close();
    });

    it('numbers activities 1, 2, 3… per conversation and pages after a watermark', async () => {
      const f = create({ maxActivities: 100 });
      await f.store.createConversation({ id: conv, userId: 'dl_a' });
      await f.store.createConversation({ id: 'conversation-0000000002', userId: 'dl_b' });
      const marks = [];
      for (const text of ['one', 'two', 'three']) marks.push((await f.store.appendActivity(conv, message(conv, text))).watermark);
      await f.store.appendActivity('conversation-0000000002', message('conversation-0000000002', 'other'));
      expect(marks).toEqual([1, 2, 3]);
      const all = await f.store.listActivities(conv, 0, 10);
      expect(all.activities.map((a) => a.text)).toEqual(['one', 'two', 'three']);
      expect(all.watermark).toBe(3);
      const page = await f.store.listActivities(conv, 1, 1);
      expect(page.activities.map((a) => a.text)).toEqual(['two']);
      expect(page.watermark).toBe(2);
      const none = await f.store.listActivities(conv, 3, 10);
      expect(none).toEqual({ activities: [], watermark: 3 });
      expect((await f.store.getConversation(conv))!.lastWatermark).toBe(3);
      f.close();
    });

    it('refuses activities for an unknown conversation and past the size limit, keeping what is stored', async () => {
      const f = create({ maxActivities: 2 });
      await expect(f.store.appendActivity('conversation-unknown-01', message('conversation-unknown-01', 'x'))).rejects.toMatchObject({ code: 'not_found' });
      await f.store.createConversation({ id: conv, userId: 'dl_a' });
      await f.store.appendActivity(conv, message(conv, 'a'));
      await f.store.appendActivity(conv, message(conv, 'b'));
      const full = await f.store.appendActivity(conv, message(conv, 'c')).catch((e: unknown) => e);
      expect(full).toBeInstanceOf(AppError);
      expect((full as AppError).code).toBe('conflict');
      expect((await f.store.listActivities(conv, 0, 10)).activities.map((a) => a.text)).toEqual(['a', 'b']);
      f.close();
    });

    it('updates an activity in place and deletes one by id', async () => {
      const f = create({ maxActivities: 100 });
      await f.store.createConversation({ id: conv, userId: 'dl_a' });
      const a = message(conv, 'before');
      await f.store.appendActivity(conv, a);
      const b = message(conv, 'second');
      await f.store.appendActivity(conv, b);
      expect(await f.store.updateActivity(conv, { ...a, text: 'after' })).toBe(true);
      expect(await f.store.updateActivity(conv, { ...a, id: `${conv}|missing` })).toBe(false);
      expect(await f.store.deleteActivity(conv, b.id!)).toBe(true);
      expect(await f.store.deleteActivity(conv, b.id!)).toBe(false);
      const page = await f.store.listActivities(conv, 0, 10);
      expect(page.activities.map((x) => [x.id, x.text])).toEqual([[a.id, 'after']]);
      f.close();
    });

    it('rewrites only the activities containing a needle, and only in that conversation', async () => {
      const f = create({ maxActivities: 100 });
      await f.store.createConversation({ id: conv, userId: 'dl_a' });
      await f.store.createConversation({ id: 'conversation-0000000002', userId: 'dl_b' });
      await f.store.appendActivity(conv, message(conv, 'form: a@example.com'));
      await f.store.appendActivity(conv, message(conv, 'plain'));
      await f.store.appendActivity('conversation-0000000002', message('conversation-0000000002', 'form: b@example.com'));
      const changed = await f.store.rewriteActivities(conv, 'form:', (a) => ({ ...a, text: 'form: [masked]' }));
      expect(changed).toBe(1);
      expect(await f.store.rewriteActivities(conv, 'form:', (a) => a)).toBe(0);
      expect((await f.store.listActivities(conv, 0, 10)).activities.map((a) => a.text)).toEqual(['form: [masked]', 'plain']);
      expect((await f.store.listActivities('conversation-0000000002', 0, 10)).activities[0]!.text).toBe('form: b@example.com');
      f.close();
    });

    it('moves token generations one at a time: of two refreshes from the same generation only one wins', async () => {
      const f = create({ maxActivities: 100 });
      // Tokens come before the conversation is started: no conversation row is needed.
      expect(await f.store.getTokenState(conv)).toEqual({ generation: 0, previousValidUntil: undefined, closedAt: undefined });
      const until = new Date('2030-01-01T00:00:30Z');
      const [a, b] = await Promise.all([f.store.advanceTokenGeneration(conv, 0, until), f.store.advanceTokenGeneration(conv, 0, until)]);
      expect([a, b].sort()).toEqual([1, undefined]);
      expect(await f.store.advanceTokenGeneration(conv, 0, until)).toBeUndefined();
      expect(await f.store.advanceTokenGeneration(conv, 1, new Date('2030-01-01T00:01:00Z'))).toBe(2);
      expect(await f.store.getTokenState(conv)).toEqual({ generation: 2, previousValidUntil: new Date('2030-01-01T00:01:00Z'), closedAt: undefined });
      expect((await f.store.getTokenState('conversation-0000000002')).generation).toBe(0);
      expect(await f.store.advanceTokenGeneration('conversation-0000000002', 5, until)).toBeUndefined();
      f.close();
    });

    it('closes a conversation once, whether or not it was started or refreshed; a closed one cannot be refreshed', async () => {
      const f = create({ maxActivities: 100 });
      f.setNow(new Date('2025-01-01T00:00:00Z'));
      await f.store.advanceTokenGeneration(conv, 0, new Date('2025-01-01T00:00:30Z'));
      expect(await f.store.closeConversation(conv)).toBe(true);
      expect(await f.store.closeConversation(conv)).toBe(false);
      expect(await f.store.getTokenState(conv)).toMatchObject({ generation: 1, closedAt: '2025-01-01T00:00:00.000Z' });
      expect(await f.store.advanceTokenGeneration(conv, 1, new Date('2025-01-01T00:01:00Z'))).toBeUndefined();
      expect(await f.store.closeConversation('conversation-never-refreshed')).toBe(true);
      expect((await f.store.getTokenState('conversation-never-refreshed')).closedAt).toBeDefined();
      expect(await f.store.advanceTokenGeneration('conversation-never-refreshed', 0, new Date('2025-01-01T00:01:00Z'))).toBeUndefined();
      f.close();
    });

    it('forgets token states untouched since the idle cutoff with the idle conversations', async () => {
      const f = create({ maxActivities: 100 });
      f.setNow(new Date('2025-01-01T00:00:00Z'));
      await f.store.closeConversation('conversation-old-000001');
      f.setNow(new Date('2025-03-01T00:00:00Z'));
      await f.store.closeConversation(conv);
      await f.store.deleteIdleConversations(new Date('2025-02-01T00:00:00Z'));
      expect((await f.store.getTokenState('conversation-old-000001')).closedAt).toBeUndefined();
      expect((await f.store.getTokenState(conv)).closedAt).toBeDefined();
      f.close();
    });

    it('deletes conversations idle since a cutoff, with their activities, and keeps active ones', async () => {
      const f = create({ maxActivities: 100 });
      f.setNow(new Date('2025-01-01T00:00:00Z'));
      await f.store.createConversation({ id: 'conversation-old-000001', userId: 'dl_a' });
      await f.store.appendActivity('conversation-old-000001', message('conversation-old-000001', 'old'));
      f.setNow(new Date('2025-03-01T00:00:00Z'));
      await f.store.createConversation({ id: conv, userId: 'dl_b' });
      expect(await f.store.deleteIdleConversations(new Date('2025-02-01T00:00:00Z'))).toBe(1);
      expect(await f.store.getConversation('conversation-old-000001')).toBeUndefined();
      expect((await f.store.listActivities('conversation-old-000001', 0, 10)).activities).toEqual([]);
      expect(await f.store.getConversation(conv)).toBeDefined();
      f.close();
    });
  });
}
