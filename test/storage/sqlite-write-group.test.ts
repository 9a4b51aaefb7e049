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

  it('a write that throws fails the group, which runs each write again on its own: only that write is refused', async () => {
    const db = open();
    db.exec('CREATE TABLE t (v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const group = SqliteWriteGroup.of(db);
    const runs: string[] = [];
    const results = await Promise.allSettled([
      group.add(() => {
        runs.push('first');
        return insert.run('first').changes;
      }),
      group.add(() => insert.run(null)),
      group.add(() => insert.run('third').changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    // Run in the group (rolled back), then again on its own: stored once.
    expect(runs).toEqual(['first', 'first']);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').all()).toEqual([{ v: 'first' }, { v: 'third' }]);
  });

  it('a write that catches its own error after SQLite rolled the whole transaction back fails the group: no write runs outside it', async () => {
    const db = open();
    db.exec(`CREATE TABLE t (v TEXT NOT NULL);
             CREATE TRIGGER full_disk BEFORE INSERT ON t WHEN NEW.v = 'full' BEGIN SELECT RAISE(ROLLBACK, 'disk full'); END`);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const group = SqliteWriteGroup.of(db);
    const inTransaction: boolean[] = [];
    const results = await Promise.allSettled([
      group.add(() => insert.run('before')),
      group.add(() => {
        try {
          insert.run('full');
        } catch {
          return 'swallowed';
        }
        return 'written';
      }),
      group.add(() => {
        inTransaction.push(db.inTransaction);
        return insert.run('after').changes;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    // The third write never ran outside the group's transaction: only its run on its own did.
    expect(inTransaction).toEqual([false]);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').all()).toEqual([{ v: 'before' }, { v: 'after' }]);
    expect(db.inTransaction).toBe(false);
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
