import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import { AppError } from '../errors.js';
import type { TranscriptLog } from './transcript-log.js';

/**
 * botbuilder's `TranscriptStore` over the {@link TranscriptLog} port, whatever its database: what
 * TranscriptLoggerMiddleware writes to and the Bot Framework's readers page through. Nothing of
 * its own: ids are checked and pages translated.
 */
export class TranscriptLogStore implements TranscriptStore {
  constructor(readonly log: TranscriptLog) {}

  logActivity(activity: Activity): Promise<void> {
    return this.log.append(activity);
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    const page = await this.log.read(channelId, conversationId, {
      ...(continuationToken ? { continuationToken } : {}),
      ...(startDate ? { since: startDate } : {}),
    });
    return { items: page.items as unknown as Activity[], continuationToken: page.continuationToken };
  }

  /** Conversations of a channel, oldest first (by their first activity). */
  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    if (!channelId) throw new AppError('invalid_input', 'channelId is required');
    const page = await this.log.list({ channelId, ...(continuationToken ? { continuationToken } : {}) });
    return {
      items: page.items.map((s) => ({ channelId: s.channelId, id: s.conversationId, created: s.firstActivityAt })),
      continuationToken: page.continuationToken,
    };
  }

  deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    return this.log.delete(channelId, conversationId);
  }
}
