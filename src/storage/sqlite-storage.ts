/**
 * Bot Framework `Storage` on SQLite, kept under its old names for the callers that build it from a
 * database: the adapter (state-storage-adapter.ts) over {@link SqliteConversationStateStore}.
 * eTags are honoured: a write carrying an eTag succeeds only if the stored item still has it
 * ('*' or no eTag = unconditional); each `write` is one transaction.
 */
import type { SqliteDatabase } from './database.js';
import { SqliteConversationStateStore } from './sqlite-conversation-state.js';
import { StateStoreStorage } from './state-storage-adapter.js';

export { ETagConflictError } from './conversation-state.js';
export { botStateMigrations } from './sqlite-conversation-state.js';

export class SqliteStorage extends StateStoreStorage {
  constructor(db: SqliteDatabase) {
    super(new SqliteConversationStateStore(db));
  }
}
