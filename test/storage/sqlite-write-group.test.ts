/** Group commit on one SQLite connection (src/storage/sqlite-write-group.ts). */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { botStateMigrations } from '../../src/storage/sqlite-conversation-state.js';
import { SqliteWriteGroup } from '../../src/storage/sqlite-write-group.js';

const open = () => openDatabase(':memory:', botStateMigrations);

describe('SqliteWriteGroup', () => {
  it('is one per connection, so every store on it commits together', () => {
    const db = open();
    expect(SqliteWriteGroup.of(db)).toBe(SqliteWriteGroup.of(db));
    expect(SqliteWriteGroup.of(open())).not.toBe(SqliteWriteGroup.of(db));
  });

  it('writes what arrives together in one transaction, answers each in order, and a lone write on its own', async () => {
    const db = open();
    const group = SqliteWriteGroup.of(db);
    const together = await Promise.all([group.add(() => ['a', db.inTransaction]), group.add(() => ['b', db.inTransaction])]);
    expect(together).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(await group.add(() => db.inTransaction)).toBe(false);
  });

  it('two stores on one connection (the state and the redaction memory) share the commit', async () => {
    const db = open();
    const seen: boolean[] = [];
    const original = db.prepare.bind(db);
    // Every statement the stores run reports whether it ran inside the group's transaction.
    db.prepare = ((sql: string) => {
      const statement = original(sql);
      if (!/^\s*(INSERT|UPDATE)/i.test(sql)) return statement;
      const run = statement.run.bind(statement);
      statement.run = ((...args: unknown[]) => {
        seen.push(db.inTransaction);
        return run(...(args as []));
      }) as typeof statement.run;
      return statement;
    }) as typeof db.prepare;
    const state = new SqliteStorage(db);
    const memory = new SqliteStorage(db);
    await Promise.all([state.writeItem('conversation', { step: 'menu' }), memory.writeItem('conversation/redaction', { digitsExpected: true })]);
    expect(seen).toEqual([true, true]);
    expect(await state.readItem('conversation')).toMatchObject({ step: 'menu' });
    expect(await memory.readItem('conversation/redaction')).toMatchObject({ digitsExpected: true });
  });

  it('refuses the whole group with the error of a write that throws, and the next group is written as usual', async () => {
    const db = open();
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const group = SqliteWriteGroup.of(db);
    const failed = await Promise.allSettled([group.add(() => insert.run('kept?')), group.add(() => insert.run(null))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    await Promise.all([group.add(() => insert.run('one')), group.add(() => insert.run('two'))]);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').all()).toEqual([{ v: 'one' }, { v: 'two' }]);
  });

  it('flush writes the queue at once (shutdown: before the connection closes)', async () => {
    const db = open();
    const state = new SqliteStorage(db);
    const saved = state.writeItem('last', { step: 'cut off at shutdown' });
    SqliteWriteGroup.of(db).flush();
    db.close();
    await expect(saved).resolves.toBeUndefined();
  });
});
