/**
 * The figures read from the database at scrape time cost the database one reading per cache
 * period whatever the scrape rate, and a failed reading shows as missing or unknown, never as
 * stale or zero; active conversations are those with a turn in the last 15 minutes.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { AppMetrics, type DatabaseFigures } from '../../src/observability/app-metrics.js';
import { ActiveConversations } from '../../src/observability/active-conversations.js';
import { parseMetrics, valueOf } from '../helpers/prometheus.js';

const figures = (awaiting: number, backlog: number): DatabaseFigures => ({
  tickets: { awaiting_verification: awaiting, verified: 1, verification_failed: 0, change_approved: 0, resolved: 2, closed: 3 },
  outbox: { pending: backlog, sending: 1, failed: 4 },
});

function capture(): { logs: string[]; logger: ReturnType<typeof createLogger> } {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logs, logger: createLogger('info', sink) };
}

describe('database figures at scrape time', () => {
  it('a storm of scrapes reads the database once per cache period', async () => {
    let now = 0;
    let reads = 0;
    const metrics = new AppMetrics({
      now: () => now,
      databaseCacheMs: 5_000,
      databaseFigures: async () => {
        reads++;
        return figures(reads, 10 * reads);
      },
    });
    const scrapes = await Promise.all(Array.from({ length: 50 }, () => metrics.registry.metrics()));
    expect(reads).toBe(1);
    const first = parseMetrics(scrapes[0]!);
    expect(valueOf(first, 'supportbot_tickets', { status: 'awaiting_verification' })).toBe(1);
    expect(valueOf(first, 'supportbot_tickets', { status: 'closed' })).toBe(3);
    expect(valueOf(first, 'supportbot_outbox_backlog')).toBe(11);
    expect(valueOf(first, 'supportbot_outbox_failed')).toBe(4);
    now = 4_999;
    await metrics.registry.metrics();
    expect(reads).toBe(1);
    now = 5_000;
    const later = parseMetrics(await metrics.registry.metrics());
    expect(reads).toBe(2);
    expect(valueOf(later, 'supportbot_tickets', { status: 'awaiting_verification' })).toBe(2);
    expect(valueOf(later, 'supportbot_outbox_backlog')).toBe(21);
  });

  it('a failed reading leaves tickets out and the outbox unknown (NaN), logs once, and is tried again on the next scrape', async () => {
    const { logs, logger } = capture();
    let failing = true;
    const metrics = new AppMetrics({
      logger,
      databaseCacheMs: 5_000,
      databaseFigures: async () => {
        if (failing) throw new Error('database is locked');
        return figures(7, 0);
      },
    });
    for (let i = 0; i < 3; i++) {
      const text = await metrics.registry.metrics();
      const exposition = parseMetrics(text);
      expect(exposition.samples.get('supportbot_tickets')?.metrics ?? []).toEqual([]);
      expect(valueOf(exposition, 'supportbot_outbox_backlog')).toBeNaN();
      expect(valueOf(exposition, 'supportbot_outbox_failed')).toBeNaN();
    }
    expect(logs.filter((l) => l.includes('could not read the database figures'))).toHaveLength(1);
    failing = false;
    const exposition = parseMetrics(await metrics.registry.metrics());
    expect(valueOf(exposition, 'supportbot_tickets', { status: 'awaiting_verification' })).toBe(7);
    expect(valueOf(exposition, 'supportbot_outbox_backlog')).toBe(1);
    expect(logs.filter((l) => l.includes('can be read again'))).toHaveLength(1);
  });
});

describe('active conversations', () => {
  it('counts each conversation with a turn in the last 15 minutes once, per channel, and forgets quiet ones', async () => {
    let now = 0;
    const metrics = new AppMetrics({ now: () => now });
    const active = async () => valueOf(parseMetrics(await metrics.registry.metrics()), 'supportbot_active_conversations');
    metrics.recordTurn('webchat', 'a', 0.01, false);
    metrics.recordTurn('webchat', 'a', 0.01, false);
    metrics.recordTurn('msteams', 'a', 0.01, false);
    now = 10 * 60_000;
    metrics.recordTurn('webchat', 'b', 0.01, false);
    expect(await active()).toBe(3);
    now = 15 * 60_000 + 1;
    expect(await active()).toBe(1);
    metrics.recordTurn('webchat', 'a', 0.01, false);
    expect(await active()).toBe(2);
    now = 60 * 60_000;
    expect(await active()).toBe(0);
  });

  it('keeps at most its cap, forgetting the longest quiet first', () => {
    const active = new ActiveConversations({ windowMs: 60_000, cap: 3 });
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) active.touch('webchat', id, i);
    active.touch('webchat', 'b', 10);
    active.touch('webchat', 'e', 11);
    expect(active.count(12)).toBe(3);
    active.touch('webchat', 'x', 13);
    expect(active.count(13)).toBe(3);
  });
});
