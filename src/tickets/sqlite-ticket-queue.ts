/**
 * The agents' queue in SQL. Each filter is a parameter, never text pasted into the statement;
 * a search drives the query from the search terms (the few matching tickets, sorted), everything
 * else walks an index newest first and stops at the page size.
 */
import type { SqliteDatabase } from '../storage/database.js';
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import { SUMMARY_COLUMNS, summaryFromRow, type SummaryRow } from './sqlite-ticket-rows.js';
import { searchKey, type ChangeCursor, type ChangePage, type QueueFilter, type QueuePage, type QueuePageRequest, type StatusCounts } from './ticket-queue.js';

/** The end of a prefix range: every string that starts with `prefix` sorts below it. */
const PREFIX_END = '\u{10FFFF}';

export function queryQueue(db: SqliteDatabase, filter: QueueFilter, page: QueuePageRequest): QueuePage {
  const where: string[] = [];
  const params: unknown[] = [];
  let from = 'tickets t';
  const q = filter.q === undefined ? '' : searchKey(filter.q);
  if (q !== '') {
    if (/^tfa-/.test(q)) {
      where.push('t.id >= ? AND t.id < ?');
      params.push(q.toUpperCase(), q.toUpperCase() + PREFIX_END);
    } else {
      // CROSS JOIN keeps SQLite from walking every ticket to test the search terms.
      from = `(SELECT DISTINCT ticket_id FROM ticket_search_terms WHERE term >= ? AND term < ?) s
        CROSS JOIN tickets t ON t.id = s.ticket_id`;
      params.push(q, q + PREFIX_END);
    }
  }
  const list = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    where.push(values.length === 0 ? '0' : `${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  list('t.status', filter.status);
  list('t.reason', filter.reason);
  if (filter.language !== undefined) (where.push('t.language = ?'), params.push(filter.language));
  if (filter.channelId !== undefined) (where.push('t.channel_id = ?'), params.push(filter.channelId));
  if (filter.assigneeId === null) where.push('t.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) (where.push('t.assignee_id = ?'), params.push(filter.assigneeId));
  if (filter.createdFrom !== undefined) (where.push('t.created_at >= ?'), params.push(filter.createdFrom));
  if (filter.createdTo !== undefined) (where.push('t.created_at < ?'), params.push(filter.createdTo));
  if (page.after) {
    where.push('(t.created_at < ? OR (t.created_at = ? AND t.id < ?))');
    params.push(page.after.createdAt, page.after.createdAt, page.after.id);
  }
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${from}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY t.created_at DESC, t.id DESC LIMIT ?`;
  // One more than asked: tells whether there is a next page without a second query.
  const rows = db.prepare<unknown[], SummaryRow>(sql).all(...params, page.limit + 1);
  const tickets = rows.slice(0, page.limit).map(summaryFromRow);
  const last = tickets[tickets.length - 1];
  return { tickets, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

export function statusCounts(db: SqliteDatabase): StatusCounts {
  const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<(typeof TICKET_STATUSES)[number], number>;
  for (const row of db.prepare<[], { status: string; n: number }>('SELECT status, n FROM ticket_status_counts').all()) {
    if (row.status in counts) counts[row.status as keyof typeof counts] = row.n;
  }
  return counts;
}

export function changedSince(db: SqliteDatabase, after: ChangeCursor | null, limit: number): ChangePage {
  const rows = after
    ? db
        .prepare<[string, string, string, number], SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM tickets t WHERE t.updated_at > ? OR (t.updated_at = ? AND t.id > ?)
           ORDER BY t.updated_at, t.id LIMIT ?`,
        )
        .all(after.updatedAt, after.updatedAt, after.id, limit)
    : db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM tickets t ORDER BY t.updated_at, t.id LIMIT ?`).all(limit);
  const tickets = rows.map(summaryFromRow);
  const last = tickets[tickets.length - 1];
  return { tickets, cursor: last ? { updatedAt: last.updatedAt, id: last.id } : after };
}
