/**
 * The channel's streams without HTTP, with an injected clock and fake connections: stream tickets
 * expire and are no tokens, a refresh retires its streams once the grace is over, a client that
 * stops reading is closed, a `missed` signal makes every stream read the store again.
 */
import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamSink } from '../../src/channel/directline/activity-streams.js';
import { SignalListeners, type ConversationEvent, type ConversationSignal, type ConversationSignalListener } from '../../src/channel/directline/conversation-signal.js';
import type { DirectLineAdapter } from '../../src/channel/directline/directline-adapter.js';
import { DirectLineChannel } from '../../src/channel/directline/directline-channel.js';
import { newActivityId } from '../../src/channel/directline/directline-store.js';
import { signallingStore } from '../../src/channel/directline/signalling-store.js';
import { directLineMigrations, SqliteDirectLineStore } from '../../src/channel/directline/sqlite-directline-store.js';
import { DirectLineTokenService, STREAM_TICKET_SECONDS } from '../../src/channel/directline/token-service.js';
import { openDatabase } from '../../src/storage/database.js';
import { codeOf } from '../helpers/app-error-code.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

class FakeSink implements StreamSink {
  readonly sent: { activities: { id: string; text?: string }[]; watermark: string }[] = [];
  closed: number | undefined;
  buffered = 0;
  answers = true;
  private pinged = false;
  detach: (() => void) | undefined;
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  ping(): boolean {
    if (this.pinged && !this.answers) return false;
    this.pinged = true;
    return true;
  }
  close(code: number): void {
    this.closed ??= code;
    this.detach?.();
  }
  get texts(): (string | undefined)[] {
    return this.sent.flatMap((s) => s.activities.map((a) => a.text));
  }
}

/** The in-process signal, with a way to say what PostgresConversationSignal says after listening again. */
class TestSignal implements ConversationSignal {
  readonly listeners = new SignalListeners();
  async publish(event: ConversationEvent): Promise<void> {
    this.listeners.deliver(event);
  }
  subscribe(listener: ConversationSignalListener): () => void {
    return this.listeners.add(listener);
  }
  async close(): Promise<void> {}
}

function setup() {
  const db = openDatabase(':memory:', directLineMigrations);
  let now = 1_900_000_000_000;
  const clock = () => now;
  const signal = new TestSignal();
  const raw = new SqliteDirectLineStore(db, { now: () => new Date(now) });
  const store = signallingStore(raw, signal);
  const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 1800, now: clock });
  const channel = new DirectLineChannel({
    adapter: {} as DirectLineAdapter,
    store,
    tokens,
    logic: async () => {},
    signal,
    streams: { max: 10, perConversation: 3, keepAliveSeconds: 0 },
    refreshGraceSeconds: 30,
    now: clock,
  });
  return { db, raw, store, signal, tokens, channel, advance: (ms: number) => (now += ms) };
}

let close: (() => void) | undefined;
afterEach(() => close?.());


const say = (conversationId: string, text: string) => ({ id: newActivityId(conversationId), type: 'message', text }) as Activity;
/**
 * Lets the stream's asynchronous reads run (a few turns of the event loop, no clock time): for the
 * checks that nothing more was sent. Checks that something arrives wait for it with vi.waitFor.
 */
const settle = async () => {
  for (let turn = 0; turn < 5; turn++) await new Promise((r) => setImmediate(r));
};

/** A started conversation with a token, and a stream opened on it with its ticket. */
async function openedStream(s: ReturnType<typeof setup>) {
  const { token, conversationId } = s.channel.generateToken();
  await s.store.createConversation({ id: conversationId, userId: 'dl_x' });
  const caller = await s.channel.authenticate(`Bearer ${token}`);
  const ticket = await s.channel.streamTicket(caller, conversationId);
  const { slot, generation } = await s.channel.openStream({ ticket }, conversationId);
  const sink = new FakeSink();
  sink.detach = slot.open(sink, 0, generation);
  return { token, conversationId, caller, ticket, sink };
}

