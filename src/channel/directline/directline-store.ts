import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';

/** One local Direct Line conversation: who it belongs to and where its activity stream is. */
export interface DirectLineConversation {
  readonly id: string;
  /** The user id bound into this conversation's tokens (`dl_…`). */
  readonly userId: string;
  /** The locale the client gave when starting, if any (e.g. `ja-JP`). */
  readonly locale: string | undefined;
  readonly createdAt: string;
  /** Watermark of the newest activity; 0 for an empty conversation. */
  readonly lastWatermark: number;
}

/** A page of a conversation's activity stream. */
export interface ActivityPage {
  readonly activities: Activity[];
  /** Watermark of the last activity in `activities`, or the one asked from when there is nothing new. */
  readonly watermark: number;
}

/**
 * Which of a conversation's tokens still work. Tokens exist before their conversation is started,
 * so this is kept apart from {@link DirectLineConversation}; a conversation with nothing stored is
 * at generation 0 and open.
 */
export interface TokenState {
  /** Tokens of this generation work; older ones are retired. */
  readonly generation: number;
  /** Until when tokens of `generation - 1` still work (requests already on their way at a refresh). */
  readonly previousValidUntil: Date | undefined;
  /** When the conversation was ended (`endOfConversation`): none of its tokens work any more. */
  readonly closedAt: string | undefined;
}

/**
 * Conversations and activities of the local Direct Line channel. Every activity gets a
 * per-conversation watermark (1, 2, 3…) in arrival order; clients poll "everything after N".
 * Implementations must be durable: conversations continue after a restart.
 */
export interface DirectLineStore {
  /** Creates the conversation unless it exists; `created` says which. */
  createConversation(input: { id: string; userId: string; locale?: string | undefined }): Promise<{ created: boolean; conversation: DirectLineConversation }>;
  getConversation(id: string): Promise<DirectLineConversation | undefined>;
  /**
   * Appends an activity (which carries its id) at the next watermark, atomically.
   * @throws AppError `not_found` for an unknown conversation, `conflict` when the conversation is full.
   */
  appendActivity(conversationId: string, activity: Activity): Promise<{ id: string; watermark: number }>;
  /** Activities with a watermark greater than `after`, oldest first, at most `limit`. */
  listActivities(conversationId: string, after: number, limit: number): Promise<ActivityPage>;
  /** Replaces a stored activity (same id, same place in the stream); false if there is none. */
  updateActivity(conversationId: string, activity: Activity): Promise<boolean>;
  /** Removes one activity; false if there is none. */
  deleteActivity(conversationId: string, activityId: string): Promise<boolean>;
  /**
   * Rewrites stored activities whose JSON contains `needle`: `rewrite` returns the replacement, or
   * undefined to keep one as it is. Returns how many changed. Used to scrub personal data from
   * history once it is no longer needed for display.
   */
  rewriteActivities(conversationId: string, needle: string, rewrite: (activity: Activity) => Activity | undefined): Promise<number>;
  /** The conversation's token state; generation 0 and open when nothing is stored. */
  getTokenState(conversationId: string): Promise<TokenState>;
  /**
   * Moves the conversation's tokens from generation `from` to `from + 1`, atomically, keeping
   * generation `from` working until `previousValidUntil`. Returns the new generation, or
   * undefined when the conversation is no longer at `from` (another refresh came first) or is closed.
   */
  advanceTokenGeneration(conversationId: string, from: number, previousValidUntil: Date): Promise<number | undefined>;
  /** Ends the conversation for its clients: no token of it works any more. False if it was already closed. */
  closeConversation(conversationId: string): Promise<boolean>;
  /**
   * Deletes conversations (with their activities) with no activity since `cutoff`, and token
   * states untouched since then (their tokens expired long before); returns how many conversations.
   */
  deleteIdleConversations(cutoff: Date): Promise<number>;
}

/**
 * A new activity id in Direct Line's `conversationId|suffix` form. Assigned before a turn
 * runs (so replies can point at it with `replyToId`), hence random rather than the watermark.
 */
export function newActivityId(conversationId: string): string {
  return `${conversationId}|${randomBytes(8).toString('hex')}`;
}
