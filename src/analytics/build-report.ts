/**
 * The ReportService: the report computed from the recorded sessions (analytics-store.ts) and the
 * tickets (their waiting times), for the console, the desk API and `npm run report` alike.
 * Sessions of the period are read and counted here, in one place for both databases: a week of a
 * busy desk is some tens of thousands of small rows.
 */
import { CONVERSATION_OUTCOMES, HANDOFF_REASONS, type ConversationOutcome, type HandoffReason } from '../../flows/outcome.js';
import { LANGUAGES, type Language } from '../i18n/language.js';
import type { TicketRepository } from '../tickets/ticket-repository.js';
import type { TicketWaitingTime } from '../tickets/ticket-waiting.js';
import type { AnalyticsStore } from './analytics-store.js';
import type { ConversationSession } from './conversation-session.js';
import type { OutcomeCounts, RatingSummary, Report, ReportQuery, ReportService } from './report.js';
import { sessionOutcome } from './session-outcome.js';

/** Not-understood messages a report lists at most. */
export const NOT_UNDERSTOOD_LIMIT = 100;

export interface BuildReportDeps {
  readonly store: AnalyticsStore;
  readonly tickets: Pick<TicketRepository, 'listWaitingTimes'>;
  readonly abandonAfterMinutes: number;
  readonly verificationSlaHours: number;
  /** The report's "now" (abandonment, tickets still waiting); tests inject one. */
  readonly now?: () => Date;
}

export function buildReport(deps: BuildReportDeps): ReportService {
  const now = deps.now ?? (() => new Date());
  return {
    async report(query: ReportQuery): Promise<Report> {
      const at = now();
      const filter = {
        since: query.since.toISOString(),
        until: query.until.toISOString(),
        language: query.language,
        channel: query.channel,
      };
      const [sessions, notUnderstood, tickets] = await Promise.all([
        deps.store.sessionsStarted(filter),
        deps.store.notUnderstood(filter, NOT_UNDERSTOOD_LIMIT),
        deps.tickets.listWaitingTimes({ since: filter.since, until: filter.until, language: query.language, channelId: query.channel }),
      ]);
      const classified = sessions.map((s) => ({ session: s, outcome: sessionOutcome(s, at, deps.abandonAfterMinutes) }));
      return {
        query: {
          since: filter.since,
          until: filter.until,
          language: query.language ?? null,
          channel: query.channel ?? null,
          abandonAfterMinutes: deps.abandonAfterMinutes,
        },
        outcomes: countOutcomes(classified.map((c) => c.outcome)),
        containmentRate: containment(classified.map((c) => c.outcome)),
        handoffsByReason: handoffsByReason(classified.filter((c) => c.outcome === 'handoff').map((c) => c.session)),
        abandonmentByStep: abandonmentByStep(classified.filter((c) => c.outcome === 'abandoned').map((c) => c.session)),
        stepTraffic: stepTraffic(classified),
        notUnderstood,
        satisfaction: {
          solvedYes: sessions.filter((s) => s.solved === true).length,
          solvedNo: sessions.reduce((n, s) => n + s.notSolvedAnswers, 0),
          resolutionRating: ratingSummary(sessions.map((s) => s.resolutionRating)),
          ticketRating: ratingSummary(sessions.map((s) => s.ticketRating)),
        },
        ticketWaiting: ticketWaiting(tickets, deps.verificationSlaHours, at),
        byLanguage: Object.fromEntries(
          LANGUAGES.map((l) => [l, countOutcomes(classified.filter((c) => c.session.language === l).map((c) => c.outcome))]),
        ) as Record<Language, OutcomeCounts>,
        byChannel: Object.fromEntries(
          [...new Set(sessions.map((s) => s.channel))].sort().map((ch) => [ch, countOutcomes(classified.filter((c) => c.session.channel === ch).map((c) => c.outcome))]),
        ),
      };
    },
  };
}

export function countOutcomes(outcomes: readonly ConversationOutcome[]): OutcomeCounts {
  const counts = Object.fromEntries(CONVERSATION_OUTCOMES.map((o) => [o, 0])) as Record<ConversationOutcome, number>;
  for (const o of outcomes) counts[o] += 1;
  return counts;
}

