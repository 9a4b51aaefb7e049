import { describe, expect, it } from 'vitest';
import type { ConversationSession, NotUnderstoodMessage, RecordedTurn } from '../../src/analytics/conversation-session.js';
import { sessionWrites, type SessionStep, type StoredSession } from '../../src/analytics/session-writes.js';
import { SEEDED_TURNS } from './report-data.js';
import { turn } from './analytics-store.contract.js';

/** The steps answered as a database would: rows in insertion order, found as the stores' queries find them. */
class FakeDatabase {
  readonly rows: { id: number; session: ConversationSession }[] = [];
  readonly notUnderstood: NotUnderstoodMessage[] = [];
  readonly steps: SessionStep['kind'][] = [];

  run(turns: readonly RecordedTurn[]): void {
    const steps = sessionWrites(turns);
    for (let step = steps.next(); !step.done; step = steps.next(this.answer(step.value)));
  }

  private answer(step: SessionStep): unknown {
    this.steps.push(step.kind);
    const ofKey = (key: string) => this.rows.filter((r) => r.session.keyHash === key);
    switch (step.kind) {
      case 'latest':
        return ofKey(step.keyHash).at(-1) satisfies StoredSession | undefined;
      case 'insert':
        this.rows.push({ id: this.rows.length + 1, session: step.session });
        return this.rows.length;
      case 'update':
        this.rows[Number(step.id) - 1] = { id: Number(step.id), session: step.session };
        return undefined;
      case 'rate': {
        const rows = ofKey(step.turn.keyHash);
        const target = rows.filter((r) => step.turn.ticketId !== undefined && r.session.ticketId === step.turn.ticketId).at(-1) ?? rows.filter((r) => r.session.endingKind === 'handoff').at(-1);
        if (target) this.rows[target.id - 1] = { id: target.id, session: { ...target.session, ticketRating: step.rating } };
        return undefined;
      }
      case 'notUnderstood':
        this.notUnderstood.push(step.message);
        return undefined;
    }
  }
}

describe("a batch of recorded turns: each conversation's session read once and written once (issue 16)", () => {
  it('records the seeded reports data exactly as turn by turn, with one read per conversation and one write per session', () => {
    const byTurn = new FakeDatabase();
    for (const t of SEEDED_TURNS) byTurn.run([t]);
    const batch = new FakeDatabase();
    batch.run(SEEDED_TURNS);
    // The same sessions; ids rise in start order within each conversation (what "latest" reads),
    // not across conversations, which nothing orders by.
    const sessions = (db: FakeDatabase) => db.rows.map((r) => r.session).sort((a, b) => (a.keyHash + a.startedAt < b.keyHash + b.startedAt ? -1 : 1));
    expect(sessions(batch)).toEqual(sessions(byTurn));
    for (const key of new Set(SEEDED_TURNS.map((t) => t.keyHash))) {
      const ofKey = batch.rows.filter((r) => r.session.keyHash === key);
      expect(ofKey.map((r) => r.session.startedAt)).toEqual(ofKey.map((r) => r.session.startedAt).sort());
    }
    expect(batch.notUnderstood).toEqual(byTurn.notUnderstood);
    const ratings = SEEDED_TURNS.filter((t) => t.fact?.rating?.about === 'ticket').length;
    expect(ratings).toBeGreaterThan(0);
    // Read again only after a ticket rating may have changed the session held.
    expect(batch.steps.filter((k) => k === 'latest').length).toBeLessThanOrEqual(new Set(SEEDED_TURNS.map((t) => t.keyHash)).size + ratings);
    expect(batch.steps.filter((k) => k === 'insert' || k === 'update').length).toBeLessThan(byTurn.steps.filter((k) => k === 'insert' || k === 'update').length);
  });

  it("a conversation's seven turns: one read and one insert, the session as the seventh turn left it", () => {
    const turns = Array.from({ length: 7 }, (_, n) => turn('K1', n, { flow: 'troubleshooting', step: `step${n}` }));
    const db = new FakeDatabase();
    db.run(turns);
    expect(db.steps).toEqual(['latest', 'insert']);
    expect(db.rows).toHaveLength(1);
    expect(db.rows[0]!.session.turns).toBe(7);
    expect(db.rows[0]!.session.path).toEqual(turns.map((t) => t.fact!.step));
  });

  it('writes a session before the next one of its conversation starts, and before a ticket rating looks it up', () => {
    const k = 'K2';
    const turns: RecordedTurn[] = [
      turn(k, 0, { flow: 'troubleshooting', step: 'mainMenu' }),
      turn(k, 1, { flow: 'troubleshooting', step: 'lockout', ending: { kind: 'handoff', reason: 'login_lockout', ticketId: 'TFA-ABCD2345' } }, { ticketId: 'TFA-ABCD2345' }),
      turn(k, 2, { flow: 'troubleshooting', step: 'mainMenu', rating: { about: 'ticket', value: 4 } }, { ticketId: 'TFA-ABCD2345' }),
      turn(k, 3, { flow: 'troubleshooting', step: 'mainMenu' }),
    ];
    const byTurn = new FakeDatabase();
    for (const t of turns) byTurn.run([t]);
    const batch = new FakeDatabase();
    batch.run(turns);
    expect(batch.rows).toEqual(byTurn.rows);
    expect(batch.rows[0]!.session.ticketRating).toBe(4);
    expect(batch.steps).toEqual(['latest', 'insert', 'rate', 'latest', 'insert']);
  });
});
