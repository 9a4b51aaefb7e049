/** Each way a session ends, and abandonment after the configured time (the report's injected "now"). */
import { describe, expect, it } from 'vitest';
import { applyTurn, type ConversationSession, type RecordedTurn } from '../../src/analytics/conversation-session.js';
import { sessionOutcome } from '../../src/analytics/session-outcome.js';
import type { TurnFact } from '../../src/conversation/turn-fact.js';
import type { Language } from '../../src/i18n/language.js';

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A session built from facts through the same function the stores use. */
function walk(language: Language, ...facts: TurnFact[]): ConversationSession {
  let session: ConversationSession | undefined;
  facts.forEach((fact, i) => {
    const turn: RecordedTurn = { keyHash: 'k', channel: 'local-webchat', language, at: at(i).toISOString(), fact, ticketId: undefined };
    const change = applyTurn(session, turn);
    if (change.kind === 'none') return;
    expect(change.kind).toBe(i === 0 ? 'start' : 'update');
    session = change.session;
  });
  return session!;
}

const s = (step: string, more: Partial<TurnFact> = {}): TurnFact => ({ flow: 'troubleshooting', step, ...more });

describe.each(['ja', 'en'] as const)('the outcome of a session (%s)', (language) => {
  const lastTurn = (session: ConversationSession) => Date.parse(session.lastAt);
  const outcomeAfter = (session: ConversationSession, minutes: number) => sessionOutcome(session, new Date(lastTurn(session) + minutes * 60_000), 30);

  it('resolved only once the customer confirmed it solved the problem', () => {
    const shown = walk(language, s('start'), s('resolvedTimeSync', { ending: { kind: 'resolved' } }));
    expect(outcomeAfter(shown, 1)).toBe('open');
    const confirmed = walk(language, s('start'), s('resolvedTimeSync', { ending: { kind: 'resolved' } }), s('resolvedTimeSync', { solved: true }));
    expect(outcomeAfter(confirmed, 1)).toBe('resolved');
    expect(outcomeAfter(confirmed, 60 * 24)).toBe('resolved');
  });

  it('a resolved ending never confirmed is abandoned at that step once the time has passed', () => {
    const left = walk(language, s('start'), s('resolvedTimeSync', { ending: { kind: 'resolved' } }));
    expect(outcomeAfter(left, 29)).toBe('open');
    expect(outcomeAfter(left, 30)).toBe('abandoned');
    expect(left.lastStep).toBe('resolvedTimeSync');
  });

  it('"no, not solved" is not resolved: the session goes on and is abandoned where the customer then stopped', () => {
    const no = walk(language, s('start'), s('resolvedTimeSync', { ending: { kind: 'resolved' } }), s('checkApp', { solved: false }));
    expect(outcomeAfter(no, 5)).toBe('open');
    expect(outcomeAfter(no, 31)).toBe('abandoned');
    expect(no.lastStep).toBe('checkApp');
  });

  it('handoff with its reason, whatever the time since', () => {
    const handoff = walk(language, s('start'), s('handoffLockout', { ending: { kind: 'handoff', reason: 'login_lockout' } }), { flow: 'identity', step: 'email' });
    expect(outcomeAfter(handoff, 0)).toBe('handoff');
    expect(outcomeAfter(handoff, 60 * 24 * 7)).toBe('handoff');
    expect(handoff.handoffReason).toBe('login_lockout');
  });

  it('out of scope', () => {
    expect(outcomeAfter(walk(language, s('start'), s('outOfScope', { ending: { kind: 'out_of_scope' } })), 120)).toBe('out_of_scope');
  });

  it('open while the customer may still reply, abandoned after ABANDON_AFTER_MINUTES without one', () => {
    const midway = walk(language, s('start'), s('codeRejected'));
    const last = lastTurn(midway);
    expect(sessionOutcome(midway, new Date(last + 29 * 60_000 + 59_000), 30)).toBe('open');
    expect(sessionOutcome(midway, new Date(last + 30 * 60_000), 30)).toBe('abandoned');
    // The setting, not a constant: with 90 minutes the same session is still open at 60.
    expect(sessionOutcome(midway, new Date(last + 60 * 60_000), 90)).toBe('open');
  });
});
