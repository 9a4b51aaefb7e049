import {
  ActivityEventNames,
  ActivityTypes,
  RoleTypes,
  TranscriptLoggerMiddleware,
  TurnContext,
  type Activity,
  type PagedResult,
  type TranscriptInfo,
  type TranscriptStore,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { ActivitySanitizer, DEFAULT_TRANSCRIPT_MAX_TEXT_CHARS, type SanitizeOptions } from './activity-sanitizer.js';

const SECRETS_REDACTED = Symbol('incomingSecretsRedacted');

/** What the redaction middleware found while cleaning the turn's incoming activity. */
export interface RedactedIncoming {
  /**
   * Some string it cleaned (the text included) holds an e-mail address or phone number that
   * masking would change. False lets the transcript keep the activity as the middleware left it.
   */
  readonly personalData: boolean;
}

/**
 * Said by the redaction middleware (src/bot/redaction-middleware.ts) once it has cleaned the turn's
 * incoming activity in place: the transcript then masks personal data in it without running the
 * secret detectors a second time, and without walking it at all when the middleware found nothing
 * to mask. Read when the transcript middleware copies the activity, so a transcript middleware
 * placed before the redaction one never sees the mark and sanitises in full.
 */
export function markSecretsRedacted(context: TurnContext, found: RedactedIncoming = { personalData: true }): void {
  context.turnState.set(SECRETS_REDACTED, { personalData: found.personalData === true });
}

function redactedIncoming(context: TurnContext): SanitizeOptions {
  const mark = context.turnState.get(SECRETS_REDACTED) as RedactedIncoming | undefined;
  return mark ? { secretsRedacted: true, nothingToMask: !mark.personalData } : {};
}

/**
 * A TranscriptStore that sanitises every activity before the inner store sees it, so secrets and
 * personal data never reach storage whatever the inner store is (SQLite, botbuilder's memory or
 * blob stores). Reads and deletes pass through.
 *
 * A failure to log is reported through the logger (ids only) and swallowed: losing one line of a
 * transcript must not fail a customer's turn.
 */
export class RedactingTranscriptStore implements TranscriptStore {
  constructor(
    private readonly inner: TranscriptStore,
    private readonly sanitizer: ActivitySanitizer = new ActivitySanitizer({ maxTextChars: DEFAULT_TRANSCRIPT_MAX_TEXT_CHARS }),
    private readonly logger?: Logger,
  ) {}

  logActivity(activity: Activity): Promise<void> {
    return this.record(activity, {});
  }

  /** {@link logActivity}, with the ids of the turn it belongs to on the failure's log line. */
  async record(activity: Activity, ids: Readonly<Record<string, string>>, options?: SanitizeOptions): Promise<void> {
    try {
      await this.inner.logActivity(this.sanitizer.sanitize(activity, undefined, options));
    } catch (err) {
      if (!this.logger) throw err;
      this.logger.warn(
        {
          ...ids,
          err: { name: (err as Error).name, message: (err as Error).message },
          channel: activity?.channelId,
          conversation: activity?.conversation?.id,
          activityType: activity?.type,
        },
        'could not log a transcript activity',
      );
    }
  }

  getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    return this.inner.getTranscriptActivities(channelId, conversationId, continuationToken, startDate);
  }

  listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    return this.inner.listTranscripts(channelId, continuationToken);
  }

  deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    return this.inner.deleteTranscript(channelId, conversationId);
  }
}

/**
 * botbuilder's TranscriptLoggerMiddleware (its subclass, so it is found as one), with its onTurn
 * written out: the same activities in the same order (the incoming one, then each sent, updated or
 * deleted one, written when the turn ends; a failed turn writes none, as botbuilder does), plus
 * - an activity without `from` (bad input from a client) is not logged instead of failing the
 *   turn (the base class writes `from.role`);
 * - a failed write's log line carries the turn's ids (`turnLogFields`);
 * - each activity goes straight to the redacting store, without the base class's extra promise per
 *   activity.
 */
class TurnTranscriptMiddleware extends TranscriptLoggerMiddleware {
  constructor(
    private readonly store: RedactingTranscriptStore,
    private readonly turnLogFields: (context: TurnContext) => Readonly<Record<string, string>>,
  ) {
    super(store);
  }

  override async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const incoming = context.activity;
    if (!incoming?.from) return next();
    if (!incoming.from.role) incoming.from.role = RoleTypes.User;
    const queue: Partial<Activity>[] = [];
    enqueue(queue, { ...incoming });
    // The copy above is what the redaction middleware left, if it ran before this one (see
    // markSecretsRedacted). It is shallow: the bot must not write into the incoming activity's
    // value, channelData or entities, which the transcript would then store masked only (nothing does).
    const incomingOptions = redactedIncoming(context);
    const first = queue[0];
    context.onSendActivities(async (_ctx, activities, sendNext) => {
      const responses = await sendNext();
      activities.forEach((activity, index) => {
        // Channels that answer without an id (expectReplies always does): a generated one, as
        // botbuilder does (botbuilder-js#1122), but a UUID rather than its `g_<random><epoch ms>`:
        // the sanitiser keeps a UUID at a glance, where thirteen digits of time in every reply's id
        // sent each one through all the secret detectors (src/privacy/protocol-fields.ts).
        // The id and time are written into the copy as it is made (the same fields in the same
        // order as setting them after): added one by one to replies of ever new shapes, they missed
        // V8's property caches every time (about 1.5 % of a turn).
        const id = (responses?.[index]?.id ?? activity.id) || randomUUID();
        enqueue(queue, { ...activity, id, timestamp: activity.timestamp ?? new Date() });
      });
      return responses;
    });
    context.onUpdateActivity(async (_ctx, activity, updateNext) => {
      const response = await updateNext();
      enqueue(queue, { ...activity, type: ActivityTypes.MessageUpdate });
      return response;
    });
    context.onDeleteActivity(async (_ctx, reference, deleteNext) => {
      await deleteNext();
      enqueue(queue, { ...TurnContext.applyConversationReference({ type: ActivityTypes.MessageDelete, id: reference.activityId }, reference, false) });
    });
    await next();
    const ids = this.turnLogFields(context);
    // Not awaited, as botbuilder does not: the writes are batched and a failure is logged.
    for (const activity of queue) void this.store.record(activity as Activity, ids, activity === first ? incomingOptions : undefined);
  }
}

/** botbuilder's rules for a captured activity: stamped now when it has no time; a skill's ContinueConversation event is not logged. */
function enqueue(queue: Partial<Activity>[], activity: Partial<Activity>): void {
  activity.timestamp ??= new Date();
  if (activity.type === ActivityTypes.Event && activity.name === ActivityEventNames.ContinueConversation) return;
  queue.push(activity);
}

export interface TranscriptMiddlewareOptions {
  readonly sanitizer?: ActivitySanitizer;
  readonly logger?: Logger;
  /** The turn's ids for the log line of a failed write (the composition root knows where they are). */
  readonly turnLogFields?: (context: TurnContext) => Readonly<Record<string, string>>;
}

/** The middleware that records every activity in and out of the bot, sanitised, into `store`. */
export function createTranscriptMiddleware(store: TranscriptStore, options: TranscriptMiddlewareOptions = {}): TranscriptLoggerMiddleware {
  return new TurnTranscriptMiddleware(new RedactingTranscriptStore(store, options.sanitizer, options.logger), options.turnLogFields ?? (() => ({})));
}
