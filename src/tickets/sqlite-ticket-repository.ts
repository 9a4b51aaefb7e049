/**
 * SQLite ticket repository (the bot's database file). Every operation is one IMMEDIATE transaction:
 * the write lock is taken before reading, so two processes sharing the file cannot both decide from
 * the same state. The version column is checked again in the UPDATE as a second line of defence.
 */
import { AppError } from '../errors.js';
import type { SqliteDatabase } from '../storage/database.js';
import { insertNotification } from './outbox/sqlite-notification-outbox.js';
import { historyFromRow, ticketFromRow, type HistoryRow, type TicketRow } from './sqlite-ticket-rows.js';
import { changedSince, queryQueue, statusCounts } from './sqlite-ticket-queue.js';
import { OPEN_STATUS_SQL_LIST } from './ticket-migrations.js';
import { searchTermsOf, type ChangeCursor, type ChangePage, type QueueFilter, type QueuePage, type QueuePageRequest, type StatusCounts } from './ticket-queue.js';
import type { IdentityClaims } from '../identity/identity-claims.js';
import type { CustomerRef, HistoryEntry, NewTicket, Ticket, TicketId } from './ticket.js';
import type { FindOrCreateResult, TicketChange, TicketRepository, UpdateOptions } from './ticket-repository.js';
import { ticketWaitingFromRow, ticketWaitingSql, type TicketWaitingFilter, type TicketWaitingRow, type TicketWaitingTime } from './ticket-waiting.js';

const OPEN_LIST = OPEN_STATUS_SQL_LIST;

/** The ticket schema, re-exported so callers wire the repository and its migrations from one module. */
export { migrations, migrations as ticketMigrations } from './ticket-migrations.js';

export class SqliteTicketRepository implements TicketRepository {
  readonly #db: SqliteDatabase;
  readonly #stmt;

