/**
 * The desk API's report route (issue 18): its query and its answer, src/analytics/report.ts
 * `Report`, as zod schemas, validated and documented in the OpenAPI document like every route's.
 */
import { z } from 'zod';
import { CONVERSATION_OUTCOMES, HANDOFF_REASONS } from '../../../flows/outcome.js';
import { LANGUAGES } from '../../i18n/language.js';
import { LangSchema } from './schemas.js';

const isoTime = z.iso.datetime({ offset: true });

/** The periods a report can be asked for: the last 24 hours, 7 or 30 days, or `since`/`until`. */
export const REPORT_PERIODS = ['24h', '7d', '30d', 'custom'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
/** A channel id as the Bot Framework writes them (`msteams`, `local-webchat`). */
export const CHANNEL_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export const ReportQuerySchema = z.object({
  period: z.enum(REPORT_PERIODS).optional().meta({ description: 'Default `7d`, or `custom` when `since` is given' }),
  since: isoTime.optional().meta({ description: 'With period=custom: conversations that started at or after this time' }),
  until: isoTime.optional().meta({ description: 'With period=custom: …and before this one (default now); at most 366 days after `since`' }),
  language: LangSchema.optional(),
  channel: z.string().regex(CHANNEL_ID).optional().meta({ description: 'A channel id, e.g. `msteams` or `local-webchat`' }),
});

const OutcomeCountsSchema = z.object(Object.fromEntries(CONVERSATION_OUTCOMES.map((o) => [o, z.number().int()])) as Record<(typeof CONVERSATION_OUTCOMES)[number], z.ZodNumber>);
const RatingSummarySchema = z.object({
  count: z.number().int(),
  average: z.number().nullable(),
  distribution: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int(), z.number().int()]).meta({ description: 'How many gave 1, 2, 3, 4 and 5' }),
});

/** src/analytics/report.ts `Report`: aggregates, step ids and redacted text only. */
export const ReportResponse = z.object({
  query: z.object({ since: isoTime, until: isoTime, language: LangSchema.nullable(), channel: z.string().nullable(), abandonAfterMinutes: z.number() }),
  outcomes: OutcomeCountsSchema,
  containmentRate: z.number().nullable().meta({ description: 'resolved ÷ (resolved + handoff + out_of_scope + abandoned)' }),
  handoffsByReason: z.object(Object.fromEntries(HANDOFF_REASONS.map((r) => [r, z.number().int()])) as Record<(typeof HANDOFF_REASONS)[number], z.ZodNumber>),
  abandonmentByStep: z.array(z.object({ step: z.string(), count: z.number().int() })),
  stepTraffic: z.array(z.object({ step: z.string(), reached: z.number().int(), leftHere: z.number().int() })),
  notUnderstood: z.array(z.object({ at: isoTime, language: LangSchema, channel: z.string(), step: z.string(), text: z.string().meta({ description: 'Redacted' }) })),
  satisfaction: z.object({ solvedYes: z.number().int(), solvedNo: z.number().int(), resolutionRating: RatingSummarySchema, ticketRating: RatingSummarySchema }),
  ticketWaiting: z.object({
    slaHours: z.number(),
    opened: z.number().int(),
    decidedWithinSla: z.number().int(),
    decidedOverSla: z.number().int(),
    waiting: z.number().int(),
    waitingOverSla: z.number().int(),
    medianHours: z.number().nullable(),
    p90Hours: z.number().nullable(),
  }),
  byLanguage: z.object(Object.fromEntries(LANGUAGES.map((l) => [l, OutcomeCountsSchema])) as Record<(typeof LANGUAGES)[number], typeof OutcomeCountsSchema>),
  byChannel: z.record(z.string(), OutcomeCountsSchema),
});
