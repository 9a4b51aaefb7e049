/**
 * Where the reports' conversation sessions and not-understood messages live. SQLite and PostgreSQL
 * implementations pass one contract suite (test/analytics/analytics-store.contract.ts).
 */
import type { Language } from '../i18n/language.js';
import type { ConversationSession, NotUnderstoodMessage, RecordedTurn } from './conversation-session.js';

export interface SessionFilter {
  /** Sessions that started (messages that arrived) at or after this ISO time… */
  readonly since: string;
  /** …and before this one. */
  readonly until: string;
  readonly language?: Language | undefined;
  readonly channel?: string | undefined;
}

export interface AnalyticsStore {
  /**
   * Applies the turns in the order given, all in one transaction: each to its conversation's latest
   * session (conversation-session.ts `applyTurn`), a ticket rating to the session that opened the
   * ticket (else the conversation's latest handoff session), and its not-understood message.
   * A batch records exactly what its turns recorded one by one would (session-writes.ts), except
   * that session ids rise in start order only within a conversation.
   */
  record(turns: readonly RecordedTurn[]): Promise<void>;
  /** Sessions that started in the period (language: the session's last), oldest first. */
  sessionsStarted(filter: SessionFilter): Promise<ConversationSession[]>;
  /** Not-understood messages of the period, newest first, at most `limit`. */
  notUnderstood(filter: SessionFilter, limit: number): Promise<NotUnderstoodMessage[]>;
  /** Deletes not-understood messages older than `before` (the retention); how many. */
  purgeNotUnderstood(before: Date): Promise<number>;
}
