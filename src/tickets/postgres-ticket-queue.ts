/**
 * The agents' queue, its status counts and the change feed in PostgreSQL. Same answers as
 * sqlite-ticket-queue.ts (one contract suite); each filter is a parameter, never text pasted into
 * the statement. Without a search, an index is walked newest first and stops at the page size. A
 * search whose prefix has few entries reads them all and then their tickets by id; one with many
 * walks the tickets newest first, checking each against the search index, until the page is full.
 */
import { TICKET_STATUSES } from '../../flows/ticket-lifecycle/index.js';
import type { PgQueryable } from '../storage/postgres/index.js';
import { summaryFromRow, type SummaryRow } from './sqlite-ticket-rows.js';
import { searchKey, type ChangeCursor, type ChangePage, type QueueFilter, type QueuePage, type QueuePageRequest, type StatusCounts } from './ticket-queue.js';

/** The end of a prefix range: every string that starts with `prefix` sorts below it (byte order, "C" collation). */
const PREFIX_END = '\u{10FFFF}';

/** The columns a queue row reads; `t` is the tickets table. COUNT is cast: `pg` returns bigint as a string. */
const SUMMARY_COLUMNS = `t.id, t.reason, t.language, t.channel_id, t.status, t.assignee_id, t.created_at,
  t.updated_at, t.version,
  (SELECT COUNT(*) FROM ticket_notifications n WHERE n.ticket_id = t.id AND n.status = 'failed')::int AS failed_notifications`;

/** Collects parameters and hands out their `$n` placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export async function pgQueryQueue(db: PgQueryable, filter: QueueFilter, page: QueuePageRequest): Promise<QueuePage> {
  const p = new Params();
  const where = filterConditions(filter, p);
  const q = filter.q === undefined ? '' : searchKey(filter.q);
  if (q !== '' && /^tfa-/.test(q)) {
    where.push(`t.id >= ${p.add(q.toUpperCase())} AND t.id < ${p.add(q.toUpperCase() + PREFIX_END)}`);
  } else if (q !== '') {
    const range = `st.term >= ${p.add(q)} AND st.term < ${p.add(q + PREFIX_END)}`;
    const limit = await scanLimit(db);
    if ((await countEntries(db, q, limit)) <= limit) {
      // Few entries: all of them first, then their tickets by primary key. Left to itself the
      // planner cannot tell a prefix that matches few rows (every e-mail starts alike) and may walk
      // every ticket newest first looking for them: 450 ms over 300,000 tickets for 4,096 old matches.
      // ARRAY(…) is computed once, before the tickets are read; `= ANY` then reads them by key.
      where.push(`t.id = ANY(ARRAY(SELECT st.ticket_id FROM ticket_search_terms st WHERE ${range}))`);
    } else {
      // Many: walking the tickets newest first fills a page after a few rows each.
      where.push(`EXISTS (SELECT 1 FROM ticket_search_terms st WHERE st.ticket_id = t.id AND ${range})`);
    }
  }
  if (page.after) where.push(`(t.created_at, t.id) < (${p.add(page.after.createdAt)}, ${p.add(page.after.id)})`);
  const { rows } = await db.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM tickets t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY t.created_at DESC, t.id DESC LIMIT ${p.add(page.limit + 1)}`,
    p.values,
  );
  const tickets = rows.slice(0, page.limit).map(summaryFromRow);
  const last = tickets[tickets.length - 1];
  return { tickets, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/**
 * Up to how many search entries reading them all beats walking the tickets newest first: reading
 * costs per entry, walking about page size x tickets / matches; both meet near sqrt(75 x tickets)
 * (the SQLite queue's rule, sqlite-ticket-queue.ts), and never below 1,000.
 */
async function scanLimit(db: PgQueryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT COALESCE(SUM(n), 0)::int AS n FROM ticket_status_counts');
  return Math.max(1000, Math.round(Math.sqrt(75 * (rows[0]?.n ?? 0))));
}

/** How many search entries the prefix has, counted up to `cap` + 1 (an index range, no table reads). */
async function countEntries(db: PgQueryable, q: string, cap: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT COUNT(*)::int AS n FROM (SELECT 1 FROM ticket_search_terms WHERE term >= $1 AND term < $2 LIMIT $3) e',
    [q, q + PREFIX_END, cap + 1],
  );
  return rows[0]?.n ?? 0;
}

/** The filters other than the search, on the tickets table `t`. */
function filterConditions(filter: QueueFilter, p: Params): string[] {
  const where: string[] = [];
  const list = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    where.push(values.length === 0 ? 'FALSE' : `${column} = ANY(${p.add(values)}::text[])`);
  };
  list('t.status', filter.status);
  list('t.reason', filter.reason);
  if (filter.language !== undefined) where.push(`t.language = ${p.add(filter.language)}`);
  if (filter.channelId !== undefined) where.push(`t.channel_id = ${p.add(filter.channelId)}`);
  if (filter.assigneeId === null) where.push('t.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) where.push(`t.assignee_id = ${p.add(filter.assigneeId)}`);
  if (filter.createdFrom !== undefined) where.push(`t.created_at >= ${p.add(filter.createdFrom)}`);
  if (filter.createdTo !== undefined) where.push(`t.created_at < ${p.add(filter.createdTo)}`);
  return where;
}

export async function pgStatusCounts(db: PgQueryable): Promise<StatusCounts> {
  const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<(typeof TICKET_STATUSES)[number], number>;
  const { rows } = await db.query<{ status: string; n: number }>('SELECT status, n FROM ticket_status_counts');
  for (const row of rows) if (row.status in counts) counts[row.status as keyof typeof counts] = row.n;
  return counts;
}

/**
 * The change feed. A change committed late with an earlier `updated_at` (another instance's clock,
 * or a long transaction) can sort before a cursor already handed out and be missed by that reader;
 * the same holds for SQLite with several processes. Readers that need every change re-read a
 * window (see ticket-feed.ts).
 */
export async function pgChangedSince(db: PgQueryable, after: ChangeCursor | null, limit: number): Promise<ChangePage> {
  const { rows } = after
    ? await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM tickets t WHERE (t.updated_at, t.id) > ($1, $2) ORDER BY t.updated_at, t.id LIMIT $3`,
        [after.updatedAt, after.id, limit],
      )
    : await db.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM tickets t ORDER BY t.updated_at, t.id LIMIT $1`, [limit]);
  const tickets = rows.map(summaryFromRow);
  const last = tickets[tickets.length - 1];
  return { tickets, cursor: last ? { updatedAt: last.updatedAt, id: last.id } : after };
}
