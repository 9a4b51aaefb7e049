/**
 * {@link DirectLineStore} in PostgreSQL, with the semantics of SqliteDirectLineStore (one contract
 * suite), so a web chat conversation continues through any instance. Appending takes the
 * conversation row's lock to allocate the watermark and inserts in the same transaction: a second
 * append waits for the first to commit, so a poller never sees watermark 5 before 4 exists.
 */
import { AppError } from '../../errors.js';
import { inTransaction, type PgMigration, type PgPool } from '../../storage/postgres/index.js';
import type { ActivityPage, DirectLineConversation, DirectLineStore, TokenState } from './directline-store.js';

/** The store's activity type, named through its port so this file needs no SDK import of its own. */
type Activity = Parameters<DirectLineStore['appendActivity']>[1];

export const postgresDirectLineMigrations: readonly PgMigration[] = [
  {
    id: 'pg-directline-001',
    sql: `
      CREATE TABLE directline_conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        locale TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        last_watermark INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX directline_conversations_updated ON directline_conversations (updated_at);
      -- The activity is kept as the JSON text written, so a rewrite can tell whether it changed.
      CREATE TABLE directline_activities (
        conversation_id TEXT NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
        watermark INTEGER NOT NULL,
        id TEXT NOT NULL UNIQUE,
        activity TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, watermark)
      );
      -- No foreign key: a token, and so its state, exists before the client starts the conversation.
      CREATE TABLE directline_token_state (
        conversation_id TEXT PRIMARY KEY,
        generation INTEGER NOT NULL DEFAULT 0,
        previous_valid_until TEXT,
        closed_at TEXT,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX directline_token_state_updated ON directline_token_state (updated_at);
    `,
  },
];

interface ConversationRow {
  id: string;
  user_id: string;
  locale: string | null;
  created_at: string;
  last_watermark: number;
}

export interface PostgresDirectLineStoreOptions {
  /** Refuse further activities in a conversation past this many (a runaway or hostile client). */
  readonly maxActivitiesPerConversation?: number;
  readonly now?: () => Date;
}

export class PostgresDirectLineStore implements DirectLineStore {
  readonly #pool: PgPool;
  readonly #maxActivities: number;
  readonly #now: () => Date;

  /** `pool` must have had {@link postgresDirectLineMigrations} applied. */
  constructor(pool: PgPool, options: PostgresDirectLineStoreOptions = {}) {
    this.#pool = pool;
    this.#maxActivities = options.maxActivitiesPerConversation ?? 5000;
    this.#now = options.now ?? (() => new Date());
  }

  async createConversation(input: { id: string; userId: string; locale?: string | undefined }): Promise<{ created: boolean; conversation: DirectLineConversation }> {
    const inserted = await this.#pool.query(
      `INSERT INTO directline_conversations (id, user_id, locale, created_at, updated_at, last_watermark)
       VALUES ($1, $2, $3, $4, $4, 0) ON CONFLICT (id) DO NOTHING`,
      [input.id, input.userId, input.locale ?? null, this.#now().toISOString()],
    );
    const conversation = await this.getConversation(input.id);
    if (!conversation) throw new AppError('internal', 'conversation vanished after insert');
    return { created: inserted.rowCount === 1, conversation };
  }

  async getConversation(id: string): Promise<DirectLineConversation | undefined> {
    const { rows } = await this.#pool.query<ConversationRow>(
      'SELECT id, user_id, locale, created_at, last_watermark FROM directline_conversations WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row && { id: row.id, userId: row.user_id, locale: row.locale ?? undefined, createdAt: row.created_at, lastWatermark: row.last_watermark };
  }

  async appendActivity(conversationId: string, activity: Activity): Promise<{ id: string; watermark: number }> {
    const id = activity.id;
    if (typeof id !== 'string' || id === '') throw new AppError('internal', 'activity without id');
    return inTransaction(this.#pool, async (db) => {
      const now = this.#now().toISOString();
      const { rows } = await db.query<{ last_watermark: number }>(
        `UPDATE directline_conversations SET last_watermark = last_watermark + 1, updated_at = $3
         WHERE id = $1 AND last_watermark < $2 RETURNING last_watermark`,
        [conversationId, this.#maxActivities, now],
      );
      if (!rows[0]) {
        const exists = await db.query('SELECT 1 FROM directline_conversations WHERE id = $1', [conversationId]);
        if (exists.rowCount === 0) throw new AppError('not_found', 'Unknown conversation');
        throw new AppError('conflict', 'This conversation is full; please start a new one');
      }
      const watermark = rows[0].last_watermark;
      await db.query(
        'INSERT INTO directline_activities (conversation_id, watermark, id, activity, created_at) VALUES ($1, $2, $3, $4, $5)',
        [conversationId, watermark, id, JSON.stringify(activity), now],
      );
      return { id, watermark };
    });
  }

