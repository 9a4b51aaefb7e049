/**
 * A seeded data set for the report tests, with the figures worked out by hand in the comments:
 * eleven sessions in the period (one more before it), two not-understood messages, eight tickets.
 * The report's "now" is NOW; ABANDON_AFTER_MINUTES is 30; VERIFICATION_SLA_HOURS is 48.
 */
import type { AnalyticsStore } from '../../src/analytics/analytics-store.js';
import type { RecordedTurn } from '../../src/analytics/conversation-session.js';
import type { TurnFact } from '../../src/conversation/turn-fact.js';
import type { Language } from '../../src/i18n/language.js';
import type { TicketRepository } from '../../src/tickets/ticket-repository.js';
import type { HistoryEntry, TicketStatus } from '../../src/tickets/ticket.js';
import { newTicket } from '../tickets/fixtures.js';
import { change } from '../tickets/repository-under-test.js';

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
export const m = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
/** 12:00: three hours after the first session. */
export const NOW = new Date(T0 + 180 * 60_000);
export const SINCE = new Date('2026-11-01T00:00:00.000Z');
/** K's first turn: 2026-10-31T09:00Z. */
export const K_MINUTE = -20 * 24 * 60;

type Who = { key: string; language: Language; channel: string };
const turn = (who: Who, minute: number, fact: TurnFact, ticketId?: string): RecordedTurn => ({
  keyHash: who.key,
  channel: who.channel,
  language: who.language,
  at: m(minute),
  fact,
  ticketId,
});
const s = (step: string, more: Partial<TurnFact> = {}): TurnFact => ({ flow: 'troubleshooting', step, ...more });

const A: Who = { key: 'A', language: 'ja', channel: 'local-webchat' };
const B: Who = { key: 'B', language: 'ja', channel: 'local-webchat' };
const C: Who = { key: 'C', language: 'en', channel: 'msteams' };
const D: Who = { key: 'D', language: 'en', channel: 'local-webchat' };
const E: Who = { key: 'E', language: 'ja', channel: 'local-webchat' };
const F: Who = { key: 'F', language: 'ja', channel: 'local-webchat' };
const G: Who = { key: 'G', language: 'ja', channel: 'msteams' };
const H: Who = { key: 'H', language: 'en', channel: 'local-webchat' };
const I: Who = { key: 'I', language: 'ja', channel: 'local-webchat' };
const J: Who = { key: 'J', language: 'ja', channel: 'local-webchat' };
const K: Who = { key: 'K', language: 'ja', channel: 'local-webchat' };

/** The personal data a customer typed into a not-understood message: no report may show it. */
export const TYPED_PHONE = '090-1234-5678';
export const TYPED_EMAIL = 'hanako.sato@example.jp';

