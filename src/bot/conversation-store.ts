import type { Storage } from 'botbuilder';
import { parseConversationData, type ConversationData } from '../conversation/conversation-data.js';
import { ETagConflictError } from '../storage/conversation-state.js';
import { readStorageItem, writeStorageItem } from '../storage/state-storage-adapter.js';

export interface LoadedConversation {
  /** Undefined for a new conversation, or one whose stored row no longer parses. */
  readonly data: ConversationData | undefined;
  /** The stored eTag; a save is refused if someone else wrote in between. */
  readonly eTag: string | undefined;
}

/**
 * Reads and writes {@link ConversationData} through any botbuilder `Storage`, carrying the
 * eTag from read to write. botbuilder's own ConversationState always writes with eTag '*'
 * (last writer wins), which silently loses turns; this does not.
 */
export class ConversationStore {
  constructor(private readonly storage: Storage) {}

  async load(key: string): Promise<LoadedConversation> {
    const item = (await readStorageItem(this.storage, key)) as (Record<string, unknown> & { eTag?: string }) | undefined;
    if (!item) return { data: undefined, eTag: undefined };
    const { eTag, ...rest } = item;
    return { data: parseConversationData(rest), eTag };
  }

  /**
   * Saves with optimistic concurrency: with an eTag the row must be unchanged since load,
   * else the Storage throws. A brand-new conversation has no eTag to compare: where the Storage
   * can create only-if-absent it does, so a second instance that also started the conversation
   * is refused (ETagConflictError) instead of silently overwriting the first one's turn. Other
   * Storages write it unconditionally; within one process the per-conversation lock orders turns.
   */
  async save(key: string, data: ConversationData, eTag: string | undefined): Promise<void> {
    if (eTag === undefined && canCreateOnly(this.storage)) {
      if (!(await this.storage.writeIfAbsent(key, { ...data }))) throw new ETagConflictError(key);
      return;
    }
    await writeStorageItem(this.storage, key, { ...data, eTag: eTag ?? '*' });
  }
}

/** A Storage that can create an item only if none exists yet (StateStoreStorage, e.g. SqliteStorage). */
interface CreateOnlyStorage extends Storage {
  writeIfAbsent(key: string, item: Record<string, unknown>): Promise<boolean>;
}

function canCreateOnly(storage: Storage): storage is CreateOnlyStorage {
  return typeof (storage as Partial<CreateOnlyStorage>).writeIfAbsent === 'function';
}
