/** The conversation state contract on SQLite: two handles on one file stand for two processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { ETagConflictError } from '../../src/storage/conversation-state.js';
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
  for (const raise of ['ABORT', 'ROLLBACK'] as const) {
    it(`a write that fails for another reason than its eTag (RAISE(${raise})) is refused alone: the writes beside it are stored as on their own`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tfa-state-'));
      const db = openDatabase(join(dir, 'bot.sqlite'), botStateMigrations);
      try {
        const store = new SqliteConversationStateStore(db);
        await store.writeOne('kept', { data: { v: 0 } });
        const { eTag } = (await store.readOne('kept'))!;
        // A trigger stands for the disk or a lock failing in the middle of a group; ROLLBACK is
        // what SQLite does to the whole transaction on a full disk or an I/O error.
        db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON bot_state WHEN NEW.key = 'poison' BEGIN SELECT RAISE(${raise}, 'disk trouble'); END`);
        const results = await Promise.allSettled([
          store.writeOne('kept', { data: { v: 1 }, eTag }),
          store.writeOne('poison', { data: { v: 1 } }),
          store.create('fresh', { v: 1 }),
          store.writeOne('stale', { data: { v: 1 }, eTag: 'invented' }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
        expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/disk trouble/);
        expect((results[2] as PromiseFulfilledResult<boolean>).value).toBe(true);
        expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(ETagConflictError);
        expect((await store.readOne('kept'))!.data).toEqual({ v: 1 });
        expect((await store.readOne('fresh'))!.data).toEqual({ v: 1 });
        expect(await store.readOne('poison')).toBeUndefined();
        expect(db.inTransaction).toBe(false);
      } finally {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
