import { afterEach, describe, expect, it } from 'vitest';
import { directLineMigrations, SqliteDirectLineStore } from '../../src/channel/directline/sqlite-directline-store.js';
import { newActivityId } from '../../src/channel/directline/directline-store.js';
import { openDatabase } from '../../src/storage/database.js';
import { describeDirectLineStoreContract } from './directline-store.contract.js';
import { tempDatabase } from './directline-server.js';

function fixture(file: string, maxActivities: number) {
  const db = openDatabase(file, directLineMigrations);
  let now = new Date();
  const store = new SqliteDirectLineStore(db, { maxActivitiesPerConversation: maxActivities, now: () => now });
  return { store, setNow: (d: Date) => (now = d), close: () => db.close() };
}

describeDirectLineStoreContract('SQLite in memory', ({ maxActivities }) => fixture(':memory:', maxActivities));

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describeDirectLineStoreContract('SQLite file', ({ maxActivities }) => {
  const tmp = tempDatabase();
  cleanups.push(tmp.remove);
  return fixture(tmp.file, maxActivities);
});

describe('SqliteDirectLineStore', () => {
  it('keeps conversations and watermarks across closing and reopening the file', async () => {
    const tmp = tempDatabase();
    cleanups.push(tmp.remove);
    const conv = 'conversation-persist-01';
    const first = fixture(tmp.file, 100);
    await first.store.createConversation({ id: conv, userId: 'dl_a', locale: 'en-US' });
    await first.store.appendActivity(conv, { type: 'message', id: newActivityId(conv), text: 'before restart' } as never);
    first.close();
    const second = fixture(tmp.file, 100);
    expect(await second.store.getConversation(conv)).toMatchObject({ userId: 'dl_a', locale: 'en-US', lastWatermark: 1 });
    expect((await second.store.appendActivity(conv, { type: 'message', id: newActivityId(conv), text: 'after' } as never)).watermark).toBe(2);
    expect((await second.store.listActivities(conv, 0, 10)).activities.map((a) => a.text)).toEqual(['before restart', 'after']);
    second.close();
  });
});
