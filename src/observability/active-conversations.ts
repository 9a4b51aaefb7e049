/**
 * Conversations with a turn in the last `windowMs` in this process. A turn costs two Map
 * operations: each channel's Map is kept in order of last turn (delete, then set again), so
 * forgetting the quiet ones only walks the expired entries at the front. A cap bounds the memory
 * whatever the traffic (a flood of made-up conversation ids makes it forget the longest quiet ones first).
 */
export class ActiveConversations {
  readonly #byChannel = new Map<string, Map<string, number>>();
  readonly #windowMs: number;
  readonly #cap: number;
  #size = 0;

  constructor(options: { readonly windowMs: number; readonly cap?: number }) {
    this.#windowMs = options.windowMs;
    this.#cap = options.cap ?? 100_000;
  }

  /** A turn of `conversationId` on `channel` at `nowMs`. */
  touch(channel: string, conversationId: string, nowMs: number): void {
    let conversations = this.#byChannel.get(channel);
    if (conversations === undefined) {
      conversations = new Map();
      this.#byChannel.set(channel, conversations);
    }
    if (conversations.delete(conversationId)) this.#size--;
    conversations.set(conversationId, nowMs);
    this.#size++;
    if (this.#size > this.#cap) this.#forget(nowMs, true);
  }

  /** How many conversations had a turn in the window ending at `nowMs`. */
  count(nowMs: number): number {
    this.#forget(nowMs, false);
    return this.#size;
  }

  /** Drops the conversations quiet for longer than the window; over the cap, the oldest too. */
  #forget(nowMs: number, overCap: boolean): void {
    const oldest = nowMs - this.#windowMs;
    for (const conversations of this.#byChannel.values()) {
      for (const [id, at] of conversations) {
        if (at > oldest && !(overCap && this.#size > this.#cap)) break;
        conversations.delete(id);
        this.#size--;
      }
    }
  }
}
