/**
 * How a batch of recorded turns becomes database writes, the same for SQLite and PostgreSQL. Each
 * conversation's latest session is read once per batch, the batch's turns are applied to it in
 * order ({@link applyTurn}), and each session is written once: a batch holds a second or so of
 * turns, so a conversation's several turns in it cost one read and one write instead of one of
 * each per turn (on PostgreSQL, round trips; issue 16).
 *
 * A generator of database steps: the SQLite store answers them synchronously inside its one
 * transaction, the PostgreSQL store awaits each. Writes come in the order the per-turn way made
 * them wherever it matters: a conversation's earlier session is written before its next one
 * starts (so ids still rise in start order within a conversation: what "latest" reads), and before
 * a ticket rating, which looks sessions up in the database, its conversation's pending session is
 * written and then read again after the rating has changed it. Ids do not rise in start order
 * across conversations (nor did they with several instances): nothing orders or pages by them.
 */
import { applyTurn, notUnderstoodOf, ratesTicket, type ConversationSession, type NotUnderstoodMessage, type RecordedTurn } from './conversation-session.js';

/** A session row's id: a number in SQLite, a string (BIGINT) from PostgreSQL. */
export type SessionId = number | string;

export type SessionStep =
  /** The conversation's latest session; answer `{ id, session }` or undefined. */
  | { readonly kind: 'latest'; readonly keyHash: string }
  /** A new session (its id is not needed: the batch never writes it twice). */
  | { readonly kind: 'insert'; readonly session: ConversationSession }
  | { readonly kind: 'update'; readonly id: SessionId; readonly session: ConversationSession }
  /** A ticket's rating, to the session that opened the ticket (the store finds it). */
  | { readonly kind: 'rate'; readonly turn: RecordedTurn; readonly rating: number }
  | { readonly kind: 'notUnderstood'; readonly message: NotUnderstoodMessage };

export interface StoredSession {
  readonly id: SessionId;
  readonly session: ConversationSession;
}

interface OpenSession {
  /** Undefined for a session this batch starts: inserted, once, when it is written. */
  readonly id: SessionId | undefined;
  session: ConversationSession;
  changed: boolean;
}

/** The steps that record `turns`; each answer is what its step asks for (see {@link SessionStep}). */
export function* sessionWrites(turns: readonly RecordedTurn[]): Generator<SessionStep, void, unknown> {
  /** Per conversation read in this batch: its latest session as it now stands (undefined: none). */
  const latest = new Map<string, OpenSession | undefined>();

  /** A conversation's held session, if changed. Called only before the held session is replaced, dropped, or at the end. */
  function* write(keyHash: string): Generator<SessionStep, void, unknown> {
    const open = latest.get(keyHash);
    if (!open?.changed) return;
    yield open.id === undefined ? { kind: 'insert', session: open.session } : { kind: 'update', id: open.id, session: open.session };
  }

  for (const turn of turns) {
    const message = notUnderstoodOf(turn);
    if (message) yield { kind: 'notUnderstood', message };
    const key = turn.keyHash;
    const rating = ratesTicket(turn);
    if (rating !== null) {
      yield* write(key);
      yield { kind: 'rate', turn, rating };
      // The rating may have changed the session held here: read it again when next needed.
      latest.delete(key);
      continue;
    }
    if (!latest.has(key)) {
      const stored = (yield { kind: 'latest', keyHash: key }) as StoredSession | undefined;
      latest.set(key, stored && { id: stored.id, session: stored.session, changed: false });
    }
    const open = latest.get(key);
    const change = applyTurn(open?.session, turn);
    if (change.kind === 'start') {
      yield* write(key);
      latest.set(key, { id: undefined, session: change.session, changed: true });
    } else if (change.kind === 'update' && open) {
      open.session = change.session;
      open.changed = true;
    }
  }
  for (const key of latest.keys()) yield* write(key);
}
