/**
 * What every AnalyticsStore must do, whatever database holds it: turns applied in order to their
 * conversation's sessions (a new session after an ending, the answers and ratings that belong to
 * the ending kept on it), ticket ratings attached to the session that opened the ticket, the
 * not-understood messages cleaned and capped, filters by period, language and channel, retention.
 * Run by each implementation's test with a factory giving an empty store.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyticsStore } from '../../src/analytics/analytics-store.js';
import { MAX_NOT_UNDERSTOOD_CHARS, MAX_PATH_STEPS, type ConversationSession, type RecordedTurn } from '../../src/analytics/conversation-session.js';
import type { TurnFact } from '../../src/conversation/turn-fact.js';
import { SEEDED_TURNS } from './report-data.js';

const T0 = Date.parse('2026-11-20T09:00:00.000Z');
export const minute = (n: number): string => new Date(T0 + n * 60_000).toISOString();

export function turn(keyHash: string, n: number, fact: TurnFact | undefined, overrides: Partial<RecordedTurn> = {}): RecordedTurn {
  return { keyHash, channel: 'local-webchat', language: 'ja', at: minute(n), fact, ticketId: undefined, ...overrides };
}

const step = (s: string, more: Partial<TurnFact> = {}): TurnFact => ({ flow: 'troubleshooting', step: s, ...more });
const period = { since: minute(-60), until: minute(24 * 60) };

export function analyticsStoreContract(name: string, make: () => AnalyticsStore | Promise<AnalyticsStore>): void {
  describe(`AnalyticsStore contract: ${name}`, () => {
    it('keeps one session per run of a conversation, with its path, last step and language', async () => {
      const store = await make();
      await store.record([turn('k1', 0, step('start')), turn('k1', 1, step('appLost')), turn('k1', 2, step('appLost'), { language: 'en' })]);
      await store.record([turn('k1', 3, step('backupCodes'), { language: 'en' })]);
      expect(await store.sessionsStarted(period)).toEqual([
        {
          keyHash: 'k1',
          channel: 'local-webchat',
          language: 'en',
          startedAt: minute(0),
          lastAt: minute(3),
          turns: 4,
          path: ['start', 'appLost', 'backupCodes'],
          lastStep: 'backupCodes',
          endingKind: null,
          handoffReason: null,
          ticketId: null,
          solved: null,
          notSolvedAnswers: 0,
          resolutionRating: null,
          ticketRating: null,
        },
      ]);
    });

    it('ends a session at an ending; a new message starts the next one, the answer and rating of the ending do not', async () => {
      const store = await make();
      await store.record([
        turn('k1', 0, step('start')),
        turn('k1', 1, step('resolvedTimeSync', { ending: { kind: 'resolved' } })),
        turn('k1', 2, step('resolvedTimeSync', { solved: true })),
        turn('k1', 3, step('resolvedTimeSync', { rating: { value: 4, about: 'resolution' } })),
        turn('k1', 10, step('start')),
        turn('k1', 11, step('outOfScope', { ending: { kind: 'out_of_scope' } })),
      ]);
      const sessions = await store.sessionsStarted(period);
      expect(sessions.map((s) => [s.startedAt, s.lastAt, s.endingKind, s.solved, s.resolutionRating, s.path])).toEqual([
        [minute(0), minute(3), 'resolved', true, 4, ['start', 'resolvedTimeSync']],
        [minute(10), minute(11), 'out_of_scope', null, null, ['start', 'outOfScope']],
      ]);
    });

    it('"no, not solved" goes on in the same session; the next resolved ending asks again', async () => {
      const store = await make();
      await store.record([
        turn('k1', 0, step('codeRejected')),
        turn('k1', 1, step('resolvedTimeSync', { ending: { kind: 'resolved' } })),
        turn('k1', 2, step('checkApp', { solved: false })),
        turn('k1', 3, step('resolvedReinstall', { ending: { kind: 'resolved' } })),
      ]);
      const [session, ...others] = await store.sessionsStarted(period);
      expect(others).toEqual([]);
      expect(session).toMatchObject({ endingKind: 'resolved', solved: null, notSolvedAnswers: 1, lastStep: 'resolvedReinstall', turns: 4 });
    });

    it('keeps the identity procedure after a handoff in the handoff session, with its reason and ticket', async () => {
      const store = await make();
      await store.record([
        turn('k1', 0, step('phoneLost')),
        turn('k1', 1, step('handoffPhoneLost', { ending: { kind: 'handoff', reason: 'phone_lost_no_backup' } })),
        turn('k1', 2, { flow: 'identity', step: 'email' }),
        turn('k1', 3, { flow: 'identity', step: 'submitted' }, { ticketId: 'TFA-AAAA1111' }),
      ]);
      const sessions = await store.sessionsStarted(period);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ endingKind: 'handoff', handoffReason: 'phone_lost_no_backup', ticketId: 'TFA-AAAA1111', lastStep: 'submitted' });
      expect(sessions[0]!.path).toEqual(['phoneLost', 'handoffPhoneLost', 'email', 'submitted']);
    });

    it('attaches a later ticket rating to the session that opened the ticket, else the latest handoff', async () => {
      const store = await make();
      await store.record([
        turn('k1', 0, step('a', { ending: { kind: 'handoff', reason: 'login_lockout', ticketId: 'TFA-AAAA1111' } })),
        turn('k1', 5, step('b', { ending: { kind: 'handoff', reason: 'customer_requested', ticketId: 'TFA-BBBB2222' } })),
        turn('k1', 9, step('start')),
        turn('k1', 60, step('start', { rating: { value: 2, about: 'ticket' } }), { ticketId: 'TFA-AAAA1111' }),
        turn('k2', 0, step('c', { ending: { kind: 'handoff', reason: 'login_lockout' } })),
        turn('k2', 1, step('start')),
        turn('k2', 60, step('start', { rating: { value: 5, about: 'ticket' } })),
        // No handoff in this conversation: the rating has nothing to attach to and changes nothing.
        turn('k3', 0, step('start')),
        turn('k3', 60, step('start', { rating: { value: 1, about: 'ticket' } })),
      ]);
      const sessions = await store.sessionsStarted(period);
      const of = (key: string) => sessions.filter((s) => s.keyHash === key).map((s) => [s.ticketId, s.ticketRating, s.lastAt]);
      expect(of('k1')).toEqual([
        ['TFA-AAAA1111', 2, minute(0)],
        ['TFA-BBBB2222', null, minute(5)],
        [null, null, minute(9)],
      ]);
      expect(of('k2')).toEqual([
        [null, 5, minute(0)],
        [null, null, minute(1)],
      ]);
      expect(of('k3')).toEqual([[null, null, minute(0)]]);
    });

    it('caps the path and still keeps the last step', async () => {
      const store = await make();
      await store.record(Array.from({ length: MAX_PATH_STEPS + 20 }, (_, i) => turn('k1', i, step(`s${i}`))));
      const [session] = await store.sessionsStarted(period);
      expect(session!.path).toHaveLength(MAX_PATH_STEPS);
      expect(session!.lastStep).toBe(`s${MAX_PATH_STEPS + 19}`);
    });

    it('stores not-understood messages redacted, masked and capped, newest first, filtered', async () => {
      const store = await make();
      await store.record([
        turn('k1', 0, step('start', { notUnderstood: 'コードは 123456 です、メールは taro.yamada@example.com' })),
        turn('k1', 1, step('start', { notUnderstood: 'よく分かりません、'.repeat(300) })),
        turn('k2', 2, step('menu', { notUnderstood: 'what is this' }), { language: 'en', channel: 'msteams' }),
        turn('k2', 3, step('menu', { notUnderstood: '   ' }), { language: 'en', channel: 'msteams' }),
      ]);
      const all = await store.notUnderstood(period, 10);
      expect(all.map((m) => [m.at, m.language, m.channel, m.step])).toEqual([
        [minute(2), 'en', 'msteams', 'menu'],
        [minute(1), 'ja', 'local-webchat', 'start'],
        [minute(0), 'ja', 'local-webchat', 'start'],
      ]);
      expect(all[0]!.text).toBe('what is this');
      expect(all[1]!.text).toHaveLength(MAX_NOT_UNDERSTOOD_CHARS);
      expect(all[2]!.text).not.toContain('123456');
      expect(all[2]!.text).not.toContain('taro.yamada@example.com');
      expect(await store.notUnderstood(period, 1)).toHaveLength(1);
      expect((await store.notUnderstood({ ...period, language: 'en' }, 10)).map((m) => m.text)).toEqual(['what is this']);
      expect(await store.notUnderstood({ ...period, channel: 'msteams', language: 'ja' }, 10)).toEqual([]);
      expect(await store.notUnderstood({ since: minute(1), until: minute(2) }, 10)).toHaveLength(1);
    });

    it('deletes not-understood messages older than the retention', async () => {
      const store = await make();
      await store.record([turn('k1', 0, step('start', { notUnderstood: 'old' })), turn('k1', 100, step('start', { notUnderstood: 'new' }))]);
      expect(await store.purgeNotUnderstood(new Date(minute(50)))).toBe(1);
      expect((await store.notUnderstood(period, 10)).map((m) => m.text)).toEqual(['new']);
    });

    it('filters sessions by start time, language and channel', async () => {
      const store = await make();
      await store.record([
        turn('a', 0, step('start')),
        turn('b', 10, step('start'), { language: 'en' }),
        turn('c', 20, step('start'), { channel: 'msteams' }),
        // Started before the period: not in it, however late it went on.
        turn('d', -120, step('start')),
        turn('d', 30, step('next')),
      ]);
      const keys = async (filter: Partial<{ since: string; until: string; language: 'ja' | 'en'; channel: string }>) =>
        (await store.sessionsStarted({ ...period, ...filter })).map((s) => s.keyHash);
      expect(await keys({})).toEqual(['a', 'b', 'c']);
      expect(await keys({ language: 'en' })).toEqual(['b']);
      expect(await keys({ channel: 'msteams' })).toEqual(['c']);
      expect(await keys({ since: minute(10), until: minute(20) })).toEqual(['b']);
      expect(await keys({ language: 'en', channel: 'msteams' })).toEqual([]);
    });

    it('records a batch of interleaved conversations exactly as the same turns recorded one by one (issue 16)', async () => {
      // The reports' data set, its conversations interleaved by time as a real batch is, plus
      // turns after a ticket rating that change the rated handoff session again.
      const turns = [
        ...SEEDED_TURNS,
        turn('C', 200, { flow: 'identity', step: 'email' }, { keyHash: SEEDED_TURNS.find((t) => t.ticketId === 'TFA-CCCC3333')!.keyHash, ticketId: 'TFA-CCCC3333' }),
      ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const rated = turns.findIndex((t) => t.fact?.rating?.about === 'ticket');
      expect(rated).toBeGreaterThan(-1);
      expect(turns.slice(rated + 1).some((t) => t.keyHash === turns[rated]!.keyHash)).toBe(true);
      const batch = await make();
      await batch.record(turns);
      const oneByOne = await make();
      for (const t of turns) await oneByOne.record([t]);
      const all = { since: minute(-60 * 24 * 60), until: minute(60 * 24 * 60) };
      const byKeyAndStart = (sessions: readonly ConversationSession[]) => [...sessions].sort((a, b) => (a.keyHash + a.startedAt < b.keyHash + b.startedAt ? -1 : 1));
      const recorded = byKeyAndStart(await batch.sessionsStarted(all));
      expect(recorded).toEqual(byKeyAndStart(await oneByOne.sessionsStarted(all)));
      expect(recorded.some((s) => s.ticketRating === 4 && s.lastAt === minute(200))).toBe(true);
      expect(await batch.notUnderstood(all, 100)).toEqual(await oneByOne.notUnderstood(all, 100));
    });

    it('records a turn without facts (an engine that reports none) as a session without steps', async () => {
      const store = await make();
      await store.record([turn('k1', 0, undefined), turn('k1', 1, undefined)]);
      expect(await store.sessionsStarted(period)).toEqual([expect.objectContaining({ turns: 2, path: [], lastStep: null, endingKind: null })]);
      await store.record([]);
    });
  });
}
