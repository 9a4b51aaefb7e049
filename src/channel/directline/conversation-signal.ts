/**
 * What a web chat stream needs to hear: "conversation X has something new". Ids and numbers
 * only, never an activity's text: the stream reads the activities from the store, which already
 * holds them sanitised. One process (SQLite) tells its own streams in memory; several instances
 * on one PostgreSQL tell each other through LISTEN/NOTIFY (postgres-conversation-signal.ts).
 */

/** Something happened in one conversation. */
export type ConversationEvent =
  /** An activity was stored at `watermark`. */
  | { readonly kind: 'activity'; readonly conversationId: string; readonly watermark: number }
  /** The conversation was ended: its streams close (the client then learns it ended). */
  | { readonly kind: 'ended'; readonly conversationId: string };

/**
 * What a listener hears: an event, or `missed` when events may have been lost (the connection
 * carrying them dropped and came back), so every stream should look at the store again.
 */
export type ConversationSignalMessage = ConversationEvent | { readonly kind: 'missed' };

export type ConversationSignalListener = (message: ConversationSignalMessage) => void;

/** The port: publish to every instance, listen on this one. */
export interface ConversationSignal {
  /** Tells every listener of every instance (this one at once). Never throws: a lost signal is caught up by the streams' periodic check. */
  publish(event: ConversationEvent): Promise<void>;
  /** Adds a listener; returns how to remove it. */
  subscribe(listener: ConversationSignalListener): () => void;
  /** Stops listening (and releases any connection). */
  close(): Promise<void>;
}

/** Listeners of this process; what both implementations deliver to. */
export class SignalListeners {
  readonly #listeners = new Set<ConversationSignalListener>();

  add(listener: ConversationSignalListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A listener that throws must not stop the others (nor the publisher). */
  deliver(message: ConversationSignalMessage): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(message);
      } catch {
        // the listener's own business (streams catch and log their errors)
      }
    }
  }
}

/** One process: the signal never leaves memory (SQLite, tests). */
export class InProcessConversationSignal implements ConversationSignal {
  readonly #listeners = new SignalListeners();

  async publish(event: ConversationEvent): Promise<void> {
    this.#listeners.deliver(event);
  }

  subscribe(listener: ConversationSignalListener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {}
}
