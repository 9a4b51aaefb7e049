/**
 * Conversation state on PostgreSQL, shared by every bot instance. A conditional write is one
 * compare-and-set statement (`UPDATE … WHERE key = $1 AND etag = $expected`): under READ COMMITTED
 * a second writer holding the same eTag waits for the first's row lock, then finds the eTag changed
 * and updates nothing, which is the conflict. A batch of several items runs in one transaction.
 *
 * Data is kept as JSON text (not jsonb): jsonb refuses `\u0000` inside strings, which a customer
 * can type, and reorders keys; the store only ever reads the whole item back.
 */
import { randomUUID } from 'node:crypto';
import { ETagConflictError, isUnconditional, storedState, type ConversationStateStore, type StateWrite, type StoredState } from './conversation-state.js';
import { inTransaction, type PgMigration, type PgPool, type PgQueryable } from './postgres/index.js';

export const postgresStateMigrations: readonly PgMigration[] = [
  {
    id: 'pg-state-001',
    sql: `CREATE TABLE bot_state (
      key TEXT PRIMARY KEY,
      etag TEXT NOT NULL,
      data TEXT NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`,
  },
];

const UPSERT = `INSERT INTO bot_state (key, etag, data, updated_at) VALUES ($1, $2, $3, now())
  ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at`;
const UPDATE_IF_MATCH = 'UPDATE bot_state SET etag = $2, data = $3, updated_at = now() WHERE key = $1 AND etag = $4';
const INSERT_NEW = 'INSERT INTO bot_state (key, etag, data, updated_at) VALUES ($1, $2, $3, now()) ON CONFLICT (key) DO NOTHING';

export class PostgresConversationStateStore implements ConversationStateStore {
  constructor(private readonly pool: PgPool) {}

  async read(keys: readonly string[]): Promise<Record<string, StoredState>> {
    const items: Record<string, StoredState> = {};
    if (keys.length === 0) return items;
    const { rows } = await this.pool.query<{ key: string; etag: string; data: string }>(
      'SELECT key, etag, data FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    for (const row of rows) items[row.key] = storedState(row);
    return items;
  }

  async readOne(key: string): Promise<StoredState | undefined> {
    const { rows } = await this.pool.query<{ etag: string; data: string }>('SELECT etag, data FROM bot_state WHERE key = $1', [key]);
    return rows[0] && storedState(rows[0]);
  }

  async writeOne(key: string, change: StateWrite): Promise<void> {
    await writeRow(this.pool, key, change);
  }

  async write(changes: Readonly<Record<string, StateWrite>>): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // The common case, one conversation's state: one statement, no transaction around it.
    if (entries.length === 1) return writeRow(this.pool, entries[0]![0], entries[0]![1]);
    await inTransaction(this.pool, async (client) => {
      for (const [key, change] of entries) await writeRow(client, key, change);
    });
  }

  async create(key: string, data: Record<string, unknown>): Promise<boolean> {
    const result = await this.pool.query(INSERT_NEW, [key, randomUUID(), JSON.stringify(data)]);
    return result.rowCount === 1;
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}

async function writeRow(db: PgQueryable, key: string, change: StateWrite): Promise<void> {
  const data = JSON.stringify(change.data);
  if (isUnconditional(change.eTag)) {
    await db.query(UPSERT, [key, randomUUID(), data]);
    return;
  }
  // A specific eTag: the item must exist with exactly that eTag (an invented one is a conflict too).
  const result = await db.query(UPDATE_IF_MATCH, [key, randomUUID(), data, String(change.eTag)]);
  if (result.rowCount !== 1) throw new ETagConflictError(key);
}
