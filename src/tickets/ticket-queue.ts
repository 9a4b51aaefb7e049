/**
 * The agents' queue: which tickets a desk query asks for, and the short form a list shows.
 * Both repositories answer it the same way (the contract suite checks), newest first with a
 * keyset cursor so that paging stays fast and stable while new tickets arrive.
 */
import type { HandoffReason } from '../../flows/outcome.js';
import type { TicketId, TicketStatus } from './ticket.js';
import type { Language } from '../i18n/language.js';

export interface QueueFilter {
  readonly status?: readonly TicketStatus[];
  readonly reason?: readonly HandoffReason[];
  readonly language?: Language;
  readonly channelId?: string;
  /** An agent id, or `null` for tickets nobody has taken. */
  readonly assigneeId?: string | null;
  /** ISO times: `createdFrom <= createdAt < createdTo`. */
  readonly createdFrom?: string;
  readonly createdTo?: string;
  /**
   * A ticket number (`TFA-…`, whole or its start), an e-mail address (whole or its start) or a
   * name (whole, or the start of one of its parts), compared case- and width-insensitively.
   */
  readonly q?: string;
}

/** Where the previous page ended: the last ticket's creation time and id. */
export interface QueueCursor {
  readonly createdAt: string;
  readonly id: TicketId;
}

export interface QueuePageRequest {
  /** 1..100. */
  readonly limit: number;
  readonly after?: QueueCursor;
}

/** A queue row: what an agent needs to pick a ticket, without its history or transcript. */
export interface TicketSummary {
  readonly id: TicketId;
  readonly reason: HandoffReason;
  readonly language: Language;
  readonly channelId: string;
  readonly status: TicketStatus;
  readonly assigneeId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** Customer notifications that could not be delivered. */
  readonly failedNotifications: number;
}

export interface QueuePage {
  readonly tickets: readonly TicketSummary[];
  /** Pass as `after` for the next page; `null` on the last page. */
  readonly next: QueueCursor | null;
}

export type StatusCounts = Readonly<Record<TicketStatus, number>>;

/** Normalises a search text the way stored search terms are: width-folded, lower case, no spaces. */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * The search terms a ticket is found by: its e-mail, its whole name and each part of the name
 * (so 「太郎」 finds 山田 太郎 and "taro" finds Taro Yamada).
 */
export function searchTermsOf(claims: { readonly email: string; readonly fullName: string }): string[] {
  const parts = claims.fullName.normalize('NFKC').toLowerCase().split(/[\s\u3000・,]+/).filter(Boolean);
  return [...new Set([searchKey(claims.email), searchKey(claims.fullName), ...parts.map(searchKey)].filter(Boolean))];
}

/** Where a reader of the change feed stopped: the last change's time and ticket id. */
export interface ChangeCursor {
  readonly updatedAt: string;
  readonly id: TicketId;
}

export interface ChangePage {
  /** Tickets changed after the cursor, oldest change first (each ticket once, as it is now). */
  readonly tickets: readonly TicketSummary[];
  /** Pass back for the next read; the same cursor when nothing changed. */
  readonly cursor: ChangeCursor | null;
}