describe('stream tickets', () => {
  it('open the stream for two minutes only, and are neither a token nor accepted from one', async () => {
    const s = setup();
    close = () => s.db.close();
    const { token, conversationId } = s.channel.generateToken();
    await s.store.createConversation({ id: conversationId, userId: 'dl_x' });
    const ticket = await s.channel.streamTicket(await s.channel.authenticate(`Bearer ${token}`), conversationId);
    expect(await codeOf(s.channel.authenticate(`Bearer ${ticket}`))).toBe('unauthorized');
    expect(await codeOf(s.channel.openStream({ ticket: token }, conversationId))).toBe('unauthorized');
    s.advance(STREAM_TICKET_SECONDS * 1000 - 1000);
    (await s.channel.openStream({ ticket }, conversationId)).slot.release();
    s.advance(1000);
    expect(await codeOf(s.channel.openStream({ ticket }, conversationId))).toBe('forbidden');
    expect(s.channel.openStreams()).toBe(0);
  });
});

describe('open streams', () => {
  it('send what is stored after their watermark, once, as it is stored', async () => {
    const s = setup();
    close = () => s.db.close();
    const { conversationId, sink } = await openedStream(s);
    await s.store.appendActivity(conversationId, say(conversationId, 'one'));
    await s.store.appendActivity(conversationId, say(conversationId, 'two'));
    await vi.waitFor(() => expect(sink.texts).toEqual(['one', 'two']));
    // The same signal heard again (PostgreSQL echoes it to its sender) sends nothing twice.
    await s.signal.publish({ kind: 'activity', conversationId, watermark: 2 });
    await settle();
    expect(sink.texts).toEqual(['one', 'two']);
    expect(sink.sent.at(-1)!.watermark).toBe('2');
  });

  it('close once a refresh retired their token generation and the grace is over; the new token opens again', async () => {
    const s = setup();
    close = () => s.db.close();
    const { conversationId, caller, ticket, sink } = await openedStream(s);
    const refreshed = await s.channel.refreshToken(caller);
    await s.channel.streams.tick();
    expect(sink.closed).toBeUndefined();
    s.advance(31_000);
    await s.channel.streams.tick();
    expect(sink.closed).toBe(1008);
    expect(await codeOf(s.channel.openStream({ ticket }, conversationId))).toBe('forbidden');
    const fresh = await s.channel.streamTicket(await s.channel.authenticate(`Bearer ${refreshed.token}`), conversationId);
    (await s.channel.openStream({ ticket: fresh }, conversationId)).slot.release();
  });

  it('close a client that stops reading (a megabyte waiting) or stops answering pings', async () => {
    const s = setup();
    close = () => s.db.close();
    const slow = await openedStream(s);
    slow.sink.buffered = 2 * 1024 * 1024;
    await s.store.appendActivity(slow.conversationId, say(slow.conversationId, 'lost on a slow line'));
    await vi.waitFor(() => expect(slow.sink.closed).toBe(1013));
    expect(slow.sink.texts).toEqual([]);

    const silent = await openedStream(s);
    silent.sink.answers = false;
    await s.channel.streams.tick();
    expect(silent.sink.closed).toBeUndefined();
    await s.channel.streams.tick();
    expect(silent.sink.closed).toBe(1013);
    expect(s.channel.openStreams()).toBe(0);
  });

  it('read the store again when signals may have been missed, or at the keep-alive round', async () => {
    const s = setup();
    close = () => s.db.close();
    const { conversationId, sink } = await openedStream(s);
    // Stored by another instance: no signal reached this one.
    await s.raw.appendActivity(conversationId, say(conversationId, 'from elsewhere'));
    await settle();
    expect(sink.texts).toEqual([]);
    await s.signal.publish({ kind: 'activity', conversationId: 'another-conversation-id', watermark: 9 });
    await settle();
    expect(sink.texts).toEqual([]);
    await s.channel.streams.tick();
    expect(sink.texts).toEqual(['from elsewhere']);
    await s.raw.appendActivity(conversationId, say(conversationId, 'after a dropped connection'));
    // What PostgresConversationSignal tells its listeners after listening again.
    s.signal.listeners.deliver({ kind: 'missed' });
    await vi.waitFor(() => expect(sink.texts).toEqual(['from elsewhere', 'after a dropped connection']));
  });

  it('are closed by the end of their conversation (1000) and by close() (1001), which refuses new ones', async () => {
    const s = setup();
    close = () => s.db.close();
    const a = await openedStream(s);
    const b = await openedStream(s);
    await s.store.closeConversation(a.conversationId);
    expect(a.sink.closed).toBe(1000);
    expect(b.sink.closed).toBeUndefined();
    s.channel.streams.close();
    expect(b.sink.closed).toBe(1001);
    expect(s.channel.openStreams()).toBe(0);
    expect(await codeOf(s.channel.openStream({ ticket: b.ticket }, b.conversationId))).toBe('unavailable');
  });
});
