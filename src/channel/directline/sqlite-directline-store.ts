import type { Activity } from 'botbuilder';
import { AppError } from '../../errors.js';
import type { Migration, SqliteDatabase } from '../../storage/database.js';
import { type ActivityPage, type DirectLineConversation, type DirectLineStore, type TokenState } from './directline-store.js';

export const directLineMigrations: readonly Migration[] = [
  {
    id: 'directline-001',
    up: (db) =>
      db.exec(`
        CREATE TABLE directline_conversations (
          id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL,
          locale TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          last_watermark INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX directline_conversations_updated ON directline_conversations (updated_at);
        CREATE TABLE directline_activities (
          conversation_id TEXT NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
          watermark INTEGER NOT NULL,
          id TEXT NOT NULL UNIQUE,
          activity TEXT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (conversation_id, watermark)
        );
      `),
  },
  {
    // Token generations and ended conversations (issue 12). No foreign key: a token, and so its
    // state, exists before the client starts the conversation.
    id: 'directline-002',
    up: (db) =>
      db.exec(`
        CREATE TABLE directline_token_state (
          conversation_id TEXT PRIMARY KEY,
          generation INTEGER NOT NULL DEFAULT 0,
          previous_valid_until TEXT,
          closed_at TEXT,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX directline_token_state_updated ON directline_token_state (updated_at);
      `),
  },
];

interface ConversationRow {
  id: string;
  user_id: string;
  locale: string | null;
  created_at: string;
  last_watermark: number;
}

export interface SqliteDirectLineStoreOptions {
  /** Refuse further activities in a conversation past this many (a runaway or hostile client). */
  readonly maxActivitiesPerConversation?: number;
  readonly now?: () => Date;
}

/**
 * {@link DirectLineStore} in the application's SQLite file. Watermark allocation and the insert
 * happen in one transaction, so a poller never sees a gap that is filled later.
 */
