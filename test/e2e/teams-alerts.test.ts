/**
 * Issue 11, through the running app: with DESK_TEAMS_* pointing at a (fake) Bot Connector, a ticket
 * a customer opens in chat appears as one Adaptive Card in the agents' channel, and an agent's
 * change over the desk API updates that card in place. A refused post is retried and posted once;
 * a restart on the same database posts nothing again; without the keys nothing is posted at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffReason } from '../../flows/outcome.js';
import { readWholeTranscript } from '../../src/transcripts/index.js';
import { activityIdOf, buttonUrlOf, cardOf, cardPosts, cardUpdates, factsOf, requestsTo } from './support/agents-channel.js';
import type { Lang } from './support/customer.js';
import { addAgent } from './support/desk-client.js';
import { BotFrameworkCustomer, FakeConnector, startApp, type RunningApp } from './support/running-app.js';
import { IDENTITY } from './support/scenarios.js';
import { walkToTicket } from './support/walk-to-ticket.js';

const AGENTS = '19:desk-agents-0123@thread.tacv2';
const TENANT = '72f988bf-0000-4000-8000-000000000001';
const DESK = 'https://desk.example.com';

const alertsOn = (connector: FakeConnector, extra: Record<string, string> = {}) => ({
  DESK_TEAMS_SERVICE_URL: connector.serviceUrl,
  DESK_TEAMS_CONVERSATION_ID: AGENTS,
  DESK_TEAMS_TENANT_ID: TENANT,
  DESK_ALERT_LANGUAGE: 'ja',
  PUBLIC_BASE_URL: DESK,
  ...extra,
});

let conversations = 0;

/** A customer walks the guide to a handoff and submits the identity card; returns the ticket number. */
async function openTicket(running: RunningApp, connector: FakeConnector, lang: Lang, reason: HandoffReason = 'app_lost_no_backup') {
  conversations++;
  const t = running.app.localizer.forLanguage(lang);
  const customer = new BotFrameworkCustomer(running.baseUrl, connector, lang, {
    channelId: 'msteams',
    userId: `alert-customer-${conversations}`,
    conversationId: `alert-conv-${conversations}`,
  });
  const { id } = await walkToTicket(customer, t, lang, reason);
  return { id, customer };
}

describe('ticket alerts in the agents’ Teams channel', () => {
  const connector = new FakeConnector();
  let running: RunningApp;

  beforeAll(async () => {
    await connector.start();
    running = await startApp(alertsOn(connector));
  });
  afterAll(async () => {
    await running?.stop();
    await connector.stop();
  });

  it('posts one card for a new ticket, and an agent’s verification updates that same card', async () => {
    const ja = running.app.localizer.forLanguage('ja');
    const { id, customer } = await openTicket(running, connector, 'en', 'login_lockout');
    await running.app.ticketAlerts!.sync();

    const posts = cardPosts(connector, AGENTS).filter((p) => JSON.stringify(p.body).includes(id));
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    // A new post in the channel (not a reply to the made-up continuation event), with the tenant.
    expect(post.path).toBe(`/v3/conversations/${encodeURIComponent(AGENTS)}/activities`);
    expect(post.body['replyToId']).toBeUndefined();
    expect(post.body).toMatchObject({ type: 'message', channelId: 'msteams', channelData: { tenant: { id: TENANT } }, conversation: { id: AGENTS, tenantId: TENANT } });
    expect(post.body['summary']).toContain(id);
    expect(cardOf(post)).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(buttonUrlOf(post)).toBe(`${DESK}/desk/tickets/${id}`);
    expect(factsOf(post)).toMatchObject({
      [ja('alerts:card.fact.reason')]: ja('tickets:reason.login_lockout'),
      [ja('alerts:card.fact.status')]: ja('tickets:status.awaiting_verification'),
      [ja('alerts:card.fact.language')]: ja('alerts:language.en'),
      [ja('alerts:card.fact.channel')]: ja('alerts:channel.msteams'),
      [ja('alerts:card.fact.assignee')]: ja('alerts:card.unassigned'),
    });
    // Nothing the customer typed about themselves, nor their ids.
    const sent = JSON.stringify(post.body);
    const stored = IDENTITY.en.stored;
    for (const needle of [stored.email, stored.fullName, ...stored.fullName.split(' '), stored.dateOfBirth, stored.phoneLast4!, stored.description, customer.ids.userId, customer.ids.conversationId]) {
      expect(sent, needle).not.toContain(needle);
    }

    const agent = await addAgent(running.app, running.baseUrl, 'agent');
    expect((await agent.act(id, 'verify', { note: 'matched the KYC record' })).status).toBe(200);
    await running.app.ticketAlerts!.sync();

    const updates = cardUpdates(connector, AGENTS).filter((u) => JSON.stringify(u.body).includes(id));
    expect(updates).toHaveLength(1);
    const activityId = activityIdOf(connector, post);
    expect(updates[0]!.path).toBe(`/v3/conversations/${encodeURIComponent(AGENTS)}/activities/${activityId}`);
    expect(updates[0]!.body).toMatchObject({ id: activityId, type: 'message', channelData: { tenant: { id: TENANT } } });
    expect(factsOf(updates[0]!)[ja('alerts:card.fact.status')]).toBe(ja('tickets:status.verified'));
    expect(cardPosts(connector, AGENTS).filter((p) => JSON.stringify(p.body).includes(id))).toHaveLength(1);

    // The agents' channel got cards only (no apology from the turn-error handler), and is no customer transcript.
    expect(requestsTo(connector, AGENTS).every((r) => cardOf(r) !== undefined)).toBe(true);
    expect(await readWholeTranscript(running.app.transcripts, 'msteams', AGENTS)).toEqual([]);
  });

  it('retries a card the connector refused, later, and posts it once', async () => {
    const before = cardPosts(connector, AGENTS).length;
    const refusedBefore = connector.refusedAttempts.length;
    connector.refused.add(AGENTS);
    try {
      const { id } = await openTicket(running, connector, 'ja');
      await running.app.ticketAlerts!.sync();
      await running.app.ticketAlerts!.sync();
      expect(connector.refusedAttempts.length - refusedBefore).toBe(1);
      expect(cardPosts(connector, AGENTS)).toHaveLength(before);

      connector.refused.delete(AGENTS);
      await running.app.ticketAlerts!.sync(new Date(Date.now() + 60_000));
      await running.app.ticketAlerts!.sync(new Date(Date.now() + 120_000));
      const posted = cardPosts(connector, AGENTS).slice(before);
      expect(posted).toHaveLength(1);
      expect(buttonUrlOf(posted[0]!)).toBe(`${DESK}/desk/tickets/${id}`);
    } finally {
      connector.refused.delete(AGENTS);
    }
  });
});

