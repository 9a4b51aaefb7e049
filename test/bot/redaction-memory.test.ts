/**
 * The redaction memory kept in the process for the embedded database: the same answers as the
 * store, without a lookup for each message, and never an older memory than the store holds.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryRedactionMemory, ProcessCachedRedactionMemory, type RedactionMemory, type RedactionMemoryStore } from '../../src/bot/redaction-memory.js';

/** A store that counts its reads and can hold a read or fail a write. */
class CountingStore implements RedactionMemoryStore {
  readonly inner = new InMemoryRedactionMemory();
  reads = 0;
  failWrites = false;
  holdReads: Promise<void> | undefined;

  async read(key: string): Promise<RedactionMemory | undefined> {
    this.reads++;
    const value = await this.inner.read(key);
    if (this.holdReads) await this.holdReads;
    return value;
  }

  async write(key: string, memory: RedactionMemory): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    await this.inner.write(key, memory);
  }
}

const memory = (codeDigits: number, at = 1): RedactionMemory => ({ hint: { codeDigits }, digitsExpected: false, at });

describe('ProcessCachedRedactionMemory', () => {
  it('reads a conversation from the store once, whether it has a memory or not, and answers later reads itself', async () => {
    const store = new CountingStore();
    await store.inner.write('a', memory(3));
    const cached = new ProcessCachedRedactionMemory(store);
    expect(await cached.read('a')).toEqual(memory(3));
    expect(await cached.read('a')).toEqual(memory(3));
    expect(await cached.read('none')).toBeUndefined();
    expect(await cached.read('none')).toBeUndefined();
    expect(store.reads).toBe(2);
  });

  it('answers what it last wrote, which the store holds too', async () => {
    const store = new CountingStore();
    const cached = new ProcessCachedRedactionMemory(store);
    expect(await cached.read('a')).toBeUndefined();
    await cached.write('a', memory(4));
    expect(await cached.read('a')).toEqual(memory(4));
    expect(await store.inner.read('a')).toEqual(memory(4));
    expect(store.reads).toBe(1);
  });

  it('does not keep an older memory read while a write overtook it', async () => {
    const store = new CountingStore();
    await store.inner.write('a', memory(3));
    const cached = new ProcessCachedRedactionMemory(store);
    let release!: () => void;
    store.holdReads = new Promise((r) => (release = r));
    const slowRead = cached.read('a');
    await cached.write('a', memory(5));
    release();
    expect(await slowRead).toEqual(memory(3));
    store.holdReads = undefined;
    expect(await cached.read('a')).toEqual(memory(5));
  });

  it('keeps nothing of a write the store refused', async () => {
    const store = new CountingStore();
    const cached = new ProcessCachedRedactionMemory(store);
    await cached.write('a', memory(3));
    store.failWrites = true;
    await expect(cached.write('a', memory(5))).rejects.toThrow('disk full');
    expect(await cached.read('a')).toEqual(memory(3));
  });

  it('forgets the least recently used conversation past its capacity, and reads it from the store again', async () => {
    const store = new CountingStore();
    const cached = new ProcessCachedRedactionMemory(store, 2);
    await cached.read('a');
    await cached.read('b');
    await cached.read('a');
    await cached.read('c');
    expect(store.reads).toBe(3);
    await cached.read('a');
    expect(store.reads).toBe(3);
    await cached.read('b');
    expect(store.reads).toBe(4);
  });
});
