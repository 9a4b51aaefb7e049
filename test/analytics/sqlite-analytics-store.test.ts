import { describe, expect, it } from 'vitest';
import { analyticsMigrations, SqliteAnalyticsStore } from '../../src/analytics/sqlite-analytics-store.js';
import { openDatabase } from '../../src/storage/database.js';
import { analyticsStoreContract, turn } from './analytics-store.contract.js';

analyticsStoreContract('SQLite', () => new SqliteAnalyticsStore(openDatabase(':memory:', analyticsMigrations)));

describe('SqliteAnalyticsStore', () => {
  it('writes a batch all or nothing', async () => {
    const db = openDatabase(':memory:', analyticsMigrations);
    const store = new SqliteAnalyticsStore(db);
    // A rating outside 1-5 breaks the table's CHECK: the whole batch is rolled back.
    const bad = turn('k1', 1, { flow: 'troubleshooting', step: 'x', rating: { value: 9 as 5, about: 'resolution' } });
    await expect(store.record([turn('k2', 0, { flow: 'troubleshooting', step: 'start' }), bad])).rejects.toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM conversation_sessions').get()).toEqual({ n: 0 });
  });

  it('keeps no raw conversation key: the key column holds what the recorder hashed', async () => {
    const db = openDatabase(':memory:', analyticsMigrations);
    const columns = (db.prepare("SELECT name FROM pragma_table_info('conversation_sessions')").all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('conversation_id');
    expect(columns).not.toContain('user_id');
    expect(columns).toContain('key_hash');
  });
});
