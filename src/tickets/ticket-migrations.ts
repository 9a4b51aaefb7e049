/**
 * Schema of the ticket tables, applied by openDatabase with the other features' migrations.
 * Ids are never renamed once shipped; a change is a new migration (`tickets-002`…).
 */
import type { Migration } from '../storage/database.js';
import { OPEN_TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';

/** `'awaiting_verification', 'verified', …` for SQL `IN (…)` lists; constants, never user input. */
export const OPEN_STATUS_SQL_LIST = OPEN_TICKET_STATUSES.map((s) => `'${s}'`).join(', ');
const OPEN_LIST = OPEN_STATUS_SQL_LIST;

export const migrations: readonly Migration[] = [
  {
    id: 'tickets-001',
    up: (db) => {
      db.exec(`
        CREATE TABLE tickets (
          id TEXT PRIMARY KEY,
          reason TEXT NOT NULL,
          language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
          status TEXT NOT NULL,
          channel_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          tenant_id TEXT,
          conversation_id TEXT NOT NULL,
          conversation_reference TEXT NOT NULL CHECK (json_valid(conversation_reference)),
          claims TEXT NOT NULL CHECK (json_valid(claims)),
          path TEXT NOT NULL CHECK (json_valid(path)),
          steps_tried TEXT NOT NULL CHECK (json_valid(steps_tried)),
          close_reason TEXT,
          approval_action TEXT CHECK (approval_action IN ('reset_2fa', 'unlock_login')),
          verified_by TEXT,
          approved_by TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX tickets_by_customer ON tickets (channel_id, user_id, created_at);
        -- At most one open ticket per conversation and reason: the idempotency rule, enforced by the
        -- database too in case a second writer ever bypasses the repository's transaction.
        CREATE UNIQUE INDEX tickets_one_open_per_handoff
          ON tickets (channel_id, conversation_id, reason)
          WHERE status IN (${OPEN_LIST});

        CREATE TABLE ticket_activity_keys (
          channel_id TEXT NOT NULL,
          activity_id TEXT NOT NULL,
          ticket_id TEXT NOT NULL REFERENCES tickets (id),
          PRIMARY KEY (channel_id, activity_id)
        );

        CREATE TABLE ticket_history (
          ticket_id TEXT NOT NULL REFERENCES tickets (id),
          seq INTEGER NOT NULL,
          at TEXT NOT NULL,
          actor_kind TEXT NOT NULL CHECK (actor_kind IN ('customer', 'agent', 'system')),
          actor_id TEXT NOT NULL,
          event TEXT NOT NULL,
          from_status TEXT,
          to_status TEXT NOT NULL,
          note TEXT,
          PRIMARY KEY (ticket_id, seq)
        );
        CREATE TRIGGER ticket_history_no_update BEFORE UPDATE ON ticket_history
          BEGIN SELECT RAISE(ABORT, 'ticket_history is append-only'); END;
        CREATE TRIGGER ticket_history_no_delete BEFORE DELETE ON ticket_history
          BEGIN SELECT RAISE(ABORT, 'ticket_history is append-only'); END;
      `);
    },
  },
];

