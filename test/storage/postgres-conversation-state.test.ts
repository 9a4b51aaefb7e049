/**
 * The conversation state contract on PostgreSQL (two pools = two bot instances), and botbuilder's
 * Storage contract through the adapter over it: the same behaviour the bot has on SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/bot/conversation-store.js';
import { ETagConflictError } from '../../src/storage/conversation-state.js';
import { PostgresConversationStateStore, postgresStateMigrations } from '../../src/storage/postgres-conversation-state.js';
import type { PgPool } from '../../src/storage/postgres/index.js';
import { StateStoreStorage } from '../../src/storage/state-storage-adapter.js';
import { poolIn, skipPostgres, usePostgresSchema } from '../helpers/postgres.js';
import { conversationStateContract } from './conversation-state.contract.js';
import { describeStorageContract } from './storage.contract.js';

describe.skipIf(skipPostgres())('PostgresConversationStateStore', () => {
  const db = usePostgresSchema(postgresStateMigrations);
  const others: PgPool[] = [];
  afterEach(async () => {
    for (const p of others.splice(0)) await p.end();
  });
  const twinPool = (): PgPool => {
    const pool = poolIn(db.schema, 4);
    others.push(pool);
    return pool;
  };

  conversationStateContract(() => ({ store: new PostgresConversationStateStore(db.pool), twin: new PostgresConversationStateStore(twinPool()) }));

  describeStorageContract('StateStoreStorage over PostgreSQL', async () => ({ storage: new StateStoreStorage(new PostgresConversationStateStore(db.pool)) }));

  it('the conversation store on two instances: a new conversation is created once, a stale save is refused', async () => {
    const a = new ConversationStore(new StateStoreStorage(new PostgresConversationStateStore(db.pool)));
    const b = new ConversationStore(new StateStoreStorage(new PostgresConversationStateStore(twinPool())));
    const data = { locale: 'ja' } as never;
    await a.save('conv', data, undefined);
    await expect(b.save('conv', data, undefined)).rejects.toBeInstanceOf(ETagConflictError);
    const loadedA = await a.load('conv');
    const loadedB = await b.load('conv');
    await b.save('conv', data, loadedB.eTag);
    await expect(a.save('conv', data, loadedA.eTag)).rejects.toBeInstanceOf(ETagConflictError);
  });

  it('the migration is recorded as pg-state-001', async () => {
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM schema_migrations');
    expect(rows.map((r) => r.id)).toEqual(['pg-state-001']);
  });
});
