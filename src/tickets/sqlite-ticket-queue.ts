/**
 * The agents' queue in SQL. Each filter is a parameter, never text pasted into the statement.
 * The page's ids are found first and its columns read after, so per-row work (the count of failed
 * notifications) is done for the rows shown only. Without a search, an index is walked newest
 * first and stops at the page size. A search reads the search index, whose entries carry the
 * ticket's creation time: a name few tickets have is read there newest first without looking at
 * the tickets; a name very many have is found faster by walking the search index by time.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../storage/database.js';
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import { SUMMARY_COLUMNS, summaryFromRow, type SummaryRow } from './sqlite-ticket-rows.js';
import { searchKey, type ChangeCursor, type ChangePage, type QueueFilter, type QueuePage, type QueuePageRequest, type StatusCounts } from './ticket-queue.js';

/** The end of a prefix range: every string that starts with `prefix` sorts below it. */
const PREFIX_END = '\u{10FFFF}';

/** With other filters each search entry costs a ticket look-up: above this many, walk the tickets instead. */
const SCAN_LIMIT_FILTERED = 2_000;

/** Entries read per ticket wanted: a ticket matches a prefix through a few of its terms at most (e-mail, whole name, parts). */
const ENTRIES_PER_TICKET = 8;

/**
 * Statements by SQL text, per connection: compiling one costs more than running it on an index.
 * The texts come from a small fixed set of shapes (filters present, list lengths), so this stays small.
 */
const statements = new WeakMap<SqliteDatabase, Map<string, Statement<unknown[], unknown>>>();
function prepare<P extends unknown[], R>(db: SqliteDatabase, sql: string): Statement<P, R> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare<unknown[], unknown>(sql)));
  return statement as unknown as Statement<P, R>;
}

interface Sql {
  readonly sql: string;
  readonly params: unknown[];
}

