/**
 * Conversation state rows kept by the SQLite connection between turns (issue 16): the store's own
 * reads come from memory, a commit by any other connection (another process on the file) empties
 * it, and only committed writes are remembered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ETagConflictError } from '../../src/storage/conversation-state.js';
import { openDatabase, type SqliteDatabase } from '../../src/storage/database.js';
import { botStateMigrations, SqliteConversationStateStore } from '../../src/storage/sqlite-conversation-state.js';
import { SqliteStateCache } from '../../src/storage/sqlite-state-cache.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Two connections on one file: `db` and `other` (another process). */
function files(): { db: SqliteDatabase; other: SqliteDatabase } {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-state-cache-'));
  const file = join(dir, 'bot.sqlite');
  const db = openDatabase(file, botStateMigrations);
  const other = openDatabase(file, botStateMigrations);
  cleanups.push(() => {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, other };
}

/** Changes a row on `db`'s own connection behind the store's back: only a cached read misses it. */
const behindTheBack = (db: SqliteDatabase, key: string, data: unknown) => db.prepare('UPDATE bot_state SET data = ? WHERE key = ?').run(JSON.stringify(data), key);

describe('SqliteStateCache under SqliteConversationStateStore', () => {
  it('answers the store\'s reads from memory once read or written, a missing row included', async () => {
    const { db } = files();
    const store = new SqliteConversationStateStore(db);
    await store.writeOne('a', { data: { v: 1 } });
    behindTheBack(db, 'a', { v: 'changed' });
    expect((await store.readOne('a'))!.data).toEqual({ v: 1 });
    expect(await store.readOne('none')).toBeUndefined();
    db.prepare("INSERT INTO bot_state (key, etag, data, updated_at) VALUES ('none', 'e', '{}', 'now')").run();
    expect(await store.readOne('none')).toBeUndefined();
  });

  it('a commit by another connection on the file (another process) is read by the next turn of the loop', async () => {
    const { db, other } = files();
    const store = new SqliteConversationStateStore(db);
    const elsewhere = new SqliteConversationStateStore(other);
    await store.writeOne('a', { data: { v: 1 } });
    const { eTag } = (await store.readOne('a'))!;
    expect(await store.readOne('b')).toBeUndefined();
    await elsewhere.writeOne('a', { data: { v: 2 }, eTag });
    await elsewhere.writeOne('b', { data: { v: 'new' } });
    expect((await store.readOne('a'))!.data).toEqual({ v: 2 });
    expect((await store.readOne('b'))!.data).toEqual({ v: 'new' });
    await expect(store.writeOne('a', { data: { v: 3 }, eTag })).rejects.toBeInstanceOf(ETagConflictError);
  });

  it('reads data_version once per turn of the event loop: another connection\'s commit is seen from the next one on', async () => {
    const { db, other } = files();
    const store = new SqliteConversationStateStore(db);
    await store.writeOne('a', { data: { v: 1 } });
    await new Promise((r) => setImmediate(r));
    expect((await store.readOne('a'))!.data).toEqual({ v: 1 });
    behindTheBack(other, 'a', { v: 'elsewhere' });
    // The same turn of the loop: as if the other commit had come a moment later.
    expect((await store.readOne('a'))!.data).toEqual({ v: 1 });
    await new Promise((r) => setImmediate(r));
    expect((await store.readOne('a'))!.data).toEqual({ v: 'elsewhere' });
  });

  it('remembers nothing of a write that failed or was refused: the next read asks the database', async () => {
    const { db } = files();
    const store = new SqliteConversationStateStore(db);
    await store.writeOne('a', { data: { v: 1 } });
    const { eTag } = (await store.readOne('a'))!;
    db.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON bot_state WHEN NEW.data LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    await expect(store.writeOne('a', { data: { v: 'poison' }, eTag })).rejects.toThrow(/disk trouble/);
    behindTheBack(db, 'a', { v: 'as stored' });
    expect((await store.readOne('a'))!.data).toEqual({ v: 'as stored' });
    await expect(store.writeOne('a', { data: { v: 2 }, eTag: 'stale' })).rejects.toBeInstanceOf(ETagConflictError);
    behindTheBack(db, 'a', { v: 'as stored again' });
    expect((await store.readOne('a'))!.data).toEqual({ v: 'as stored again' });
  });

  it('remembers nothing read or written inside a caller\'s transaction that is then rolled back (the replayer\'s)', async () => {
    const { db } = files();
    const store = new SqliteConversationStateStore(db);
    await store.writeOne('a', { data: { v: 1 } });
    expect((await store.readOne('a'))!.data).toEqual({ v: 1 });
    db.exec('BEGIN');
    await store.write({ a: { data: { v: 'inside' } } });
    await store.writeOne('b', { data: { v: 'inside' } });
    expect((await store.readOne('a'))!.data).toEqual({ v: 'inside' });
    expect((await store.readOne('b'))!.data).toEqual({ v: 'inside' });
    db.exec('ROLLBACK');
    expect((await store.readOne('a'))!.data).toEqual({ v: 1 });
    expect(await store.readOne('b')).toBeUndefined();
  });

  it('a deleted row is read as missing; each read gets its own copy', async () => {
    const { db } = files();
    const store = new SqliteConversationStateStore(db);
    await store.write({ a: { data: { list: [1] } }, b: { data: { v: 1 } } });
    const first = (await store.readOne('a'))!;
    (first.data['list'] as number[]).push(2);
    expect((await store.readOne('a'))!.data).toEqual({ list: [1] });
    await store.delete(['a']);
    expect(await store.readOne('a')).toBeUndefined();
    expect(await store.read(['a', 'b'])).toEqual({ b: expect.objectContaining({ data: { v: 1 } }) });
  });

  it('keeps at most its capacity, the least recently used forgotten first', async () => {
    const { db } = files();
    SqliteStateCache.of(db, 2);
    const store = new SqliteConversationStateStore(db);
    for (const k of ['a', 'b', 'c']) await store.writeOne(k, { data: { v: k } });
    for (const k of ['a', 'b', 'c']) behindTheBack(db, k, { v: 'db' });
    expect((await store.readOne('a'))!.data).toEqual({ v: 'db' });
    expect((await store.readOne('c'))!.data).toEqual({ v: 'c' });
  });
});
