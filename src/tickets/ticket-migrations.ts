/**
 * Schema of the ticket tables, applied by openDatabase with the other features' migrations.
 * Ids are never renamed once shipped; a change is a new migration (`tickets-002`…).
 */
import type { Migration } from '../storage/database.js';
import { OPEN_TICKET_STATUSES, TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import { searchTermsOf } from './ticket-queue.js';

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
  {
    // The desk (issue 10): assignee, failure reason, what an approval allows by reason, search terms,
    // per-status counts, queue indexes, structured history details and the notification outbox.
    id: 'tickets-002',
    up: (db) => {
      db.exec(`
        ALTER TABLE tickets ADD COLUMN assignee_id TEXT;
        ALTER TABLE tickets ADD COLUMN failure_reason TEXT;
        -- approval_action's CHECK allows only the old values: the new vocabulary gets its own
        -- column and the old one is left NULL (SQLite cannot change a CHECK without a rebuild).
        ALTER TABLE tickets ADD COLUMN approved_change TEXT
          CHECK (approved_change IN ('switch_2fa_to_sms_or_voice', 'unlock_login', 'update_phone_number'));
        UPDATE tickets SET approved_change = CASE
            WHEN approval_action = 'unlock_login' THEN 'unlock_login'
            WHEN reason IN ('phone_number_changed', 'registered_number_wrong') THEN 'update_phone_number'
            ELSE 'switch_2fa_to_sms_or_voice' END
          WHERE approval_action IS NOT NULL;
        UPDATE tickets SET approval_action = NULL;
        UPDATE tickets SET status = 'change_approved' WHERE status = 'reset_approved';
        UPDATE tickets SET close_reason = 'solved_without_change' WHERE close_reason = 'solved_without_reset';

        -- History is append-only for everyone but a schema migration: the renamed status and the
        -- old "resolved after approval" step are rewritten once so that the timeline reads right.
        DROP TRIGGER ticket_history_no_update;
        UPDATE ticket_history SET from_status = 'change_approved' WHERE from_status = 'reset_approved';
        UPDATE ticket_history SET to_status = 'change_approved' WHERE to_status = 'reset_approved';
        UPDATE ticket_history SET event = 'change.carried_out'
          WHERE event = 'ticket.resolved' AND from_status = 'change_approved';
        ALTER TABLE ticket_history ADD COLUMN detail TEXT CHECK (detail IS NULL OR json_valid(detail));
        CREATE TRIGGER ticket_history_no_update BEFORE UPDATE ON ticket_history
          BEGIN SELECT RAISE(ABORT, 'ticket_history is append-only'); END;

        DROP INDEX tickets_one_open_per_handoff;
        CREATE UNIQUE INDEX tickets_one_open_per_handoff
          ON tickets (channel_id, conversation_id, reason)
          WHERE status IN (${OPEN_LIST});

        -- The queue: newest first, alone or after one equality filter.
        CREATE INDEX tickets_newest ON tickets (created_at DESC, id DESC);
        CREATE INDEX tickets_by_status ON tickets (status, created_at DESC, id DESC);
        CREATE INDEX tickets_by_reason ON tickets (reason, created_at DESC, id DESC);
        CREATE INDEX tickets_by_language ON tickets (language, created_at DESC, id DESC);
        CREATE INDEX tickets_by_channel ON tickets (channel_id, created_at DESC, id DESC);
        CREATE INDEX tickets_by_assignee ON tickets (assignee_id, created_at DESC, id DESC);

        CREATE TABLE ticket_search_terms (
          term TEXT NOT NULL,
          ticket_id TEXT NOT NULL REFERENCES tickets (id),
          PRIMARY KEY (term, ticket_id)
        ) WITHOUT ROWID;
        CREATE INDEX ticket_search_terms_by_ticket ON ticket_search_terms (ticket_id);

        -- Counts per status for the queue's tabs, kept by triggers: COUNT(*) over a million rows
        -- would cost more than the whole queue page.
        CREATE TABLE ticket_status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO ticket_status_counts (status, n)
          SELECT s.value, (SELECT COUNT(*) FROM tickets t WHERE t.status = s.value)
          FROM json_each('${JSON.stringify(TICKET_STATUSES)}') s;
        CREATE TRIGGER ticket_status_count_insert AFTER INSERT ON tickets BEGIN
          UPDATE ticket_status_counts SET n = n + 1 WHERE status = NEW.status;
        END;
        CREATE TRIGGER ticket_status_count_update AFTER UPDATE OF status ON tickets
          WHEN OLD.status <> NEW.status BEGIN
          UPDATE ticket_status_counts SET n = n - 1 WHERE status = OLD.status;
          UPDATE ticket_status_counts SET n = n + 1 WHERE status = NEW.status;
        END;

        CREATE TABLE ticket_notifications (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          ticket_id TEXT NOT NULL REFERENCES tickets (id),
          kind TEXT NOT NULL,
          params TEXT NOT NULL CHECK (json_valid(params)),
          language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
          channel_id TEXT NOT NULL,
          conversation_reference TEXT NOT NULL CHECK (json_valid(conversation_reference)),
          status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          next_attempt_at TEXT NOT NULL,
          claimed_until TEXT,
          delivered_at TEXT,
          last_error TEXT
        );
        CREATE INDEX ticket_notifications_due ON ticket_notifications (next_attempt_at)
          WHERE status IN ('pending', 'sending');
        CREATE INDEX ticket_notifications_by_ticket ON ticket_notifications (ticket_id, status);
      `);
      // Search terms for the tickets that exist already.
      const insert = db.prepare('INSERT OR IGNORE INTO ticket_search_terms (term, ticket_id) VALUES (?, ?)');
      // all(), not iterate(): better-sqlite3 refuses a write on a connection with a query still open.
      for (const row of db.prepare('SELECT id, claims FROM tickets').all() as { id: string; claims: string }[]) {
        const claims = JSON.parse(row.claims) as { email: string; fullName: string };
        for (const term of searchTermsOf(claims)) insert.run(term, row.id);
      }
    },
  },
  {
    // Searches read the search index newest first: each term carries its ticket's creation time
    // (tickets never change it), and a second index orders the terms by it. The change feed gets
    // an index on the update time.
    id: 'tickets-003',
    up: (db) => {
      db.exec(`
        ALTER TABLE ticket_search_terms ADD COLUMN created_at TEXT;
        UPDATE ticket_search_terms SET created_at =
          (SELECT t.created_at FROM tickets t WHERE t.id = ticket_search_terms.ticket_id);
        CREATE INDEX ticket_search_terms_by_time ON ticket_search_terms (created_at DESC, ticket_id DESC, term);
        -- The change feed (listChangedSince) polls every second: a seek, not a scan of every ticket.
        CREATE INDEX tickets_by_update ON tickets (updated_at, id);
      `);
    },
  },
  {
    // The local web chat used the channel id 'directline' until it got its own ('local-webchat',
    // issue 12), because /api/messages must refuse the local channel's id and 'directline' is
    // Azure's Direct Line. Its tickets are told apart by the reply address this server gave them
    // (`<PUBLIC_BASE_URL>/v3/directline`); Azure's Direct Line replies through *.botframework.com.
    // Without this, their notifications would take the Bot Framework route and be refused.
    id: 'tickets-004',
    up: (db) => {
      const local = `channel_id = 'directline'
        AND json_extract(conversation_reference, '$.serviceUrl') LIKE '%/v3/directline'`;
      const relabel = `json_set(conversation_reference, '$.channelId', 'local-webchat')`;
      db.exec(`
        UPDATE ticket_activity_keys SET channel_id = 'local-webchat'
          WHERE ticket_id IN (SELECT id FROM tickets WHERE ${local});
        UPDATE ticket_notifications SET channel_id = 'local-webchat', conversation_reference = ${relabel}
          WHERE ${local};
        UPDATE tickets SET channel_id = 'local-webchat', conversation_reference = ${relabel} WHERE ${local};
      `);
    },
  },
];
