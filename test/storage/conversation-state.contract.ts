import { expect, it } from 'vitest';
import { ETagConflictError, type ConversationStateStore } from '../../src/storage/conversation-state.js';

export interface StateStoresUnderTest {
  readonly store: ConversationStateStore;
  /** A second instance on the same database (another process, another bot instance). */
  readonly twin: ConversationStateStore;
}

/**
 * What every {@link ConversationStateStore} must do, registered inside the caller's `describe`:
 * round trips, eTags (stale, invented, '*'), atomic batches, create-only, deletes, and writers on
 * two instances racing with one eTag (exactly one wins).
 */
export function conversationStateContract(open: () => Promise<StateStoresUnderTest> | StateStoresUnderTest): void {
  it('reads back what it wrote with an eTag; unknown keys are absent', async () => {
    const { store } = await open();
    const data = { n: 1, nested: { s: 'こんにちは', list: [1, 'two', null] }, nul: 'a\u0000b' };
    await store.write({ a: { data } });
    const items = await store.read(['a', 'missing']);
    expect(items['a']!.data).toEqual(data);
    expect(typeof items['a']!.eTag).toBe('string');
    expect(Object.keys(items)).toEqual(['a']);
    expect(await store.read([])).toEqual({});
  });

  it('accepts the current eTag and gives a new one; refuses a stale one and keeps the stored item', async () => {
    const { store } = await open();
    await store.write({ k: { data: { v: 1 } } });
    const first = (await store.read(['k']))['k']!;
    await store.write({ k: { data: { v: 2 }, eTag: first.eTag } });
    const second = (await store.read(['k']))['k']!;
    expect(second).toMatchObject({ data: { v: 2 } });
    expect(second.eTag).not.toBe(first.eTag);
    const stale = store.write({ k: { data: { v: 3 }, eTag: first.eTag } });
    await expect(stale).rejects.toBeInstanceOf(ETagConflictError);
    await expect(stale).rejects.toThrow(/eTag conflict/);
    expect((await store.read(['k']))['k']).toEqual(second);
  });

  it('refuses an eTag for an item that does not exist', async () => {
    const { store } = await open();
    await expect(store.write({ nobody: { data: { v: 1 }, eTag: 'invented' } })).rejects.toBeInstanceOf(ETagConflictError);
    expect(await store.read(['nobody'])).toEqual({});
  });

  it("writes unconditionally without an eTag or with '*'", async () => {
    const { store } = await open();
    await store.write({ k: { data: { v: 1 } } });
    await store.write({ k: { data: { v: 2 }, eTag: '*' } });
    expect((await store.read(['k']))['k']!.data).toEqual({ v: 2 });
    await store.write({ k: { data: { v: 3 } } });
    expect((await store.read(['k']))['k']!.data).toEqual({ v: 3 });
  });

  it('writes nothing of a batch in which one item conflicts', async () => {
    const { store } = await open();
    await store.write({ a: { data: { v: 1 } }, b: { data: { v: 1 } } });
    await expect(store.write({ a: { data: { v: 2 }, eTag: '*' }, fresh: { data: { v: 2 } }, b: { data: { v: 2 }, eTag: 'stale' } })).rejects.toBeInstanceOf(
      ETagConflictError,
    );
    const items = await store.read(['a', 'b', 'fresh']);
    expect(items['a']!.data).toEqual({ v: 1 });
    expect(items['b']!.data).toEqual({ v: 1 });
    expect(items['fresh']).toBeUndefined();
  });

  it('reads and writes one key as read and write do: round trip, stale and invented eTags refused, the stored item kept', async () => {
    const { store, twin } = await open();
    expect(await store.readOne('one')).toBeUndefined();
    await store.writeOne('one', { data: { v: 1, nested: { s: 'こんにちは' } } });
    const first = (await store.readOne('one'))!;
    expect(first).toEqual((await twin.read(['one']))['one']);
    expect(first.data).toEqual({ v: 1, nested: { s: 'こんにちは' } });
    await store.writeOne('one', { data: { v: 2 }, eTag: first.eTag });
    const second = (await twin.readOne('one'))!;
    expect(second.data).toEqual({ v: 2 });
    expect(second.eTag).not.toBe(first.eTag);
    await expect(twin.writeOne('one', { data: { v: 3 }, eTag: first.eTag })).rejects.toBeInstanceOf(ETagConflictError);
    await expect(store.writeOne('nobody', { data: { v: 1 }, eTag: 'invented' })).rejects.toBeInstanceOf(ETagConflictError);
    expect(await store.readOne('one')).toEqual(second);
    expect(await store.readOne('nobody')).toBeUndefined();
    await store.writeOne('one', { data: { v: 4 }, eTag: '*' });
    expect((await store.readOne('one'))!.data).toEqual({ v: 4 });
  });

  it('one-key writes at once (a busy moment: on SQLite they share a commit): each keeps its own eTag check and its own answer', async () => {
    const { store, twin } = await open();
    for (const k of ['a', 'b', 'c']) await store.writeOne(k, { data: { v: 0 } });
    const eTags = Object.fromEntries(await Promise.all(['a', 'b', 'c'].map(async (k) => [k, (await store.readOne(k))!.eTag] as const)));
    // b is changed by the other instance first, so its writer's eTag is stale.
    await twin.writeOne('b', { data: { v: 'twin' }, eTag: eTags['b'] });
    const snapshot = { nested: { v: 1 } };
    const results = await Promise.allSettled([
      store.writeOne('a', { data: { v: 1 }, eTag: eTags['a'] }),
      store.writeOne('b', { data: { v: 1 }, eTag: eTags['b'] }),
      store.writeOne('c', { data: snapshot, eTag: eTags['c'] }),
      store.writeOne('d', { data: { v: 1 } }),
      store.create('e', { v: 1 }),
      store.create('a', { v: 'again' }),
    ]);
    // Changed after the call: what was written is what the object held when written.
    snapshot.nested.v = 2;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ETagConflictError);
    expect((results[4] as PromiseFulfilledResult<boolean>).value).toBe(true);
    expect((results[5] as PromiseFulfilledResult<boolean>).value).toBe(false);
    const items = await twin.read(['a', 'b', 'c', 'd', 'e']);
    expect(Object.fromEntries(Object.entries(items).map(([k, item]) => [k, item.data]))).toEqual({
      a: { v: 1 },
      b: { v: 'twin' },
      c: { nested: { v: 1 } },
      d: { v: 1 },
      e: { v: 1 },
    });
  });

  it('creates an item only once', async () => {
    const { store } = await open();
    expect(await store.create('k', { v: 1 })).toBe(true);
    expect(await store.create('k', { v: 2 })).toBe(false);
    expect((await store.read(['k']))['k']!.data).toEqual({ v: 1 });
  });

  it('deletes; a missing key is not an error', async () => {
    const { store } = await open();
    await store.write({ k: { data: { v: 1 } }, other: { data: { v: 2 } } });
    await store.delete(['k', 'never-there']);
    await store.delete([]);
    const items = await store.read(['k', 'other']);
    expect(items['k']).toBeUndefined();
    expect(items['other']!.data).toEqual({ v: 2 });
  });

  it('two instances writing with one eTag at once: exactly one wins, the others conflict', async () => {
    const { store, twin } = await open();
    await store.write({ k: { data: { v: 0 } } });
    const { eTag } = (await store.read(['k']))['k']!;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? twin : store).write({ k: { data: { v: i + 1 }, eTag } })),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i + 1] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ETagConflictError);
    expect((await twin.read(['k']))['k']!.data).toEqual({ v: won[0] });
  });

  it('two instances creating one item at once: exactly one creates it', async () => {
    const { store, twin } = await open();
    const created = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? twin : store).create('new', { by: i })));
    expect(created.filter(Boolean)).toHaveLength(1);
    expect((await store.read(['new']))['new']!.data).toEqual({ by: created.indexOf(true) });
  });
}
