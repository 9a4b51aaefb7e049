/** The conversation state contract on SQLite: two handles on one file stand for two processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { botStateMigrations, SqliteConversationStateStore } from '../../src/storage/sqlite-conversation-state.js';
import { conversationStateContract } from './conversation-state.contract.js';

describe('SqliteConversationStateStore', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });

  conversationStateContract(() => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-state-'));
    const file = join(dir, 'bot.sqlite');
    const dbs: SqliteDatabase[] = [openDatabase(file, botStateMigrations), openDatabase(file, botStateMigrations)];
    cleanups.push(() => {
      for (const db of dbs) db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { store: new SqliteConversationStateStore(dbs[0]!), twin: new SqliteConversationStateStore(dbs[1]!) };
  });
});
