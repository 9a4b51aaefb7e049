import { MemoryStorage } from 'botbuilder';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { botStateMigrations, SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { describeStorageContract } from './storage.contract.js';

describeStorageContract('botbuilder MemoryStorage (reference)', async () => ({ storage: new MemoryStorage() }));

describeStorageContract('SqliteStorage', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-storage-'));
  const db = openDatabase(join(dir, 'bot.sqlite'), botStateMigrations);
  return {
    storage: new SqliteStorage(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStorage specifics', () => {
  it('keeps data across a close and reopen of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-storage-'));
    const file = join(dir, 'bot.sqlite');
    const db1 = openDatabase(file, botStateMigrations);
    await new SqliteStorage(db1).write({ k: { step: 'smsNotReceived' } });
    db1.close();
    const db2 = openDatabase(file, botStateMigrations);
    expect((await new SqliteStorage(db2).read(['k']))['k']).toMatchObject({ step: 'smsNotReceived' });
    db2.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing of a batch in which one item conflicts', async () => {
    const db = openDatabase(':memory:', botStateMigrations);
    const storage = new SqliteStorage(db);
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    await expect(storage.write({ a: { v: 2, eTag: '*' }, b: { v: 2, eTag: 'stale' } })).rejects.toThrow(/eTag conflict/);
    const items = await storage.read(['a', 'b']);
    expect(items['a']!.v).toBe(1);
    expect(items['b']!.v).toBe(1);
  });

  it('creates an item only once with writeIfAbsent', async () => {
    const storage = new SqliteStorage(openDatabase(':memory:', botStateMigrations));
    expect(await storage.writeIfAbsent('k', { v: 1 })).toBe(true);
    expect(await storage.writeIfAbsent('k', { v: 2 })).toBe(false);
    expect((await storage.read(['k']))['k']!.v).toBe(1);
  });

  it('applies migrations once and refuses duplicate ids', () => {
    const db = openDatabase(':memory:', botStateMigrations);
    expect(() => openDatabase(':memory:', [...botStateMigrations, ...botStateMigrations])).toThrow(/duplicate migration/);
    const rows = db.prepare('SELECT id FROM schema_migrations').all();
    expect(rows).toEqual([{ id: 'bot-state-001' }]);
  });
});
