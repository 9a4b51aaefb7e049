/**
 * Token retirement and ended conversations in the channel's use cases, with an injected clock
 * (the HTTP tests in test/server/directline.test.ts cover the same through the whole app).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DirectLineAdapter } from '../../src/channel/directline/directline-adapter.js';
import { DirectLineChannel, type DirectLineCaller } from '../../src/channel/directline/directline-channel.js';
import { directLineMigrations, SqliteDirectLineStore } from '../../src/channel/directline/sqlite-directline-store.js';
import { DirectLineTokenService } from '../../src/channel/directline/token-service.js';
import { AppError } from '../../src/errors.js';
import { openDatabase } from '../../src/storage/database.js';
import { codeOf } from '../helpers/app-error-code.js';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

function setup() {
  const db = openDatabase(':memory:', directLineMigrations);
  let now = 1_900_000_000_000;
  const clock = () => now;
  const store = new SqliteDirectLineStore(db, { now: () => new Date(now) });
  const tokens = new DirectLineTokenService({ secret: SECRET, ttlSeconds: 1800, now: clock });
  // These cases never run a turn: the adapter is not reached.
  const channel = new DirectLineChannel({ adapter: {} as DirectLineAdapter, store, tokens, logic: async () => {}, refreshGraceSeconds: 30, now: clock });
  return { db, store, channel, advance: (ms: number) => (now += ms) };
}

let close: (() => void) | undefined;
afterEach(() => close?.());


const bearer = (token: string) => `Bearer ${token}`;

describe('DirectLineChannel: refreshing retires the previous token', () => {
  it('keeps the old token working for the grace only, and lets only the newest token refresh', async () => {
    const { db, store, channel, advance } = setup();
    close = () => db.close();
    const { token: first, conversationId } = channel.generateToken();
    await store.createConversation({ id: conversationId, userId: 'dl_x' });
    const second = (await channel.refreshToken(await channel.authenticate(bearer(first)))).token;
    expect(second).not.toBe(first);

    // Within the grace both work (a poll already on its way with the old one is not refused).
    advance(29_000);
    expect((await channel.authenticate(bearer(first))).kind).toBe('token');
    expect((await channel.authenticate(bearer(second))).kind).toBe('token');
    // …but the old one cannot refresh again: a copy of it cannot fork the conversation.
    expect(await codeOf(channel.authenticate(bearer(first)).then((c) => channel.refreshToken(c)))).toBe('forbidden');

    advance(1_000);
    expect(await codeOf(channel.authenticate(bearer(first)))).toBe('forbidden');
    const caller = await channel.authenticate(bearer(second));
    await expect(channel.getActivities(caller, conversationId, 0)).resolves.toMatchObject({ watermark: '0' });

    // The next refresh retires the second in turn.
    const third = (await channel.refreshToken(caller)).token;
    advance(30_000);
    expect(await codeOf(channel.authenticate(bearer(second)))).toBe('forbidden');
    expect((await channel.authenticate(bearer(third))).kind).toBe('token');
  });

  it('of two refreshes of the same token, only one gets a new token', async () => {
    const { db, channel } = setup();
    close = () => db.close();
    const { token } = channel.generateToken();
    const caller = await channel.authenticate(bearer(token));
    const results = await Promise.allSettled([channel.refreshToken(caller), channel.refreshToken(caller)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((refused.reason as AppError).code).toBe('forbidden');
  });

  it('gives the secret a token of the current generation', async () => {
    const { db, store, channel, advance } = setup();
    close = () => db.close();
    const { token, conversationId } = channel.generateToken();
    await store.createConversation({ id: conversationId, userId: 'dl_x' });
    await channel.refreshToken(await channel.authenticate(bearer(token)));
    const secret: DirectLineCaller = { kind: 'secret' };
    const resumed = await channel.resumeConversation(secret, conversationId);
    advance(60_000);
    expect((await channel.authenticate(bearer(resumed.token))).kind).toBe('token');
  });
});

describe('DirectLineChannel: an ended conversation', () => {
  it('refuses every one of its tokens (current and in grace) and the secret with 404, and cannot be refreshed', async () => {
    const { db, store, channel } = setup();
    close = () => db.close();
    const { token: old, conversationId } = channel.generateToken();
    await store.createConversation({ id: conversationId, userId: 'dl_x' });
    const current = (await channel.refreshToken(await channel.authenticate(bearer(old)))).token;
    const other = channel.generateToken();
    await store.createConversation({ id: other.conversationId, userId: 'dl_y' });

    const ended = await channel.postActivity(await channel.authenticate(bearer(current)), conversationId, { type: 'endOfConversation' });
    expect(ended.id).toMatch(new RegExp(`^${conversationId}\\|`));

    for (const token of [old, current]) expect(await codeOf(channel.authenticate(bearer(token)))).toBe('not_found');
    expect(await codeOf(channel.getActivities({ kind: 'secret' }, conversationId, 0))).toBe('not_found');
    expect(await codeOf(channel.postActivity({ kind: 'secret' }, conversationId, { type: 'message', text: 'hi' }))).toBe('not_found');
    // Other conversations go on.
    expect((await channel.authenticate(bearer(other.token))).kind).toBe('token');
  });

  it('cannot be ended by another conversation’s token, nor ended if it was never started', async () => {
    const { db, store, channel } = setup();
    close = () => db.close();
    const mine = channel.generateToken();
    await store.createConversation({ id: mine.conversationId, userId: 'dl_x' });
    const theirs = channel.generateToken();
    expect(await codeOf(channel.endConversation(await channel.authenticate(bearer(theirs.token)), mine.conversationId))).toBe('forbidden');
    expect(await codeOf(channel.endConversation(await channel.authenticate(bearer(theirs.token)), theirs.conversationId))).toBe('not_found');
    expect((await channel.authenticate(bearer(mine.token))).kind).toBe('token');
    expect((await channel.authenticate(bearer(theirs.token))).kind).toBe('token');
  });
});
