/**
 * The transcript middleware writes out botbuilder's TranscriptLoggerMiddleware (src/transcripts/
 * redacting-transcript-store.ts): what QA replays and the desk reads must be what botbuilder's own
 * middleware would have recorded (same activities, order, ids, update and delete records), and a
 * failed write is logged with the turn's ids instead of failing the customer's turn.
 */
import { ActivityTypes, MemoryTranscriptStore, TestAdapter, TranscriptLoggerMiddleware, type Activity, type TranscriptStore, type TurnContext } from 'botbuilder';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { ActivitySanitizer } from '../../src/transcripts/activity-sanitizer.js';
import { createTranscriptMiddleware, RedactingTranscriptStore } from '../../src/transcripts/index.js';

/** A turn that answers twice, edits its first answer and deletes the second (what Teams allows). */
async function busyTurn(context: TurnContext): Promise<void> {
  if (context.activity.type !== ActivityTypes.Message) return;
  const first = await context.sendActivity(`echo: ${context.activity.text}`);
  const second = await context.sendActivity({ type: ActivityTypes.Message, text: 'second', timestamp: new Date('2026-11-30T00:00:00Z') });
  await context.updateActivity({ id: first?.id, type: ActivityTypes.Message, text: 'edited', conversation: context.activity.conversation });
  await context.deleteActivity(second?.id ?? 'none');
}

/**
 * What a store holds, comparable across two runs: the time left out, and each id (TestAdapter
 * makes random ones) replaced by the order in which it first appears, so that which activity
 * refers to which (a reply to its message, an edit to its answer) still has to match.
 */
async function recorded(store: TranscriptStore, conversationId: string): Promise<unknown[]> {
  const page = await store.getTranscriptActivities('test', conversationId);
  const labels = new Map<string, string>();
  const label = (id: string | undefined) => (id === undefined ? undefined : id.startsWith('g_') ? 'g_…' : labels.get(id) ?? (labels.set(id, `#${labels.size}`), labels.get(id)));
  return page.items.map((a) => ({ type: a.type, text: a.text, role: a.from?.role, id: label(a.id), replyToId: label(a.replyToId), hasTime: a.timestamp !== undefined }));
}

async function run(middleware: TranscriptLoggerMiddleware, conversationId: string): Promise<void> {
  const adapter = new TestAdapter(busyTurn, { conversation: { id: conversationId } as Activity['conversation'] });
  adapter.use(middleware);
  await adapter.receiveActivity('hello');
  await adapter.receiveActivity('again');
  // The second answer was deleted and the first edited: what the conversation shows now.
  expect(adapter.activeQueue.map((a) => a.text)).toEqual(['edited', 'edited']);
  // The writes are not awaited by either middleware: each test waits for what it expects to land.
}

/** Waits until the store holds `count` activities of the conversation (the writes are not awaited). */
async function landed(store: TranscriptStore, conversationId: string, count: number): Promise<void> {
  const stored = async () => (await store.getTranscriptActivities('test', conversationId)).items;
  await vi.waitFor(async () => expect(await stored()).toHaveLength(count));
  // And no more than that: a turn of the event loop for a late extra write, then the count again.
  await new Promise((resolve) => setImmediate(resolve));
  expect(await stored()).toHaveLength(count);
}

describe('the transcript middleware', () => {
  it("records the same activities, in the same order and with the same ids, as botbuilder's own middleware", async () => {
    const ours = new MemoryTranscriptStore();
    const theirs = new MemoryTranscriptStore();
    await run(createTranscriptMiddleware(ours, { sanitizer: new ActivitySanitizer({ maskPersonalData: false }) }), 'conv-ours');
    await run(new TranscriptLoggerMiddleware(new RedactingTranscriptStore(theirs, new ActivitySanitizer({ maskPersonalData: false }))), 'conv-theirs');
    await landed(theirs, 'conv-theirs', 10);
    await landed(ours, 'conv-ours', 10);
    const expected = await recorded(theirs, 'conv-theirs');
    // Per turn: the customer's message, two answers, the edit and the deletion (the memory store
    // returns them by timestamp, so the answer stamped in the past comes first).
    const types = expected.map((a) => (a as { type: string }).type).sort();
    expect(types).toEqual(['message', 'message', 'message', 'message', 'message', 'message', 'messageDelete', 'messageDelete', 'messageUpdate', 'messageUpdate']);
    expect(await recorded(ours, 'conv-ours')).toEqual(expected);
  });

  it("a failed write is logged with the turn's ids and does not fail the turn", async () => {
    const failing: TranscriptStore = {
      logActivity: () => Promise.reject(new Error('disk full')),
      getTranscriptActivities: () => Promise.reject(new Error('unused')),
      listTranscripts: () => Promise.reject(new Error('unused')),
      deleteTranscript: () => Promise.reject(new Error('unused')),
    };
    const warn = vi.fn();
    const logger = { warn } as unknown as Logger;
    const middleware = createTranscriptMiddleware(failing, { logger, turnLogFields: () => ({ turn: 'turn-1', ticket: 'TFA-ABCDEFGH' }) });
    await run(middleware, 'conv-failing');
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(10));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledTimes(10);
    for (const [fields, message] of warn.mock.calls) {
      expect(message).toBe('could not log a transcript activity');
      expect(fields).toMatchObject({ turn: 'turn-1', ticket: 'TFA-ABCDEFGH', conversation: 'conv-failing', err: { message: 'disk full' } });
    }
  });

  it('an activity without `from` (a bad client) is not recorded, and its turn still runs', async () => {
    const store = new MemoryTranscriptStore();
    const adapter = new TestAdapter(async (context) => {
      await context.sendActivity('still here');
    });
    // TestAdapter fills `from` in from its template: take it out as a bad client would leave it.
    adapter.use({ onTurn: async (context, next) => { delete (context.activity as Partial<Activity>).from; await next(); } });
    adapter.use(createTranscriptMiddleware(store));
    await adapter.send('hi').assertReply('still here');
    // Nothing to wait for when nothing is written: a turn of the event loop lets any write that
    // was (wrongly) started land before the check.
    await new Promise((resolve) => setImmediate(resolve));
    expect((await store.listTranscripts('test')).items).toEqual([]);
  });
});
