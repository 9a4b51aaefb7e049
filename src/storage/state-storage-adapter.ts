/**
 * botbuilder's `Storage` as a thin adapter over a {@link ConversationStateStore}: items travel as
 * `{ ...data, eTag }`, a write's eTag (none, null or '*': unconditional) goes to the store, and an
 * eTag conflict surfaces as {@link ETagConflictError}. The one file of storage/ that speaks botbuilder.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { ConversationStateStore, StateWrite } from './conversation-state.js';

export class StateStoreStorage implements Storage {
  constructor(readonly store: ConversationStateStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const [key, { data, eTag }] of Object.entries(await this.store.read(keys))) items[key] = { ...data, eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const writes: Record<string, StateWrite> = {};
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = (item ?? {}) as { eTag?: unknown } & Record<string, unknown>;
      writes[key] = { data, eTag: eTag === undefined || eTag === null ? undefined : String(eTag) };
    }
    await this.store.write(writes);
  }

  /**
   * Creates the item only if absent: the first writer of a new conversation wins even
   * without an eTag to compare. Returns false when another writer got there first.
   */
  async writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean> {
    const { eTag: _ignored, ...data } = item;
    return this.store.create(key, data);
  }

  async delete(keys: string[]): Promise<void> {
    await this.store.delete(keys);
  }
}
