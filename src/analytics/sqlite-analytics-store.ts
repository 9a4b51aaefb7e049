/** The reports' sessions and not-understood messages in the bot's SQLite file. */
import type { Migration, SqliteDatabase } from '../storage/database.js';
import type { AnalyticsStore, SessionFilter } from './analytics-store.js';
import type { ConversationSession, NotUnderstoodMessage, RecordedTurn } from './conversation-session.js';
import { notUnderstoodFromRow, periodWhere, SESSION_COLUMNS, sessionFromRow, sessionValues, type NotUnderstoodRow, type SessionRow } from './session-row.js';
import { sessionWrites, type SessionStep } from './session-writes.js';

export const analyticsMigrations: readonly Migration[] = [
  {
    id: 'analytics-001',
    up: (db) => {
      db.exec(`
        CREATE TABLE conversation_sessions (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          key_hash TEXT NOT NULL,
          channel TEXT NOT NULL,
          language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
          started_at TEXT NOT NULL,
          last_at TEXT NOT NULL,
          turns INTEGER NOT NULL,
          path TEXT NOT NULL CHECK (json_valid(path)),
          last_step TEXT,
          ending_kind TEXT CHECK (ending_kind IN ('resolved', 'handoff', 'out_of_scope')),
          handoff_reason TEXT,
          ticket_id TEXT,
          solved INTEGER CHECK (solved IN (0, 1)),
          not_solved_answers INTEGER NOT NULL DEFAULT 0,
          resolution_rating INTEGER CHECK (resolution_rating BETWEEN 1 AND 5),
          ticket_rating INTEGER CHECK (ticket_rating BETWEEN 1 AND 5)
        );
        CREATE INDEX conversation_sessions_by_key ON conversation_sessions (key_hash, id);
        CREATE INDEX conversation_sessions_by_start ON conversation_sessions (started_at);
        CREATE INDEX conversation_sessions_by_ticket ON conversation_sessions (ticket_id) WHERE ticket_id IS NOT NULL;

        CREATE TABLE not_understood_messages (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
          channel TEXT NOT NULL,
          step TEXT NOT NULL,
          text TEXT NOT NULL
        );
        CREATE INDEX not_understood_messages_by_at ON not_understood_messages (at);
      `);
    },
  },
];

const INSERT = `INSERT INTO conversation_sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${SESSION_COLUMNS.map(() => '?').join(', ')})`;
const UPDATE = `UPDATE conversation_sessions SET ${SESSION_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`;

export class SqliteAnalyticsStore implements AnalyticsStore {
  readonly #db: SqliteDatabase;
  readonly #stmt;

  /** `db` must have had {@link analyticsMigrations} applied. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#stmt = {
      latest: db.prepare<[string], SessionRow>('SELECT * FROM conversation_sessions WHERE key_hash = ? ORDER BY id DESC LIMIT 1'),
      byTicket: db.prepare<[string, string], SessionRow>('SELECT * FROM conversation_sessions WHERE key_hash = ? AND ticket_id = ? ORDER BY id DESC LIMIT 1'),
      latestHandoff: db.prepare<[string], SessionRow>(
        "SELECT * FROM conversation_sessions WHERE key_hash = ? AND ending_kind = 'handoff' ORDER BY id DESC LIMIT 1",
      ),
      insert: db.prepare(INSERT),
      update: db.prepare(UPDATE),
      rateTicket: db.prepare('UPDATE conversation_sessions SET ticket_rating = ? WHERE id = ?'),
      insertNotUnderstood: db.prepare('INSERT INTO not_understood_messages (at, language, channel, step, text) VALUES (@at, @language, @channel, @step, @text)'),
      purge: db.prepare('DELETE FROM not_understood_messages WHERE at < ?'),
    };
  }

  async record(turns: readonly RecordedTurn[]): Promise<void> {
    if (turns.length === 0) return;
    // One IMMEDIATE transaction: a second process sharing the file waits instead of reading the
    // same latest session.
    this.#db.transaction(() => {
      const steps = sessionWrites(turns);
      for (let step = steps.next(); !step.done; step = steps.next(this.#answer(step.value)));
    }).immediate();
  }

  /** One database step of {@link sessionWrites}, answered. */
  #answer(step: SessionStep): unknown {
    const s = this.#stmt;
    switch (step.kind) {
      case 'latest': {
        const row = s.latest.get(step.keyHash);
        return row && { id: row.id, session: sessionFromRow(row) };
      }
      case 'insert':
        s.insert.run(...sessionValues(step.session));
        return undefined;
      case 'update':
        s.update.run(...sessionValues(step.session), step.id);
        return undefined;
      case 'rate': {
        const { turn } = step;
        const target = (turn.ticketId !== undefined ? s.byTicket.get(turn.keyHash, turn.ticketId) : undefined) ?? s.latestHandoff.get(turn.keyHash);
        if (target) s.rateTicket.run(step.rating, target.id);
        return undefined;
      }
      case 'notUnderstood':
        s.insertNotUnderstood.run(step.message);
        return undefined;
    }
  }

  async sessionsStarted(filter: SessionFilter): Promise<ConversationSession[]> {
    const { where, params } = periodWhere('started_at', filter, () => '?');
    return this.#db
      .prepare<unknown[], SessionRow>(`SELECT * FROM conversation_sessions WHERE ${where} ORDER BY started_at, id`)
      .all(...params)
      .map(sessionFromRow);
  }

  async notUnderstood(filter: SessionFilter, limit: number): Promise<NotUnderstoodMessage[]> {
    const { where, params } = periodWhere('at', filter, () => '?');
    return this.#db
      .prepare<unknown[], NotUnderstoodRow>(`SELECT at, language, channel, step, text FROM not_understood_messages WHERE ${where} ORDER BY at DESC, id DESC LIMIT ?`)
      .all(...params, limit)
      .map(notUnderstoodFromRow);
  }

  async purgeNotUnderstood(before: Date): Promise<number> {
    return this.#stmt.purge.run(before.toISOString()).changes;
  }
}
