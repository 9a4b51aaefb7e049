import type { Storage } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { readStorageItem, writeStorageItem } from '../../src/storage/state-storage-adapter.js';

/**
 * What every bot `Storage` in this project must do, run against each implementation:
 * round-trips, deletes, and eTag concurrency that refuses a stale write.
 */
export function describeStorageContract(name: string, create: () => Promise<{ storage: Storage; close?: () => void }>): void {
  describe(`Storage contract: ${name}`, () => {
    it('reads back what it wrote, with an eTag, and nothing for unknown keys', async () => {
      const { storage, close } = await create();
      await storage.write({ a: { n: 1, nested: { s: 'こんにちは' } } });
      const items = await storage.read(['a', 'missing']);
      expect(items['a']).toMatchObject({ n: 1, nested: { s: 'こんにちは' } });
      expect(typeof items['a']!.eTag).toBe('string');
      expect(items['missing']).toBeUndefined();
      close?.();
    });

    it('reads and writes one item through readStorageItem and writeStorageItem as through read and write', async () => {
      const { storage, close } = await create();
      expect(await readStorageItem(storage, 'one')).toBeUndefined();
      await writeStorageItem(storage, 'one', { v: 1 });
      const first = (await readStorageItem(storage, 'one'))!;
      expect(first).toEqual((await storage.read(['one']))['one']);
      await writeStorageItem(storage, 'one', { v: 2, eTag: first.eTag });
      expect((await storage.read(['one']))['one']!.v).toBe(2);
      await expect(writeStorageItem(storage, 'one', { v: 3, eTag: first.eTag })).rejects.toThrow(/eTag conflict/);
      expect((await readStorageItem(storage, 'one'))!.v).toBe(2);
      close?.();
    });

    it('accepts a write carrying the current eTag and changes the eTag', async () => {
      const { storage, close } = await create();
      await storage.write({ k: { v: 1 } });
      const first = (await storage.read(['k']))['k']!;
      await storage.write({ k: { v: 2, eTag: first.eTag } });
      const second = (await storage.read(['k']))['k']!;
      expect(second.v).toBe(2);
      expect(second.eTag).not.toBe(first.eTag);
      close?.();
    });

    it('refuses a write carrying a stale eTag and keeps the stored item', async () => {
      const { storage, close } = await create();
      await storage.write({ k: { v: 1 } });
      const stale = (await storage.read(['k']))['k']!;
      await storage.write({ k: { v: 2, eTag: stale.eTag } });
      await expect(storage.write({ k: { v: 3, eTag: stale.eTag } })).rejects.toThrow(/eTag conflict/);
      expect((await storage.read(['k']))['k']!.v).toBe(2);
      close?.();
    });

    it("writes unconditionally with eTag '*'", async () => {
      const { storage, close } = await create();
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 9, eTag: '*' } });
      expect((await storage.read(['k']))['k']!.v).toBe(9);
      close?.();
    });

    it('deletes, and deleting a missing key is not an error', async () => {
      const { storage, close } = await create();
      await storage.write({ k: { v: 1 }, other: { v: 2 } });
      await storage.delete(['k', 'never-there']);
      const items = await storage.read(['k', 'other']);
      expect(items['k']).toBeUndefined();
      expect(items['other']!.v).toBe(2);
      close?.();
    });
  });
}
