/**
 * Schema of the ticket tables and the notification outbox in PostgreSQL. The same model as
 * ticket-migrations.ts (SQLite) reached in one step, with PostgreSQL's own ids: a change is a new
 * migration (`pg-tickets-002`…), never an edit of a shipped one.
 *
 * Times are ISO 8601 TEXT and JSON is TEXT, exactly as the application writes them (as in SQLite):
 * the contract suites compare them verbatim, and keys, times and search terms use the "C"
 * collation so ordering and prefix ranges are byte order whatever the database's locale.
 */
import type { PgMigration } from '../storage/postgres/index.js';
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import { OPEN_STATUS_SQL_LIST } from './ticket-migrations.js';

const STATUS_ROWS = TICKET_STATUSES.map((s) => `('${s}', 0)`).join(', ');

export const postgresTicketMigrations: readonly PgMigration[] = [
  {
    id: 'pg-tickets-001',
    sql: `
      CREATE TABLE tickets (
        id TEXT COLLATE "C" PRIMARY KEY,
        reason TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
        status TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        tenant_id TEXT,
        conversation_id TEXT NOT NULL,
        conversation_reference TEXT NOT NULL,
        claims TEXT NOT NULL,
        path TEXT NOT NULL,
        steps_tried TEXT NOT NULL,
        close_reason TEXT,
        approved_change TEXT CHECK (approved_change IN ('switch_2fa_to_sms_or_voice', 'unlock_login', 'update_phone_number')),
        failure_reason TEXT,
        assignee_id TEXT,
        verified_by TEXT,
        approved_by TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX tickets_by_customer ON tickets (channel_id, user_id, created_at);
      -- At most one open ticket per conversation and reason, whatever writes the row.
      CREATE UNIQUE INDEX tickets_one_open_per_handoff ON tickets (channel_id, conversation_id, reason)
        WHERE status IN (${OPEN_STATUS_SQL_LIST});
      CREATE INDEX tickets_newest ON tickets (created_at DESC, id DESC);
      CREATE INDEX tickets_by_status ON tickets (status, created_at DESC, id DESC);
      CREATE INDEX tickets_by_reason ON tickets (reason, created_at DESC, id DESC);
      CREATE INDEX tickets_by_language ON tickets (language, created_at DESC, id DESC);
      CREATE INDEX tickets_by_channel ON tickets (channel_id, created_at DESC, id DESC);
      CREATE INDEX tickets_by_assignee ON tickets (assignee_id, created_at DESC, id DESC);
      CREATE INDEX tickets_by_update ON tickets (updated_at, id);

      CREATE TABLE ticket_activity_keys (
        channel_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id),
        PRIMARY KEY (channel_id, activity_id)
      );

      CREATE TABLE ticket_history (
        ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('customer', 'agent', 'system')),
        actor_id TEXT NOT NULL,
        event TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        note TEXT,
        detail TEXT,
        PRIMARY KEY (ticket_id, seq)
      );
      -- Append-only for everyone, raw SQL included; TRUNCATE too (it skips row triggers).
      CREATE FUNCTION ticket_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ticket_history is append-only'; END $$;
      CREATE TRIGGER ticket_history_no_change BEFORE UPDATE OR DELETE ON ticket_history
        FOR EACH ROW EXECUTE FUNCTION ticket_history_append_only();
      CREATE TRIGGER ticket_history_no_truncate BEFORE TRUNCATE ON ticket_history
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_history_append_only();

      -- The term carries its ticket's creation time, so a search reads it newest first.
      CREATE TABLE ticket_search_terms (
        term TEXT COLLATE "C" NOT NULL,
        ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id),
        created_at TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (term, ticket_id)
      );
      CREATE INDEX ticket_search_terms_by_ticket ON ticket_search_terms (ticket_id);

      -- Counts per status for the queue's tabs, kept by a trigger (COUNT(*) over a million rows
      -- costs more than the page). The two rows a change touches are locked in name order, so two
      -- tickets moving in opposite directions cannot deadlock. A bulk copy must disable the trigger
      -- and recount: one row updated 300,000 times in one transaction took 9 minutes here.
      CREATE TABLE ticket_status_counts (status TEXT COLLATE "C" PRIMARY KEY, n INTEGER NOT NULL);
      INSERT INTO ticket_status_counts (status, n) VALUES ${STATUS_ROWS};
      CREATE FUNCTION ticket_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE ticket_status_counts SET n = n + 1 WHERE status = NEW.status;
          ELSIF OLD.status <> NEW.status THEN
            PERFORM 1 FROM ticket_status_counts WHERE status IN (OLD.status, NEW.status) ORDER BY status FOR UPDATE;
            UPDATE ticket_status_counts SET n = n - 1 WHERE status = OLD.status;
            UPDATE ticket_status_counts SET n = n + 1 WHERE status = NEW.status;
          END IF;
          RETURN NULL;
        END $$;
      CREATE TRIGGER ticket_status_count_insert AFTER INSERT ON tickets
        FOR EACH ROW EXECUTE FUNCTION ticket_status_count();
      CREATE TRIGGER ticket_status_count_update AFTER UPDATE OF status ON tickets
        FOR EACH ROW EXECUTE FUNCTION ticket_status_count();

      CREATE TABLE ticket_notifications (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ticket_id TEXT COLLATE "C" NOT NULL REFERENCES tickets (id),
        kind TEXT NOT NULL,
        params TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
        channel_id TEXT NOT NULL,
        conversation_reference TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT COLLATE "C" NOT NULL,
        next_attempt_at TEXT COLLATE "C" NOT NULL,
        claimed_until TEXT COLLATE "C",
        delivered_at TEXT,
        last_error TEXT
      );
      CREATE INDEX ticket_notifications_due ON ticket_notifications (next_attempt_at)
        WHERE status IN ('pending', 'sending');
      CREATE INDEX ticket_notifications_by_ticket ON ticket_notifications (ticket_id, status);
    `,
  },
];
