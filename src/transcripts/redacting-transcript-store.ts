import {
  TranscriptLoggerMiddleware,
  type Activity,
  type PagedResult,
  type TranscriptInfo,
  type TranscriptStore,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from '../logger.js';
import { ActivitySanitizer, DEFAULT_TRANSCRIPT_MAX_TEXT_CHARS } from './activity-sanitizer.js';

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

  async logActivity(activity: Activity): Promise<void> {
    try {
      await this.inner.logActivity(this.sanitizer.sanitize(activity));
    } catch (err) {
      if (!this.logger) throw err;
      this.logger.warn(
        {
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
 * botbuilder's TranscriptLoggerMiddleware, except that an activity without `from` (bad input
 * from a client) is not logged instead of failing the turn: the base class writes `from.role`.
 */
class GuardedTranscriptLoggerMiddleware extends TranscriptLoggerMiddleware {
  override async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (!context.activity?.from) return next();
    return super.onTurn(context, next);
  }
}

export interface TranscriptMiddlewareOptions {
  readonly sanitizer?: ActivitySanitizer;
  readonly logger?: Logger;
}

/** The middleware that records every activity in and out of the bot, sanitised, into `store`. */
export function createTranscriptMiddleware(store: TranscriptStore, options: TranscriptMiddlewareOptions = {}): TranscriptLoggerMiddleware {
  return new GuardedTranscriptLoggerMiddleware(new RedactingTranscriptStore(store, options.sanitizer, options.logger));
}
