/**
 * The reports' sessions and not-understood messages in PostgreSQL, for several bot instances.
 * Each batch takes a transaction-scoped advisory lock per conversation (in key order, so two
 * instances' batches cannot deadlock): two instances never both extend or start the same
 * conversation's session from the same latest row.
 */
import { inTransaction, type PgClient, type PgMigration, type PgPool } from '../storage/postgres/index.js';
import type { AnalyticsStore, SessionFilter } from './analytics-store.js';
import type { ConversationSession, NotUnderstoodMessage, RecordedTurn } from './conversation-session.js';
import { notUnderstoodFromRow, periodWhere, SESSION_COLUMNS, sessionFromRow, sessionValues, type NotUnderstoodRow, type SessionRow } from './session-row.js';
import { sessionWrites, type SessionStep } from './session-writes.js';

/**
 * Advisory lock namespace of one conversation's sessions (the key is hashtext of its key hash); apart
 * from storage/postgres ADVISORY_LOCK's 17_001-17_003.
 */
export const ANALYTICS_SESSION_LOCK = 17_018;

export const postgresAnalyticsMigrations: readonly PgMigration[] = [
  {
    id: 'pg-analytics-001',
    sql: `
      CREATE TABLE conversation_sessions (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key_hash TEXT COLLATE "C" NOT NULL,
        channel TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
        started_at TEXT COLLATE "C" NOT NULL,
        last_at TEXT COLLATE "C" NOT NULL,
        turns INTEGER NOT NULL,
        path TEXT NOT NULL,
        last_step TEXT,
        ending_kind TEXT CHECK (ending_kind IN ('resolved', 'handoff', 'out_of_scope')),
        handoff_reason TEXT,
        ticket_id TEXT COLLATE "C",
        solved BOOLEAN,
        not_solved_answers INTEGER NOT NULL DEFAULT 0,
        resolution_rating INTEGER CHECK (resolution_rating BETWEEN 1 AND 5),
        ticket_rating INTEGER CHECK (ticket_rating BETWEEN 1 AND 5)
      );
      CREATE INDEX conversation_sessions_by_key ON conversation_sessions (key_hash, id);
      CREATE INDEX conversation_sessions_by_start ON conversation_sessions (started_at);
      CREATE INDEX conversation_sessions_by_ticket ON conversation_sessions (ticket_id) WHERE ticket_id IS NOT NULL;

      CREATE TABLE not_understood_messages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
        channel TEXT NOT NULL,
        step TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX not_understood_messages_by_at ON not_understood_messages (at);
    `,
  },
];

const placeholders = (from: number) => SESSION_COLUMNS.map((c, i) => `$${from + i}${c === 'solved' ? '::boolean' : ''}`);
const INSERT = `INSERT INTO conversation_sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${placeholders(1).join(', ')})`;
const UPDATE = `UPDATE conversation_sessions SET ${SESSION_COLUMNS.map((c, i) => `${c} = ${placeholders(1)[i]}`).join(', ')} WHERE id = $${SESSION_COLUMNS.length + 1}`;

/** The shared values carry `solved` as SQLite's 1/0: PostgreSQL's column is a BOOLEAN. */
const pgValues = (s: ConversationSession): unknown[] => sessionValues(s).map((v, i) => (SESSION_COLUMNS[i] === 'solved' && v !== null ? v === 1 : v));

export class PostgresAnalyticsStore implements AnalyticsStore {
  readonly #pool: PgPool;

  /** `pool` must have had {@link postgresAnalyticsMigrations} applied. */
  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  async record(turns: readonly RecordedTurn[]): Promise<void> {
    if (turns.length === 0) return;
    await inTransaction(this.#pool, async (db) => {
      for (const key of [...new Set(turns.map((t) => t.keyHash))].sort()) {
        await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ANALYTICS_SESSION_LOCK, key]);
      }
      const steps = sessionWrites(turns);
      for (let step = steps.next(); !step.done; step = steps.next(await answer(db, step.value)));
    });
  }

  async sessionsStarted(filter: SessionFilter): Promise<ConversationSession[]> {
    const { where, params } = periodWhere('started_at', filter, (n) => `$${n}`);
    const { rows } = await this.#pool.query<SessionRow>(`SELECT * FROM conversation_sessions WHERE ${where} ORDER BY started_at, id`, params);
    return rows.map(sessionFromRow);
  }

  async notUnderstood(filter: SessionFilter, limit: number): Promise<NotUnderstoodMessage[]> {
    const { where, params } = periodWhere('at', filter, (n) => `$${n}`);
    const { rows } = await this.#pool.query<NotUnderstoodRow>(
      `SELECT at, language, channel, step, text FROM not_understood_messages WHERE ${where} ORDER BY at DESC, id DESC LIMIT $${params.length + 1}`,
      [...params, limit],
    );
    return rows.map(notUnderstoodFromRow);
  }

  async purgeNotUnderstood(before: Date): Promise<number> {
    return (await this.#pool.query('DELETE FROM not_understood_messages WHERE at < $1', [before.toISOString()])).rowCount ?? 0;
  }
}

async function one(db: PgClient, sql: string, params: unknown[]): Promise<SessionRow | undefined> {
  return (await db.query<SessionRow>(sql, params)).rows[0];
}

/** One database step of {@link sessionWrites}, answered. */
async function answer(db: PgClient, step: SessionStep): Promise<unknown> {
  switch (step.kind) {
    case 'latest': {
      const row = await one(db, 'SELECT * FROM conversation_sessions WHERE key_hash = $1 ORDER BY id DESC LIMIT 1', [step.keyHash]);
      return row && { id: row.id, session: sessionFromRow(row) };
    }
    case 'insert':
      await db.query(INSERT, pgValues(step.session));
      return undefined;
    case 'update':
      await db.query(UPDATE, [...pgValues(step.session), step.id]);
      return undefined;
    case 'rate': {
      const { turn } = step;
      const target =
        (turn.ticketId !== undefined
          ? await one(db, 'SELECT * FROM conversation_sessions WHERE key_hash = $1 AND ticket_id = $2 ORDER BY id DESC LIMIT 1', [turn.keyHash, turn.ticketId])
          : undefined) ?? (await one(db, "SELECT * FROM conversation_sessions WHERE key_hash = $1 AND ending_kind = 'handoff' ORDER BY id DESC LIMIT 1", [turn.keyHash]));
      if (target) await db.query('UPDATE conversation_sessions SET ticket_rating = $1 WHERE id = $2', [step.rating, target.id]);
      return undefined;
    }
    case 'notUnderstood': {
      const { message } = step;
      await db.query('INSERT INTO not_understood_messages (at, language, channel, step, text) VALUES ($1, $2, $3, $4, $5)', [
        message.at,
        message.language,
        message.channel,
        message.step,
        message.text,
      ]);
      return undefined;
    }
  }
}