describe('ticket alerts across restarts and when not configured', () => {
  const connector = new FakeConnector();
  let dir = '';

  beforeAll(async () => {
    await connector.start();
    dir = mkdtempSync(join(tmpdir(), 'tfa-alerts-e2e-'));
  });
  afterAll(async () => {
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a restart on the same database posts no card again; a ticket opened while alerts were off gets its card', async () => {
    const DATABASE_FILE = join(dir, 'bot.sqlite');
    const first = await startApp(alertsOn(connector, { DATABASE_FILE }));
    const a = await openTicket(first, connector, 'ja');
    await first.app.ticketAlerts!.sync();
    await first.stop();
    expect(cardPosts(connector, AGENTS).map((p) => buttonUrlOf(p))).toEqual([`${DESK}/desk/tickets/${a.id}`]);

    const off = await startApp({ DATABASE_FILE });
    expect(off.app.ticketAlerts).toBeNull();
    const b = await openTicket(off, connector, 'en');
    await off.stop();
    expect(cardPosts(connector, AGENTS)).toHaveLength(1);

    const again = await startApp(alertsOn(connector, { DATABASE_FILE }));
    await again.app.ticketAlerts!.sync();
    await again.app.ticketAlerts!.sync();
    await again.stop();
    expect(cardPosts(connector, AGENTS).map((p) => buttonUrlOf(p))).toEqual([`${DESK}/desk/tickets/${a.id}`, `${DESK}/desk/tickets/${b.id}`]);
    expect(cardUpdates(connector, AGENTS)).toEqual([]);
  });

  it('without DESK_TEAMS_* nothing is posted anywhere but the customer’s conversation', async () => {
    const running = await startApp({ PUBLIC_BASE_URL: DESK });
    try {
      const before = connector.received.length;
      const { id, customer } = await openTicket(running, connector, 'ja');
      const agent = await addAgent(running.app, running.baseUrl, 'agent');
      expect((await agent.act(id, 'verify')).status).toBe(200);
      await running.app.notifications.flush();
      expect(running.app.ticketAlerts).toBeNull();
      const elsewhere = connector.received.slice(before).filter((r) => !r.path.includes(encodeURIComponent(customer.ids.conversationId)));
      expect(elsewhere).toEqual([]);
    } finally {
      await running.stop();
    }
  });
});
