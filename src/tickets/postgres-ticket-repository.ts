/**
 * The ticket repository on PostgreSQL, for several bot instances sharing one database. Same
 * semantics as SqliteTicketRepository (one contract suite): where SQLite takes the file's write lock
 * up front, this takes the narrowest lock that gives the same answer:
 * - opening a ticket: a transaction-scoped advisory lock on the handoff (channel, conversation,
 *   reason), so concurrent calls for one handoff, on any instance, yield one ticket;
 * - changing a ticket: `SELECT … FOR UPDATE` on its row, so a second writer waits and then sees
 *   the new version (conflict) instead of deciding from the old one.
 */
import { AppError } from '../errors.js';
import { ADVISORY_LOCK, inTransaction, isUniqueViolation, type PgClient, type PgPool } from '../storage/postgres/index.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import { insertPgNotification } from './outbox/postgres-notification-outbox.js';
import { pgChangedSince, pgQueryQueue, pgStatusCounts } from './postgres-ticket-queue.js';
import { historyFromRow, ticketFromRow, type HistoryRow, type TicketRow } from './sqlite-ticket-rows.js';
import { OPEN_STATUS_SQL_LIST } from './ticket-migrations.js';
import { searchTermsOf, type ChangeCursor, type ChangePage, type QueueFilter, type QueuePage, type QueuePageRequest, type StatusCounts } from './ticket-queue.js';
import type { CustomerRef, HistoryEntry, NewTicket, Ticket, TicketId } from './ticket.js';
import type { FindOrCreateResult, TicketChange, TicketRepository, UpdateOptions } from './ticket-repository.js';
import { ticketWaitingFromRow, ticketWaitingSql, type TicketWaitingFilter, type TicketWaitingRow, type TicketWaitingTime } from './ticket-waiting.js';

export { postgresTicketMigrations } from './postgres-ticket-migrations.js';

type Db = PgPool | PgClient;

export class PostgresTicketRepository implements TicketRepository {
  readonly #pool: PgPool;

  /** `pool` must have had {@link postgresTicketMigrations} applied (see applyPgMigrations). */
  constructor(pool: PgPool) {
    this.#pool = pool;
  }

