/**
 * The Direct Line store contract on PostgreSQL, and two instances appending to one web chat
 * conversation at once: watermarks 1..n without gaps or repeats, every activity kept.
 */
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { newActivityId } from '../../src/channel/directline/directline-store.js';
import { PostgresDirectLineStore, postgresDirectLineMigrations } from '../../src/channel/directline/postgres-directline-store.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { describeDirectLineStoreContract } from './directline-store.contract.js';

describe.skipIf(skipPostgres())('PostgresDirectLineStore', () => {
  const db = usePostgresSchema(postgresDirectLineMigrations);

  describeDirectLineStoreContract('PostgreSQL', ({ maxActivities }) => {
    let now = new Date();
    const store = new PostgresDirectLineStore(db.pool, { maxActivitiesPerConversation: maxActivities, now: () => now });
    // The pool belongs to the file's schema, closed after all its tests.
    return { store, setNow: (d: Date) => (now = d), close: () => undefined };
  });

  it('two instances appending to one conversation at once number every activity once, in order', async () => {
    const other = poolIn(db.schema);
    try {
      const stores = [new PostgresDirectLineStore(db.pool), new PostgresDirectLineStore(other)];
      const conv = 'conversation-two-instances';
      await stores[0]!.createConversation({ id: conv, userId: 'dl_a' });
      const appended = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          stores[i % 2]!.appendActivity(conv, { type: 'message', id: newActivityId(conv), text: `m${i}` } as Activity),
        ),
      );
      expect(appended.map((a) => a.watermark).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const page = await stores[1]!.listActivities(conv, 0, 100);
      expect(page.watermark).toBe(30);
      expect(new Set(page.activities.map((a) => a.text)).size).toBe(30);
    } finally {
      await other.end();
    }
  });
});