  /** `db` must have had {@link migrations} applied (see openDatabase). */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#stmt = {
      byId: db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
      byActivity: db.prepare<[string, string], TicketRow>(
        `SELECT t.* FROM ticket_activity_keys k JOIN tickets t ON t.id = k.ticket_id
         WHERE k.channel_id = ? AND k.activity_id = ?`,
      ),
      openForHandoff: db.prepare<[string, string, string], TicketRow>(
        `SELECT * FROM tickets WHERE channel_id = ? AND conversation_id = ? AND reason = ?
         AND status IN (${OPEN_LIST}) ORDER BY created_at DESC LIMIT 1`,
      ),
      forCustomer: db.prepare<[string, string], TicketRow>(
        'SELECT * FROM tickets WHERE channel_id = ? AND user_id = ? ORDER BY created_at DESC, id DESC',
      ),
      history: db.prepare<[string], HistoryRow>(
        'SELECT * FROM ticket_history WHERE ticket_id = ? ORDER BY seq',
      ),
      insertTicket: db.prepare(
        `INSERT INTO tickets (id, reason, language, status, channel_id, user_id, tenant_id, conversation_id,
           conversation_reference, claims, path, steps_tried, created_at, updated_at, version)
         VALUES (@id, @reason, @language, 'awaiting_verification', @channelId, @userId, @tenantId, @conversationId,
           @conversationReference, @claims, @path, @stepsTried, @createdAt, @createdAt, 1)`,
      ),
      recordActivity: db.prepare(
        'INSERT OR IGNORE INTO ticket_activity_keys (channel_id, activity_id, ticket_id) VALUES (?, ?, ?)',
      ),
      appendHistory: db.prepare(
        `INSERT INTO ticket_history (ticket_id, seq, at, actor_kind, actor_id, event, from_status, to_status, note, detail)
         VALUES (@ticketId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ticket_history WHERE ticket_id = @ticketId),
           @at, @actorKind, @actorId, @event, @from, @to, @note, @detail)`,
      ),
      updateTicket: db.prepare(
        `UPDATE tickets SET status = @status, verified_by = @verifiedBy, approved_by = @approvedBy,
           approved_change = @approvalAction, close_reason = @closeReason, failure_reason = @failureReason,
           assignee_id = CASE WHEN @assigneeChanged THEN @assigneeId ELSE assignee_id END,
           claims = COALESCE(@claims, claims), updated_at = @updatedAt, version = version + 1
         WHERE id = @id AND version = @version`,
      ),
      deleteTerms: db.prepare('DELETE FROM ticket_search_terms WHERE ticket_id = ?'),
      // The term carries its ticket's creation time: searches read it newest first (tickets-003).
      insertTerm: db.prepare(
        'INSERT OR IGNORE INTO ticket_search_terms (term, ticket_id, created_at) SELECT ?, id, created_at FROM tickets WHERE id = ?',
      ),
    };
  }

  async findOrCreateOpen(ticket: NewTicket, activityId: string | null): Promise<FindOrCreateResult> {
    const run = this.#db.transaction((): FindOrCreateResult => {
      const s = this.#stmt;
      if (activityId !== null) {
        const row = s.byActivity.get(ticket.channelId, activityId);
        if (row) return { ticket: this.#hydrate(row), created: false, matchedBy: 'activity' };
      }
      const open = s.openForHandoff.get(ticket.channelId, ticket.conversationId, ticket.reason);
      if (open) {
        if (activityId !== null) s.recordActivity.run(ticket.channelId, activityId, open.id);
        return { ticket: this.#hydrate(open), created: false, matchedBy: 'conversation' };
      }
      if (s.byId.get(ticket.id)) throw new AppError('conflict', 'ticket id already taken', { field: 'id' });
      s.insertTicket.run({
        id: ticket.id,
        reason: ticket.reason,
        language: ticket.language,
        channelId: ticket.channelId,
        userId: ticket.userId,
        tenantId: ticket.tenantId,
        conversationId: ticket.conversationId,
        conversationReference: JSON.stringify(ticket.conversationReference),
        claims: JSON.stringify(ticket.claims),
        path: JSON.stringify(ticket.path),
        stepsTried: JSON.stringify(ticket.stepsTried),
        createdAt: ticket.createdAt,
      });
      this.#append(ticket.id, {
        at: ticket.createdAt,
        actor: ticket.openedBy,
        event: 'ticket.opened',
        from: null,
        to: 'awaiting_verification',
        note: ticket.note,
        detail: null,
      });
      this.#index(ticket.id, ticket.claims);
      if (activityId !== null) s.recordActivity.run(ticket.channelId, activityId, ticket.id);
      const created = s.byId.get(ticket.id);
      if (!created) throw new AppError('internal', 'ticket vanished after insert');
      return { ticket: this.#hydrate(created), created: true, matchedBy: null };
    });
    return run.immediate();
  }

  async get(id: TicketId): Promise<Ticket | undefined> {
    const row = this.#stmt.byId.get(id);
    return row ? this.#hydrate(row) : undefined;
  }

  async listForCustomer(customer: CustomerRef): Promise<Ticket[]> {
    return this.#stmt.forCustomer.all(customer.channelId, customer.userId).map((r) => this.#hydrate(r));
  }

  async update(
    id: TicketId,
    decide: (current: Ticket) => TicketChange,
    options: UpdateOptions = {},
  ): Promise<Ticket> {
    const run = this.#db.transaction((): Ticket => {
      const row = this.#stmt.byId.get(id);
      if (!row) throw new AppError('not_found', 'ticket not found');
      if (options.expectedVersion !== undefined && options.expectedVersion !== row.version) {
        throw new AppError('conflict', 'ticket was changed by someone else', {
          expectedVersion: options.expectedVersion,
          version: row.version,
        });
      }
      const change = decide(this.#hydrate(row));
      const result = this.#stmt.updateTicket.run({
        id,
        version: row.version,
        status: change.status,
        verifiedBy: change.verifiedBy,
        approvedBy: change.approvedBy,
        approvalAction: change.approvalAction,
        closeReason: change.closeReason,
        failureReason: change.failureReason,
        assigneeChanged: change.assigneeId === undefined ? 0 : 1,
        assigneeId: change.assigneeId ?? null,
        claims: change.claims ? JSON.stringify(change.claims) : null,
        updatedAt: change.history.at,
      });
      if (result.changes !== 1) throw new AppError('conflict', 'ticket was changed by someone else');
      this.#append(id, change.history);
      if (change.claims) this.#index(id, change.claims);
      const updated = this.#stmt.byId.get(id);
      if (!updated) throw new AppError('internal', 'ticket vanished after update');
      const ticket = this.#hydrate(updated);
      if (change.notification) insertNotification(this.#db, ticket, change.notification, change.history.at);
      return ticket;
    });
    return run.immediate();
  }

  async listQueue(filter: QueueFilter, page: QueuePageRequest): Promise<QueuePage> {
    return queryQueue(this.#db, filter, page);
  }

  async countByStatus(): Promise<StatusCounts> {
    return statusCounts(this.#db);
  }

  async listChangedSince(after: ChangeCursor | null, limit: number): Promise<ChangePage> {
    return changedSince(this.#db, after, limit);
  }

  async listWaitingTimes(filter: TicketWaitingFilter): Promise<TicketWaitingTime[]> {
    const { sql, params } = ticketWaitingSql(filter, () => '?');
    return this.#db.prepare<unknown[], TicketWaitingRow>(sql).all(...params).map(ticketWaitingFromRow);
  }

  /** Rewrites the terms a ticket is found by (on creation, and when the customer resubmits claims). */
  #index(ticketId: string, claims: IdentityClaims): void {
    this.#stmt.deleteTerms.run(ticketId);
    for (const term of searchTermsOf(claims)) this.#stmt.insertTerm.run(term, ticketId);
  }

  #append(ticketId: string, entry: HistoryEntry): void {
    this.#stmt.appendHistory.run({
      ticketId,
      at: entry.at,
      actorKind: entry.actor.kind,
      actorId: entry.actor.id,
      event: entry.event,
      from: entry.from,
      to: entry.to,
      note: entry.note,
      detail: entry.detail === null ? null : JSON.stringify(entry.detail),
    });
  }

  #hydrate(row: TicketRow): Ticket {
    return ticketFromRow(row, this.#stmt.history.all(row.id).map(historyFromRow));
  }
}