  async listActivities(conversationId: string, after: number, limit: number): Promise<ActivityPage> {
    const { rows } = await this.#pool.query<{ watermark: number; activity: string }>(
      'SELECT watermark, activity FROM directline_activities WHERE conversation_id = $1 AND watermark > $2 ORDER BY watermark LIMIT $3',
      [conversationId, after, limit],
    );
    const last = rows.at(-1);
    return { activities: rows.map((r) => JSON.parse(r.activity) as Activity), watermark: last ? last.watermark : after };
  }

  async updateActivity(conversationId: string, activity: Activity): Promise<boolean> {
    const result = await this.#pool.query('UPDATE directline_activities SET activity = $3 WHERE conversation_id = $1 AND id = $2', [
      conversationId,
      activity.id,
      JSON.stringify(activity),
    ]);
    return result.rowCount === 1;
  }

  async deleteActivity(conversationId: string, activityId: string): Promise<boolean> {
    return (await this.#pool.query('DELETE FROM directline_activities WHERE conversation_id = $1 AND id = $2', [conversationId, activityId])).rowCount === 1;
  }

  async rewriteActivities(conversationId: string, needle: string, rewrite: (activity: Activity) => Activity | undefined): Promise<number> {
    return inTransaction(this.#pool, async (db) => {
      const { rows } = await db.query<{ id: string; activity: string }>(
        'SELECT id, activity FROM directline_activities WHERE conversation_id = $1 AND strpos(activity, $2) > 0 FOR UPDATE',
        [conversationId, needle],
      );
      let changed = 0;
      for (const row of rows) {
        const replacement = rewrite(JSON.parse(row.activity) as Activity);
        if (!replacement) continue;
        const json = JSON.stringify({ ...replacement, id: row.id });
        if (json === row.activity) continue;
        const result = await db.query('UPDATE directline_activities SET activity = $3 WHERE conversation_id = $1 AND id = $2', [conversationId, row.id, json]);
        changed += result.rowCount ?? 0;
      }
      return changed;
    });
  }

  async getTokenState(conversationId: string): Promise<TokenState> {
    const { rows } = await this.#pool.query<{ generation: number; previous_valid_until: string | null; closed_at: string | null }>(
      'SELECT generation, previous_valid_until, closed_at FROM directline_token_state WHERE conversation_id = $1',
      [conversationId],
    );
    const row = rows[0];
    return {
      generation: row?.generation ?? 0,
      previousValidUntil: row?.previous_valid_until ? new Date(row.previous_valid_until) : undefined,
      closedAt: row?.closed_at ?? undefined,
    };
  }

  async advanceTokenGeneration(conversationId: string, from: number, previousValidUntil: Date): Promise<number | undefined> {
    const until = previousValidUntil.toISOString();
    const now = this.#now().toISOString();
    // Compare-and-set: of two refreshes of the same token, only one moves the generation.
    const moved = await this.#pool.query<{ generation: number }>(
      `UPDATE directline_token_state SET generation = generation + 1, previous_valid_until = $3, updated_at = $4
       WHERE conversation_id = $1 AND generation = $2 AND closed_at IS NULL RETURNING generation`,
      [conversationId, from, until, now],
    );
    if (moved.rows[0] || from !== 0) return moved.rows[0]?.generation;
    // Generation 0 has no row yet; the insert loses (nothing returned) if another refresh made it first.
    const first = await this.#pool.query<{ generation: number }>(
      `INSERT INTO directline_token_state (conversation_id, generation, previous_valid_until, updated_at)
       VALUES ($1, 1, $2, $3) ON CONFLICT (conversation_id) DO NOTHING RETURNING generation`,
      [conversationId, until, now],
    );
    return first.rows[0]?.generation;
  }

  async closeConversation(conversationId: string): Promise<boolean> {
    const result = await this.#pool.query(
      `INSERT INTO directline_token_state (conversation_id, generation, closed_at, updated_at) VALUES ($1, 0, $2, $2)
       ON CONFLICT (conversation_id) DO UPDATE SET closed_at = $2, updated_at = $2 WHERE directline_token_state.closed_at IS NULL`,
      [conversationId, this.#now().toISOString()],
    );
    return result.rowCount === 1;
  }

  async deleteIdleConversations(cutoff: Date): Promise<number> {
    const at = cutoff.toISOString();
    return inTransaction(this.#pool, async (db) => {
      await db.query('DELETE FROM directline_token_state WHERE updated_at < $1', [at]);
      return (await db.query('DELETE FROM directline_conversations WHERE updated_at < $1', [at])).rowCount ?? 0;
    });
  }
}