export const SEEDED_TURNS: readonly RecordedTurn[] = [
  // A: resolved, confirmed, rated 5. Then at 160 a new session ("L"): open at NOW (20 minutes).
  turn(A, 0, s('mainMenu')),
  turn(A, 1, s('resolvedX', { ending: { kind: 'resolved' } })),
  turn(A, 2, s('resolvedX', { solved: true })),
  turn(A, 3, s('resolvedX', { rating: { value: 5, about: 'resolution' } })),
  turn(A, 160, s('mainMenu')),
  // B: resolved, confirmed, rated 3.
  turn(B, 10, s('mainMenu')),
  turn(B, 11, s('resolvedY', { ending: { kind: 'resolved' } })),
  turn(B, 12, s('resolvedY', { solved: true })),
  turn(B, 13, s('resolvedY', { rating: { value: 3, about: 'resolution' } })),
  // C: handoff (app lost, no backup), identity form, ticket TFA-CCCC3333 rated 4 later.
  turn(C, 20, s('mainMenu')),
  turn(C, 21, s('appDeletedHasBackup')),
  turn(C, 22, s('handoffAppLostNoBackup', { ending: { kind: 'handoff', reason: 'app_lost_no_backup' } })),
  turn(C, 23, { flow: 'identity', step: 'email' }, 'TFA-CCCC3333'),
  turn(C, 170, s('mainMenu', { rating: { value: 4, about: 'ticket' } }), 'TFA-CCCC3333'),
  // D: handoff on request.
  turn(D, 30, s('mainMenu')),
  turn(D, 31, s('handoffRequested', { ending: { kind: 'handoff', reason: 'customer_requested' } })),
  // E: out of scope.
  turn(E, 40, s('mainMenu')),
  turn(E, 41, s('outOfScope', { ending: { kind: 'out_of_scope' } })),
  // F and G: abandoned at codeRejected (F typed something the bot did not understand).
  turn(F, 50, s('mainMenu')),
  turn(F, 51, s('codeRejectedExpired', { notUnderstood: `電話番号は ${TYPED_PHONE} です` })),
  turn(G, 60, s('mainMenu')),
  turn(G, 61, s('codeRejectedExpired')),
  // H: a resolved ending never confirmed: abandoned at resolvedZ.
  turn(H, 70, s('mainMenu')),
  turn(H, 71, s('resolvedZ', { ending: { kind: 'resolved' } })),
  // J: "no, not solved", then silence at checkApp: abandoned there.
  turn(J, 100, s('mainMenu')),
  turn(J, 101, s('resolvedY', { ending: { kind: 'resolved' } })),
  turn(J, 102, s('checkApp', { solved: false })),
  // I: open (10 minutes since its message), and the newest not-understood message.
  turn(I, 170, s('mainMenu', { notUnderstood: `mail ${TYPED_EMAIL} please` })),
  // K: resolved on 31 October, before the period: in no figure.
  turn(K, K_MINUTE, s('mainMenu')),
  turn(K, K_MINUTE + 1, s('resolvedX', { ending: { kind: 'resolved' } })),
  turn(K, K_MINUTE + 2, s('resolvedX', { solved: true })),
];

const day = (d: number, h = 0) => `2026-11-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00.000Z`;

/**
 * Tickets (SLA 48 h): decided within it after 2, 10 and 24 hours, over it after 72 hours; two still
 * waiting (one 36 h old, one 10 days: over the SLA); one cancelled by the customer; one before the period.
 * Median of 2, 10, 24, 72 (nearest rank) = 10 h; 90th percentile = 72 h.
 */
export async function seedTickets(repo: TicketRepository): Promise<void> {
  const decide = async (createdAt: string, event: HistoryEntry['event'], to: TicketStatus, at: string, more: Parameters<typeof newTicket>[0] = {}, actor: HistoryEntry['actor'] = { kind: 'agent', id: 'agent-a' }) => {
    const { ticket } = await repo.findOrCreateOpen(newTicket({ createdAt, ...more }), null);
    if (at !== '') await repo.update(ticket.id, (c) => change(c, { status: to, history: { at, actor, event, from: c.status, to, note: null, detail: null } }));
  };
  await decide(day(5), 'identity.verified', 'verified', day(5, 10));
  await decide(day(6), 'identity.rejected', 'verification_failed', day(9));
  await decide(day(7), 'ticket.closed', 'closed', day(7, 2));
  await decide(day(19), 'identity.verified', 'verified', '');
  await decide(day(10), 'identity.verified', 'verified', '');
  await decide(day(11), 'ticket.closed', 'closed', day(11, 1), {}, { kind: 'customer', id: 'user-1' });
  await decide('2026-10-30T00:00:00.000Z', 'identity.verified', 'verified', '2026-10-30T01:00:00.000Z');
  await decide(day(12), 'identity.verified', 'verified', day(13), { language: 'en', channelId: 'msteams' });
}

export async function seedSessions(store: AnalyticsStore): Promise<void> {
  await store.record(SEEDED_TURNS);
}
