/**
 * The supervisors' report: what `buildReport` computes from the recorded conversations and the
 * tickets, and what the desk console, `npm run report` and the desk API show. Aggregates, step
 * ids, ticket ids and redacted text only: no name, no customer id, no conversation id.
 */
import type { ConversationOutcome, HandoffReason } from '../../flows/outcome.js';
import type { Language } from '../i18n/language.js';

export interface ReportQuery {
  /** Conversations that started at or after this time… */
  readonly since: Date;
  /** …and before this one. */
  readonly until: Date;
  readonly language?: Language | undefined;
  /** A channel id (`msteams`, `local-webchat`, `directline`…). */
  readonly channel?: string | undefined;
}

/** How many conversations ended each way. */
export type OutcomeCounts = Readonly<Record<ConversationOutcome, number>>;

export interface StepTraffic {
  /** A troubleshooting step id (flows/troubleshooting/steps.ts) or an identity step. */
  readonly step: string;
  /** Conversations that reached the step. */
  readonly reached: number;
  /** Conversations that were abandoned there (their last step). */
  readonly leftHere: number;
}

export interface RatingSummary {
  readonly count: number;
  /** Mean of the ratings; null when there are none. */
  readonly average: number | null;
  /** How many gave 1, 2, 3, 4 and 5 (index 0 is the ones). */
  readonly distribution: readonly [number, number, number, number, number];
}

export interface Report {
  readonly query: {
    readonly since: string;
    readonly until: string;
    readonly language: Language | null;
    readonly channel: string | null;
    /** Minutes without a reply after which an unfinished conversation counts as abandoned. */
    readonly abandonAfterMinutes: number;
  };
  /** Every conversation that started in the period, by outcome. */
  readonly outcomes: OutcomeCounts;
  /** resolved ÷ (resolved + handoff + out_of_scope + abandoned); null when none finished. */
  readonly containmentRate: number | null;
  readonly handoffsByReason: Readonly<Record<HandoffReason, number>>;
  /** Abandoned conversations by the step they were left at, most first. */
  readonly abandonmentByStep: readonly { readonly step: string; readonly count: number }[];
  /** Every step any conversation reached, for colouring the tree. */
  readonly stepTraffic: readonly StepTraffic[];
  /** The latest free-text messages the bot did not understand (redacted), newest first, at most 100. */
  readonly notUnderstood: readonly {
    readonly at: string;
    readonly language: Language;
    readonly channel: string;
    readonly step: string;
    readonly text: string;
  }[];
  readonly satisfaction: {
    /** Answers to "did this solve your problem?". */
    readonly solvedYes: number;
    readonly solvedNo: number;
    readonly resolutionRating: RatingSummary;
    readonly ticketRating: RatingSummary;
  };
  /**
   * Tickets opened in the period: time from opening to the first agent decision (verified, rejected,
   * resolved, closed by an agent). A ticket the customer cancelled before any decision is in `opened`
   * only. Median and 90th percentile (nearest rank) over decided tickets, in hours to 0.01.
   */
  readonly ticketWaiting: {
    readonly slaHours: number;
    readonly opened: number;
    /** Decided within the SLA / after it / still waiting (of those, how many are already over it). */
    readonly decidedWithinSla: number;
    readonly decidedOverSla: number;
    readonly waiting: number;
    readonly waitingOverSla: number;
    readonly medianHours: number | null;
    readonly p90Hours: number | null;
  };
  readonly byLanguage: Readonly<Record<Language, OutcomeCounts>>;
  /** Channels that had conversations in the period. */
  readonly byChannel: Readonly<Record<string, OutcomeCounts>>;
}

/** Where the console, the desk API and `npm run report` get a report from (the same figures everywhere). */
export interface ReportService {
  report(query: ReportQuery): Promise<Report>;
}
