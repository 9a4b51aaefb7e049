/**
 * botbuilder's `Storage` as a thin adapter over a {@link ConversationStateStore}: items travel as
 * `{ ...data, eTag }`, a write's eTag (none, null or '*': unconditional) goes to the store, and an
 * eTag conflict surfaces as {@link ETagConflictError}. The one file of storage/ that speaks botbuilder.
 */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
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
    for (const [key, item] of Object.entries(changes)) writes[key] = stateWrite(item);
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

  /** {@link read} of one key, without a result keyed by it (see ConversationStateStore.readOne). */
  async readItem(key: string): Promise<StoreItem | undefined> {
    const stored = await this.store.readOne(key);
    return stored && { ...stored.data, eTag: stored.eTag };
  }

  /** {@link write} of one key, without a change set keyed by it. */
  async writeItem(key: string, item: StoreItem): Promise<void> {
    await this.store.writeOne(key, stateWrite(item));
  }
}

/** A botbuilder item as a store write: its eTag (none, null or '*': unconditional) apart from its data. */
function stateWrite(item: StoreItem | undefined): StateWrite {
  const { eTag, ...data } = (item ?? {}) as { eTag?: unknown } & Record<string, unknown>;
  return { data, eTag: eTag === undefined || eTag === null ? undefined : String(eTag) };
}

/**
 * One item of any botbuilder `Storage`: through {@link StateStoreStorage.readItem} when the
 * storage is ours (every turn reads its conversation this way), else through `read`. Chosen by
 * class: a subclass of StateStoreStorage that changes `read` or `write` (to encrypt, to count)
 * must change `readItem` and `writeItem` the same way, or turns would go around it.
 */
export async function readStorageItem(storage: Storage, key: string): Promise<StoreItem | undefined> {
  if (storage instanceof StateStoreStorage) return storage.readItem(key);
  return (await storage.read([key]))[key];
}

/** Writes one item to any botbuilder `Storage`, as {@link readStorageItem} reads it. */
export async function writeStorageItem(storage: Storage, key: string, item: StoreItem): Promise<void> {
  if (storage instanceof StateStoreStorage) return storage.writeItem(key, item);
  await storage.write({ [key]: item });
}