/** resolved ÷ (resolved + handoff + out_of_scope + abandoned); open sessions are not finished. */
function containment(outcomes: readonly ConversationOutcome[]): number | null {
  const finished = outcomes.filter((o) => o !== 'open').length;
  return finished === 0 ? null : outcomes.filter((o) => o === 'resolved').length / finished;
}

function handoffsByReason(sessions: readonly ConversationSession[]): Record<HandoffReason, number> {
  const counts = Object.fromEntries(HANDOFF_REASONS.map((r) => [r, 0])) as Record<HandoffReason, number>;
  for (const s of sessions) if (s.handoffReason !== null && s.handoffReason in counts) counts[s.handoffReason] += 1;
  return counts;
}

/** A session with no step (recorded before the engine reported steps) counts under this id. */
export const UNKNOWN_STEP = 'unknown';

function byCountThenStep<T extends { step: string }>(count: (t: T) => number): (a: T, b: T) => number {
  return (a, b) => count(b) - count(a) || (a.step < b.step ? -1 : a.step > b.step ? 1 : 0);
}

function abandonmentByStep(sessions: readonly ConversationSession[]): { step: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const s of sessions) counts.set(s.lastStep ?? UNKNOWN_STEP, (counts.get(s.lastStep ?? UNKNOWN_STEP) ?? 0) + 1);
  return [...counts].map(([step, count]) => ({ step, count })).sort(byCountThenStep((a) => a.count));
}

/** Per step: sessions whose path reached it (each once), and abandoned sessions whose last step it is; most reached first. */
function stepTraffic(classified: readonly { session: ConversationSession; outcome: ConversationOutcome }[]): { step: string; reached: number; leftHere: number }[] {
  const traffic = new Map<string, { reached: number; leftHere: number }>();
  const entry = (step: string) => traffic.get(step) ?? traffic.set(step, { reached: 0, leftHere: 0 }).get(step)!;
  for (const { session, outcome } of classified) {
    // The last step counts as reached even when the path was cut at its cap.
    const steps = new Set(session.lastStep === null ? session.path : [...session.path, session.lastStep]);
    for (const step of steps) entry(step).reached += 1;
    if (outcome === 'abandoned' && session.lastStep !== null) entry(session.lastStep).leftHere += 1;
  }
  return [...traffic].map(([step, t]) => ({ step, ...t })).sort(byCountThenStep((t) => t.reached));
}

export function ratingSummary(values: readonly (number | null)[]): RatingSummary {
  const given = values.filter((v): v is number => v !== null && v >= 1 && v <= 5);
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const v of given) distribution[v - 1]! += 1;
  return { count: given.length, average: given.length === 0 ? null : round2(given.reduce((a, b) => a + b, 0) / given.length), distribution };
}

const HOUR_MS = 3_600_000;

/**
 * Tickets opened in the period against the SLA. A ticket the customer (or the system) closed before
 * any agent decision is in `opened` and in none of the other counts. Median and 90th percentile
 * (nearest rank) of the hours to the first decision, over decided tickets, to 0.01 h.
 */
function ticketWaiting(tickets: readonly TicketWaitingTime[], slaHours: number, now: Date): Report['ticketWaiting'] {
  const slaMs = slaHours * HOUR_MS;
  const decided = tickets.filter((t) => t.firstDecisionAt !== null).map((t) => Date.parse(t.firstDecisionAt!) - Date.parse(t.createdAt));
  const stillWaiting = tickets.filter((t) => t.firstDecisionAt === null && t.status === 'awaiting_verification');
  const sorted = [...decided].sort((a, b) => a - b);
  return {
    slaHours,
    opened: tickets.length,
    decidedWithinSla: decided.filter((ms) => ms <= slaMs).length,
    decidedOverSla: decided.filter((ms) => ms > slaMs).length,
    waiting: stillWaiting.length,
    waitingOverSla: stillWaiting.filter((t) => now.getTime() - Date.parse(t.createdAt) > slaMs).length,
    medianHours: nearestRank(sorted, 0.5),
    p90Hours: nearestRank(sorted, 0.9),
  };
}

function nearestRank(sortedMs: readonly number[], p: number): number | null {
  if (sortedMs.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sortedMs.length));
  return round2(sortedMs[rank - 1]! / HOUR_MS);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