export class SqliteDirectLineStore implements DirectLineStore {
  private readonly maxActivities: number;
  private readonly now: () => Date;
  private readonly statements;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteDirectLineStoreOptions = {},
  ) {
    this.maxActivities = options.maxActivitiesPerConversation ?? 5000;
    this.now = options.now ?? (() => new Date());
    this.statements = {
      insertConversation: db.prepare(
        `INSERT INTO directline_conversations (id, user_id, locale, created_at, updated_at, last_watermark)
         VALUES (@id, @userId, @locale, @now, @now, 0) ON CONFLICT(id) DO NOTHING`,
      ),
      selectConversation: db.prepare<[string], ConversationRow>(
        'SELECT id, user_id, locale, created_at, last_watermark FROM directline_conversations WHERE id = ?',
      ),
      nextWatermark: db.prepare<{ id: string; max: number; now: string }, { last_watermark: number }>(
        `UPDATE directline_conversations SET last_watermark = last_watermark + 1, updated_at = @now
         WHERE id = @id AND last_watermark < @max RETURNING last_watermark`,
      ),
      insertActivity: db.prepare(
        `INSERT INTO directline_activities (conversation_id, watermark, id, activity, created_at)
         VALUES (@conversationId, @watermark, @id, @activity, @now)`,
      ),
      selectActivities: db.prepare<[string, number, number], { watermark: number; activity: string }>(
        `SELECT watermark, activity FROM directline_activities
         WHERE conversation_id = ? AND watermark > ? ORDER BY watermark LIMIT ?`,
      ),
      updateActivity: db.prepare('UPDATE directline_activities SET activity = @activity WHERE conversation_id = @conversationId AND id = @id'),
      deleteActivity: db.prepare('DELETE FROM directline_activities WHERE conversation_id = ? AND id = ?'),
      deleteIdle: db.prepare('DELETE FROM directline_conversations WHERE updated_at < ?'),
      selectTokenState: db.prepare<[string], { generation: number; previous_valid_until: string | null; closed_at: string | null }>(
        'SELECT generation, previous_valid_until, closed_at FROM directline_token_state WHERE conversation_id = ?',
      ),
      // Compare-and-set: of two refreshes of the same token, only one moves the generation.
      advanceGeneration: db.prepare<{ id: string; from: number; until: string; now: string }, { generation: number }>(
        `UPDATE directline_token_state SET generation = generation + 1, previous_valid_until = @until, updated_at = @now
         WHERE conversation_id = @id AND generation = @from AND closed_at IS NULL RETURNING generation`,
      ),
      firstGeneration: db.prepare<{ id: string; until: string; now: string }, { generation: number }>(
        `INSERT INTO directline_token_state (conversation_id, generation, previous_valid_until, updated_at)
         VALUES (@id, 1, @until, @now) ON CONFLICT(conversation_id) DO NOTHING RETURNING generation`,
      ),
      close: db.prepare(
        `INSERT INTO directline_token_state (conversation_id, generation, closed_at, updated_at) VALUES (@id, 0, @now, @now)
         ON CONFLICT(conversation_id) DO UPDATE SET closed_at = @now, updated_at = @now WHERE closed_at IS NULL`,
      ),
      deleteIdleTokenStates: db.prepare('DELETE FROM directline_token_state WHERE updated_at < ?'),
      selectContaining: db.prepare<[string, string], { id: string; activity: string }>(
        "SELECT id, activity FROM directline_activities WHERE conversation_id = ? AND instr(activity, ?) > 0",
      ),
    };
  }

  async createConversation(input: { id: string; userId: string; locale?: string | undefined }): Promise<{ created: boolean; conversation: DirectLineConversation }> {
    const created =
      this.statements.insertConversation.run({ id: input.id, userId: input.userId, locale: input.locale ?? null, now: this.now().toISOString() }).changes === 1;
    const conversation = await this.getConversation(input.id);
    if (!conversation) throw new AppError('internal', 'conversation vanished after insert');
    return { created, conversation };
  }

  async getConversation(id: string): Promise<DirectLineConversation | undefined> {
    const row = this.statements.selectConversation.get(id);
    return row && {
      id: row.id,
      userId: row.user_id,
      locale: row.locale ?? undefined,
      createdAt: row.created_at,
      lastWatermark: row.last_watermark,
    };
  }

  async appendActivity(conversationId: string, activity: Activity): Promise<{ id: string; watermark: number }> {
    return this.db.transaction(() => {
      const now = this.now().toISOString();
      const row = this.statements.nextWatermark.get({ id: conversationId, max: this.maxActivities, now });
      if (!row) {
        if (!this.statements.selectConversation.get(conversationId)) throw new AppError('not_found', 'Unknown conversation');
        throw new AppError('conflict', 'This conversation is full; please start a new one');
      }
      const watermark = row.last_watermark;
      const id = activity.id;
      if (typeof id !== 'string' || id === '') throw new AppError('internal', 'activity without id');
      this.statements.insertActivity.run({ conversationId, watermark, id, activity: JSON.stringify(activity), now });
      return { id, watermark };
    })();
  }

  async listActivities(conversationId: string, after: number, limit: number): Promise<ActivityPage> {
    const rows = this.statements.selectActivities.all(conversationId, after, limit);
    const last = rows.at(-1);
    return {
      activities: rows.map((r) => JSON.parse(r.activity) as Activity),
      watermark: last ? last.watermark : after,
    };
  }

  async updateActivity(conversationId: string, activity: Activity): Promise<boolean> {
    return this.statements.updateActivity.run({ conversationId, id: activity.id, activity: JSON.stringify(activity) }).changes === 1;
  }

  async deleteActivity(conversationId: string, activityId: string): Promise<boolean> {
    return this.statements.deleteActivity.run(conversationId, activityId).changes === 1;
  }

  async rewriteActivities(conversationId: string, needle: string, rewrite: (activity: Activity) => Activity | undefined): Promise<number> {
    return this.db.transaction(() => {
      let changed = 0;
      for (const row of this.statements.selectContaining.all(conversationId, needle)) {
        const replacement = rewrite(JSON.parse(row.activity) as Activity);
        if (!replacement) continue;
        const json = JSON.stringify({ ...replacement, id: row.id });
        if (json === row.activity) continue;
        changed += this.statements.updateActivity.run({ conversationId, id: row.id, activity: json }).changes;
      }
      return changed;
    })();
  }

  async getTokenState(conversationId: string): Promise<TokenState> {
    const row = this.statements.selectTokenState.get(conversationId);
    return {
      generation: row?.generation ?? 0,
      previousValidUntil: row?.previous_valid_until ? new Date(row.previous_valid_until) : undefined,
      closedAt: row?.closed_at ?? undefined,
    };
  }

  async advanceTokenGeneration(conversationId: string, from: number, previousValidUntil: Date): Promise<number | undefined> {
    const args = { id: conversationId, from, until: previousValidUntil.toISOString(), now: this.now().toISOString() };
    return this.db.transaction(() => {
      const moved = this.statements.advanceGeneration.get(args);
      if (moved || from !== 0) return moved?.generation;
      // Generation 0 has no row yet; the insert loses (nothing returned) if another refresh made it first.
      return this.statements.firstGeneration.get({ id: args.id, until: args.until, now: args.now })?.generation;
    })();
  }

  async closeConversation(conversationId: string): Promise<boolean> {
    return this.statements.close.run({ id: conversationId, now: this.now().toISOString() }).changes === 1;
  }

  async deleteIdleConversations(cutoff: Date): Promise<number> {
    return this.db.transaction(() => {
      this.statements.deleteIdleTokenStates.run(cutoff.toISOString());
      return this.statements.deleteIdle.run(cutoff.toISOString()).changes;
    })();
  }
}
