import type { ConversationSignal } from './conversation-signal.js';
import type { DirectLineStore } from './directline-store.js';

/**
 * The channel's store, telling the {@link ConversationSignal} after each stored activity and each
 * ended conversation, so that open streams (on this instance or another) read what is new at once
 * instead of at their next check. Everything else is the store's own.
 */
export function signallingStore(store: DirectLineStore, signal: ConversationSignal): DirectLineStore {
  return {
    createConversation: (input) => store.createConversation(input),
    getConversation: (id) => store.getConversation(id),
    async appendActivity(conversationId, activity) {
      const stored = await store.appendActivity(conversationId, activity);
      await signal.publish({ kind: 'activity', conversationId, watermark: stored.watermark });
      return stored;
    },
    listActivities: (conversationId, after, limit) => store.listActivities(conversationId, after, limit),
    updateActivity: (conversationId, activity) => store.updateActivity(conversationId, activity),
    deleteActivity: (conversationId, activityId) => store.deleteActivity(conversationId, activityId),
    rewriteActivities: (conversationId, needle, rewrite) => store.rewriteActivities(conversationId, needle, rewrite),
    getTokenState: (conversationId) => store.getTokenState(conversationId),
    advanceTokenGeneration: (conversationId, from, until) => store.advanceTokenGeneration(conversationId, from, until),
    async closeConversation(conversationId) {
      const closed = await store.closeConversation(conversationId);
      if (closed) await signal.publish({ kind: 'ended', conversationId });
      return closed;
    },
    deleteIdleConversations: (cutoff) => store.deleteIdleConversations(cutoff),
  };
}
