/**
 * Conversation state, backend-neutral: what botbuilder's `Storage` needs (read, write with eTags,
 * delete) plus create-only, without botbuilder. SQLite (sqlite-conversation-state.ts) and
 * PostgreSQL (postgres-conversation-state.ts) implement it and pass one contract suite; the
 * botbuilder `Storage` is a thin adapter over it (state-storage-adapter.ts).
 */

/** One stored item: its data (JSON) and the eTag of this version. */
export interface StoredState {
  readonly data: Record<string, unknown>;
  readonly eTag: string;
}

/** One item to write: with an eTag, only if the stored item still has it; without (or '*'), unconditionally. */
export interface StateWrite {
  readonly data: Record<string, unknown>;
  readonly eTag?: string | undefined;
}

export interface ConversationStateStore {
  /** The items that exist among `keys` (missing keys are absent from the result). */
  read(keys: readonly string[]): Promise<Record<string, StoredState>>;
  /**
   * Writes every change or none: a change whose eTag no longer matches (or whose item does not
   * exist) throws {@link ETagConflictError} and nothing of the batch is written. Each write gives
   * the item a new eTag.
   */
  write(changes: Readonly<Record<string, StateWrite>>): Promise<void>;
  /**
   * {@link read} and {@link write} for one key: a turn reads and saves one conversation's row.
   * They take no record keyed by the key: a fresh property name per conversation gives V8 a new
   * hidden class every time, which a profile of the bot under load showed as a cost of its own.
   */
  readOne(key: string): Promise<StoredState | undefined>;
  writeOne(key: string, change: StateWrite): Promise<void>;
  /** Creates the item only if absent; false when another writer got there first. */
  create(key: string, data: Record<string, unknown>): Promise<boolean>;
  /** Deletes the items; a missing key is not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

/** Thrown on an eTag mismatch; the message matches botbuilder's own storages so callers can treat them alike. */
export class ETagConflictError extends Error {
  override readonly name = 'ETagConflictError';
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
  }
}

/** A stored row (JSON text and eTag, as both databases keep it) as a {@link StoredState}. */
export function storedState(row: { readonly data: string; readonly etag: string }): StoredState {
  return { data: JSON.parse(row.data) as Record<string, unknown>, eTag: row.etag };
}

/** True when a write carries no eTag to compare ('*', or none): last writer wins. */
export function isUnconditional(eTag: string | null | undefined): boolean {
  return eTag === undefined || eTag === null || eTag === '*';
}
