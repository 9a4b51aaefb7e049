import type { Activity } from 'botbuilder';
import { AppError } from '../errors.js';
import type { SqliteTranscriptStore } from './sqlite-transcript-store.js';
import { listAllConversations, readWholeConversation, type TranscriptLog } from './transcript-log.js';

export interface ExportedTranscript {
  readonly channelId: string;
  readonly conversationId: string;
  /** In the order they were logged, already sanitised; ready for {@link serializeTranscript}. */
  readonly activities: Activity[];
}

/**
 * One stored conversation, for a .transcript file. Conversation ids are unique per channel
 * only: without `channelId`, an id found in several channels is refused with their names.
 */
export async function exportTranscript(
  store: SqliteTranscriptStore | TranscriptLog,
  conversationId: string,
  channelId?: string,
): Promise<ExportedTranscript> {
  const log: TranscriptLog = 'log' in store ? store.log : store;
  const channels = (await listAllConversations(log, { conversationId })).map((s) => s.channelId).sort();
  const channel = channelId ?? channels[0];
  if (!channel || (channelId !== undefined && !channels.includes(channelId))) {
    throw new AppError('not_found', `no transcript for conversation ${conversationId}${channelId ? ` in channel ${channelId}` : ''}`);
  }
  if (channelId === undefined && channels.length > 1) {
    throw new AppError('invalid_input', `conversation ${conversationId} exists in several channels (${channels.join(', ')}): choose one with --channel`, {
      channels,
    });
  }
  return { channelId: channel, conversationId, activities: (await readWholeConversation(log, channel, conversationId)) as unknown as Activity[] };
}
