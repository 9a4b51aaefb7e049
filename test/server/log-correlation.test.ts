/**
 * Structured logs carry a correlation id per turn and per desk request, and the ticket id once
 * there is one, never what the customer wrote: a customer walks to a ticket over /api/messages
 * while every log line is captured at debug level. The same walk moves the handoff and ticket
 * figures of /metrics.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { BotFrameworkCustomer, FakeConnector, startApp, type RunningApp } from '../e2e/support/running-app.js';
import { HANDOFF_ROUTES, IDENTITY } from '../e2e/support/scenarios.js';
import { walkToTicket } from '../e2e/support/walk-to-ticket.js';
import { parseMetrics, valueOf } from '../helpers/prometheus.js';

type Line = Record<string, unknown> & { msg?: string; turn?: string; ticket?: string; request?: string };

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
const parsed = (from = 0): Line[] => lines.slice(from).map((l) => JSON.parse(l) as Line);

const connector = new FakeConnector();
let running: RunningApp;

beforeAll(async () => {
  await connector.start();
  running = await startApp({ LOG_LEVEL: 'debug' }, createLogger('debug', sink));
});
afterAll(async () => {
  await running.stop();
  await connector.stop();
});

describe('log lines of a turn that opens a ticket', () => {
  it('all carry the same turn id (another than the previous turn), the ticket id once known, and none the customer\'s words', async () => {
    const t = running.app.localizer.forLanguage('en');
    const customer = new BotFrameworkCustomer(running.baseUrl, connector, 'en', { channelId: 'webchat', userId: 'log-customer', conversationId: 'log-conv' });
    // Every turn but the last one, as walkToTicket takes them; then the card that opens the ticket.
    const walked = lines.length;
    const { id } = await walkToTicket(customer, t, 'en', 'app_lost_no_backup');
    // What the last turn (the card) wrote: from the line of its turn id on.
    const all = parsed(walked);
    const ticketLine = all.find((l) => l.msg === 'handoff ticket');
    expect(ticketLine, JSON.stringify(all)).toBeDefined();
    const turnId = ticketLine!.turn;
    expect(turnId).toMatch(/^[0-9a-f-]{36}$/);
    const lastTurn = all.filter((l) => l.turn === turnId);
    const firstOfTurn = all.indexOf(lastTurn[0]!);
    // Nothing of this app was written from that turn's first line on without its id.
    expect(all.slice(firstOfTurn).filter((l) => l.turn !== turnId)).toEqual([]);
    expect(lastTurn.length).toBeGreaterThanOrEqual(2);
    expect(ticketLine!.ticket).toBe(id);
    // After the ticket was opened, every line of the turn names it.
    expect(lastTurn.slice(lastTurn.indexOf(ticketLine!)).every((l) => l.ticket === id)).toBe(true);
    // Earlier turns had ids of their own.
    const earlier = new Set(all.slice(0, firstOfTurn).map((l) => l.turn).filter(Boolean));
    expect(earlier.size).toBeGreaterThanOrEqual(HANDOFF_ROUTES.app_lost_no_backup.options.length);
    expect(earlier.has(turnId)).toBe(false);

    const written = lines.slice(walked).join('\n');
    const typed = IDENTITY.en.typed;
    for (const words of [typed.description, typed.email, typed.fullName, typed.dateOfBirth, ...HANDOFF_ROUTES.app_lost_no_backup.options.map((o) => t(`options:${o}.label`))]) {
      expect(written).not.toContain(words);
    }
  });

  it('the walk moved the handoff counter of its reason and the tickets gauge (read from the database)', async () => {
    const exposition = parseMetrics(await running.app.metrics.metrics());
    expect(valueOf(exposition, 'supportbot_handoffs_total', { reason: 'app_lost_no_backup' })).toBe(1);
    expect(valueOf(exposition, 'supportbot_handoffs_total', { reason: 'login_lockout' })).toBe(0);
    expect(valueOf(exposition, 'supportbot_tickets', { status: 'awaiting_verification' })).toBe(1);
    expect(valueOf(exposition, 'supportbot_turns_total', { channel: 'webchat' })).toBeGreaterThanOrEqual(5);
  });
});

describe('log lines of a desk request', () => {
  it('carry the request id the answer names in X-Request-Id; other routes get none', async () => {
    const from = lines.length;
    const res = await fetch(`${running.baseUrl}/desk/login/token`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'not-a-token', lang: 'en' }).toString(),
    });
    expect(res.status).toBe(401);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const refused = parsed(from).find((l) => l.msg === 'desk sign-in: token refused');
    expect(refused).toMatchObject({ request: requestId });
    expect(refused?.turn).toBeUndefined();
    expect((await fetch(`${running.baseUrl}/livez`)).headers.get('x-request-id')).toBeNull();
  });
});