  async findOrCreateOpen(ticket: NewTicket, activityId: string | null): Promise<FindOrCreateResult> {
    return inTransaction(this.#pool, async (db) => {
      // Two handoffs may share the lock's 32-bit hash: then one waits for the other, nothing worse.
      const handoff = JSON.stringify([ticket.channelId, ticket.conversationId, ticket.reason]);
      await db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ADVISORY_LOCK.ticketHandoff, handoff]);
      if (activityId !== null) {
        const row = await one<TicketRow>(
          db,
          `SELECT t.* FROM ticket_activity_keys k JOIN tickets t ON t.id = k.ticket_id
           WHERE k.channel_id = $1 AND k.activity_id = $2`,
          [ticket.channelId, activityId],
        );
        if (row) return { ticket: await hydrate(db, row), created: false, matchedBy: 'activity' as const };
      }
      const open = await one<TicketRow>(
        db,
        `SELECT * FROM tickets WHERE channel_id = $1 AND conversation_id = $2 AND reason = $3
         AND status IN (${OPEN_STATUS_SQL_LIST}) ORDER BY created_at DESC LIMIT 1`,
        [ticket.channelId, ticket.conversationId, ticket.reason],
      );
      if (open) {
        if (activityId !== null) await recordActivity(db, ticket.channelId, activityId, open.id);
        return { ticket: await hydrate(db, open), created: false, matchedBy: 'conversation' as const };
      }
      await insertTicket(db, ticket);
      await append(db, ticket.id, {
        at: ticket.createdAt,
        actor: ticket.openedBy,
        event: 'ticket.opened',
        from: null,
        to: 'awaiting_verification',
        note: ticket.note,
        detail: null,
      });
      await index(db, ticket.id, ticket.claims);
      if (activityId !== null) await recordActivity(db, ticket.channelId, activityId, ticket.id);
      const created = await one<TicketRow>(db, 'SELECT * FROM tickets WHERE id = $1', [ticket.id]);
      if (!created) throw new AppError('internal', 'ticket vanished after insert');
      return { ticket: await hydrate(db, created), created: true, matchedBy: null };
    });
  }

  async get(id: TicketId): Promise<Ticket | undefined> {
    const row = await one<TicketRow>(this.#pool, 'SELECT * FROM tickets WHERE id = $1', [id]);
    return row ? hydrate(this.#pool, row) : undefined;
  }

  async listForCustomer(customer: CustomerRef): Promise<Ticket[]> {
    const { rows } = await this.#pool.query<TicketRow>(
      'SELECT * FROM tickets WHERE channel_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC',
      [customer.channelId, customer.userId],
    );
    if (rows.length === 0) return [];
    // Every history in one query rather than one per ticket.
    const history = await this.#pool.query<HistoryRow & { ticket_id: string }>(
      'SELECT * FROM ticket_history WHERE ticket_id = ANY($1::text[]) ORDER BY ticket_id, seq',
      [rows.map((r) => r.id)],
    );
    const byTicket = new Map<string, HistoryRow[]>();
    for (const h of history.rows) {
      const list = byTicket.get(h.ticket_id);
      if (list) list.push(h);
      else byTicket.set(h.ticket_id, [h]);
    }
    return rows.map((r) => ticketFromRow(r, (byTicket.get(r.id) ?? []).map(historyFromRow)));
  }

  async update(id: TicketId, decide: (current: Ticket) => TicketChange, options: UpdateOptions = {}): Promise<Ticket> {
    return inTransaction(this.#pool, async (db) => {
      const row = await one<TicketRow>(db, 'SELECT * FROM tickets WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new AppError('not_found', 'ticket not found');
      if (options.expectedVersion !== undefined && options.expectedVersion !== row.version) {
        throw new AppError('conflict', 'ticket was changed by someone else', {
          expectedVersion: options.expectedVersion,
          version: row.version,
        });
      }
      const change = decide(await hydrate(db, row));
      const result = await db.query(
        `UPDATE tickets SET status = $3, verified_by = $4, approved_by = $5, approved_change = $6, close_reason = $7,
           failure_reason = $8, assignee_id = CASE WHEN $9::boolean THEN $10 ELSE assignee_id END,
           claims = COALESCE($11, claims), updated_at = $12, version = version + 1
         WHERE id = $1 AND version = $2`,
        [
          id,
          row.version,
          change.status,
          change.verifiedBy,
          change.approvedBy,
          change.approvalAction,
          change.closeReason,
          change.failureReason,
          change.assigneeId !== undefined,
          change.assigneeId ?? null,
          change.claims ? JSON.stringify(change.claims) : null,
          change.history.at,
        ],
      );
      if (result.rowCount !== 1) throw new AppError('conflict', 'ticket was changed by someone else');
      await append(db, id, change.history);
      if (change.claims) await index(db, id, change.claims);
      const updated = await one<TicketRow>(db, 'SELECT * FROM tickets WHERE id = $1', [id]);
      if (!updated) throw new AppError('internal', 'ticket vanished after update');
      const ticket = await hydrate(db, updated);
      if (change.notification) await insertPgNotification(db, ticket, change.notification, change.history.at);
      return ticket;
    });
  }

  async listQueue(filter: QueueFilter, page: QueuePageRequest): Promise<QueuePage> {
    return pgQueryQueue(this.#pool, filter, page);
  }

  async countByStatus(): Promise<StatusCounts> {
    return pgStatusCounts(this.#pool);
  }

  async listChangedSince(after: ChangeCursor | null, limit: number): Promise<ChangePage> {
    return pgChangedSince(this.#pool, after, limit);
  }

  async listWaitingTimes(filter: TicketWaitingFilter): Promise<TicketWaitingTime[]> {
    const { sql, params } = ticketWaitingSql(filter, (n) => `$${n}`);
    return (await this.#pool.query<TicketWaitingRow>(sql, params)).rows.map(ticketWaitingFromRow);
  }
}

async function one<R extends object>(db: Db, sql: string, params: unknown[]): Promise<R | undefined> {
  return (await db.query<R>(sql, params)).rows[0];
}

async function insertTicket(db: PgClient, ticket: NewTicket): Promise<void> {
  // A savepoint, so that a taken id reports `conflict` instead of aborting the whole transaction.
  await db.query('SAVEPOINT insert_ticket');
  try {
    await db.query(
      `INSERT INTO tickets (id, reason, language, status, channel_id, user_id, tenant_id, conversation_id,
         conversation_reference, claims, path, steps_tried, created_at, updated_at, version)
       VALUES ($1, $2, $3, 'awaiting_verification', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1)`,
      [
        ticket.id,
        ticket.reason,
        ticket.language,
        ticket.channelId,
        ticket.userId,
        ticket.tenantId,
        ticket.conversationId,
        JSON.stringify(ticket.conversationReference),
        JSON.stringify(ticket.claims),
        JSON.stringify(ticket.path),
        JSON.stringify(ticket.stepsTried),
        ticket.createdAt,
      ],
    );
  } catch (err) {
    await db.query('ROLLBACK TO SAVEPOINT insert_ticket');
    if (isUniqueViolation(err, 'tickets_pkey')) throw new AppError('conflict', 'ticket id already taken', { field: 'id' });
    throw err;
  }
}

async function recordActivity(db: PgClient, channelId: string, activityId: string, ticketId: string): Promise<void> {
  await db.query(
    'INSERT INTO ticket_activity_keys (channel_id, activity_id, ticket_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [channelId, activityId, ticketId],
  );
}

/** Rewrites the terms a ticket is found by (on creation, and when the customer resubmits claims). */
async function index(db: PgClient, ticketId: string, claims: IdentityClaims): Promise<void> {
  await db.query('DELETE FROM ticket_search_terms WHERE ticket_id = $1', [ticketId]);
  await db.query(
    `INSERT INTO ticket_search_terms (term, ticket_id, created_at)
     SELECT term, t.id, t.created_at FROM tickets t, unnest($2::text[]) AS term WHERE t.id = $1
     ON CONFLICT DO NOTHING`,
    [ticketId, searchTermsOf(claims)],
  );
}

/** Appends one history line; the ticket's row lock (or its creation) makes `MAX(seq) + 1` safe. */
async function append(db: PgClient, ticketId: string, entry: HistoryEntry): Promise<void> {
  await db.query(
    `INSERT INTO ticket_history (ticket_id, seq, at, actor_kind, actor_id, event, from_status, to_status, note, detail)
     VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ticket_history WHERE ticket_id = $1), $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      ticketId,
      entry.at,
      entry.actor.kind,
      entry.actor.id,
      entry.event,
      entry.from,
      entry.to,
      entry.note,
      entry.detail === null ? null : JSON.stringify(entry.detail),
    ],
  );
}

async function hydrate(db: Db, row: TicketRow): Promise<Ticket> {
  const { rows } = await db.query<HistoryRow>('SELECT * FROM ticket_history WHERE ticket_id = $1 ORDER BY seq', [row.id]);
  return ticketFromRow(row, rows.map(historyFromRow));
}