export function queryQueue(db: SqliteDatabase, filter: QueueFilter, page: QueuePageRequest): QueuePage {
  const conditions = filterConditions(filter);
  const q = filter.q === undefined ? '' : searchKey(filter.q);
  let ids: string[];
  if (q === '' || /^tfa-/.test(q)) {
    const where = [...conditions.where];
    const params = [...conditions.params];
    if (q !== '') (where.push('t.id >= ? AND t.id < ?'), params.push(q.toUpperCase(), q.toUpperCase() + PREFIX_END));
    ids = pageIds(db, walk(where, params, page));
  } else if (conditions.where.length === 0) {
    // Few entries: read them all from the search index and keep the newest. Many: walk the search
    // index newest first (its entries carry the creation time) until the page is full.
    const limit = scanLimit(db);
    ids = countEntries(db, q, limit) <= limit ? searchScan(db, q, conditions, page) : searchWalk(db, q, page);
  } else if (countEntries(db, q, SCAN_LIMIT_FILTERED) <= SCAN_LIMIT_FILTERED) {
    ids = searchScan(db, q, conditions, page);
  } else {
    const where = [...conditions.where, 'EXISTS (SELECT 1 FROM ticket_search_terms st WHERE st.ticket_id = t.id AND st.term >= ? AND st.term < ?)'];
    ids = pageIds(db, walk(where, [...conditions.params, q, q + PREFIX_END], page));
  }
  if (ids.length === 0) return { tickets: [], next: null };
  // The page's columns for its ids only (one statement whatever their number: json_each).
  const rows = prepare<[string], SummaryRow>(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM tickets t WHERE t.id IN (SELECT value FROM json_each(?)) ORDER BY t.created_at DESC, t.id DESC`,
  ).all(JSON.stringify(ids));
  const tickets = rows.slice(0, page.limit).map(summaryFromRow);
  const last = tickets[tickets.length - 1];
  return { tickets, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** The filters other than the search, on the tickets table `t`. */
function filterConditions(filter: QueueFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
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
  return { where, params };
}

/** The page (one row more than asked) walking the tickets newest first. */
function walk(where: string[], params: unknown[], page: QueuePageRequest): Sql {
  const all = [...where];
  const values = [...params];
  if (page.after) {
    all.push('(t.created_at < ? OR (t.created_at = ? AND t.id < ?))');
    values.push(page.after.createdAt, page.after.createdAt, page.after.id);
  }
  return {
    sql: `SELECT t.id AS id FROM tickets t ${all.length ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id DESC LIMIT ?`,
    params: [...values, page.limit + 1],
  };
}

function pageIds(db: SqliteDatabase, { sql, params }: Sql): string[] {
  return prepare<unknown[], { id: string }>(db, sql).all(...params).map((r) => r.id);
}

/** How many search entries the prefix has, counted up to `cap` + 1. */
function countEntries(db: SqliteDatabase, q: string, cap: number): number {
  return prepare<[string, string, number], { n: number }>(
    db,
    'SELECT COUNT(*) AS n FROM (SELECT 1 FROM ticket_search_terms WHERE term >= ? AND term < ? LIMIT ?)',
  ).get(q, q + PREFIX_END, cap + 1)!.n;
}

/**
 * The page from all the search entries of the prefix, newest first. A ticket found through several
 * of its terms comes once: entries are read a few per ticket wanted, more if duplicates left the page short.
 */
function searchScan(db: SqliteDatabase, q: string, conditions: { where: string[]; params: unknown[] }, page: QueuePageRequest): string[] {
  const { where, params } = searchConditions(q, conditions, page);
  const join = conditions.where.length ? 'CROSS JOIN tickets t ON t.id = st.ticket_id' : '';
  const statement = prepare<unknown[], { id: string }>(
    db,
    `SELECT st.ticket_id AS id FROM ticket_search_terms st ${join} WHERE ${where.join(' AND ')}
     ORDER BY st.created_at DESC, st.ticket_id DESC LIMIT ?`,
  );
  const wanted = page.limit + 1;
  for (let read = wanted * ENTRIES_PER_TICKET; ; read *= 4) {
    const rows = statement.all(...params, read);
    const ids = [...new Set(rows.map((r) => r.id))];
    if (ids.length >= wanted || rows.length < read) return ids.slice(0, wanted);
  }
}

/** The page walking the search index newest first: a ticket's entries are next to each other there, so GROUP BY streams. */
function searchWalk(db: SqliteDatabase, q: string, page: QueuePageRequest): string[] {
  const { where, params } = searchConditions(q, { where: [], params: [] }, page);
  return prepare<unknown[], { id: string }>(
    db,
    `SELECT st.ticket_id AS id FROM ticket_search_terms st INDEXED BY ticket_search_terms_by_time WHERE ${where.join(' AND ')}
     GROUP BY st.created_at, st.ticket_id ORDER BY st.created_at DESC, st.ticket_id DESC LIMIT ?`,
  )
    .all(...params, page.limit + 1)
    .map((r) => r.id);
}

function searchConditions(q: string, conditions: { where: string[]; params: unknown[] }, page: QueuePageRequest) {
  const where = ['st.term >= ? AND st.term < ?', ...conditions.where];
  const params: unknown[] = [q, q + PREFIX_END, ...conditions.params];
  if (page.after) {
    where.push('(st.created_at < ? OR (st.created_at = ? AND st.ticket_id < ?))');
    params.push(page.after.createdAt, page.after.createdAt, page.after.id);
  }
  return { where, params };
}

/**
 * Where reading every entry of a prefix (about 0.15 µs each) costs as much as walking the index
 * newest first until a page is full (about 0.35 µs per entry walked, ~4.5 entries per ticket,
 * 25·M/N tickets): near √(75·M) entries for M tickets.
 */
function scanLimit(db: SqliteDatabase): number {
  const total = prepare<[], { n: number }>(db, 'SELECT COALESCE(SUM(n), 0) AS n FROM ticket_status_counts').get()!.n;
  return Math.max(1000, Math.round(Math.sqrt(75 * total)));
}

export function statusCounts(db: SqliteDatabase): StatusCounts {
  const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<(typeof TICKET_STATUSES)[number], number>;
  for (const row of prepare<[], { status: string; n: number }>(db, 'SELECT status, n FROM ticket_status_counts').all()) {
    if (row.status in counts) counts[row.status as keyof typeof counts] = row.n;
  }
  return counts;
}

export function changedSince(db: SqliteDatabase, after: ChangeCursor | null, limit: number): ChangePage {
  const rows = after
    ? db
        .prepare<[string, string, number], SummaryRow>(
          // A row value, so that SQLite seeks tickets_by_update instead of scanning every ticket.
          `SELECT ${SUMMARY_COLUMNS} FROM tickets t WHERE (t.updated_at, t.id) > (?, ?)
           ORDER BY t.updated_at, t.id LIMIT ?`,
        )
        .all(after.updatedAt, after.id, limit)
    : db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM tickets t ORDER BY t.updated_at, t.id LIMIT ?`).all(limit);
  const tickets = rows.map(summaryFromRow);
  const last = tickets[tickets.length - 1];
  return { tickets, cursor: last ? { updatedAt: last.updatedAt, id: last.id } : after };
}
