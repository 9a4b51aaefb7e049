/** The conversation state contract on SQLite: two handles on one file stand for two processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('SqliteConversationStateStore group commit', () => {
  it('a write that fails for another reason than its eTag refuses its whole group, and nothing of it is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-state-'));
    const db = openDatabase(join(dir, 'bot.sqlite'), botStateMigrations);
    try {
      const store = new SqliteConversationStateStore(db);
      await store.writeOne('kept', { data: { v: 0 } });
      // A trigger stands for the disk or a lock failing in the middle of a group.
      db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON bot_state WHEN NEW.key = 'poison' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
      const results = await Promise.allSettled([
        store.writeOne('kept', { data: { v: 1 } }),
        store.writeOne('poison', { data: { v: 1 } }),
        store.create('fresh', { v: 1 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toMatch(/disk trouble/);
      expect((await store.readOne('kept'))!.data).toEqual({ v: 0 });
      expect(await store.readOne('fresh')).toBeUndefined();
      // The next group is written as usual.
      await Promise.all([store.writeOne('kept', { data: { v: 2 } }), store.create('fresh', { v: 2 })]);
      expect((await store.readOne('kept'))!.data).toEqual({ v: 2 });
      expect((await store.readOne('fresh'))!.data).toEqual({ v: 2 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
