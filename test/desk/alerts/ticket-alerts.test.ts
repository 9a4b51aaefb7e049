/**
 * The ticket alerter against a fake channel: one card per ticket opened after alerts were switched
 * on, updated in place on every change; failed sends retried and never doubled; a restart resumes
 * from the stored feed position; overdue tickets redrawn once; two instances send each card once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import type { AlertChannel, AlertMessage } from '../../../src/desk/alerts/alert-channel.js';
import { alertMigrations, SqliteTicketAlertStore } from '../../../src/desk/alerts/sqlite-alert-store.js';
import { ticketAlertCard } from '../../../src/desk/alerts/ticket-alert-card.js';
import { TicketAlerts } from '../../../src/desk/alerts/ticket-alerts.js';
import { createLocalizer } from '../../../src/i18n/i18n.js';
import { createLogger, silentLogger, type Logger } from '../../../src/logger.js';
import { openDatabase, type SqliteDatabase } from '../../../src/storage/database.js';
import { TicketFeed } from '../../../src/tickets/ticket-feed.js';
import { AGENT_A, AGENT_B, harness, IMPLEMENTATIONS, type Harness } from '../../tickets/service-harness.js';

const t = createLocalizer(LOCALES_DIR, loadConfig({}).brand).forLanguage('en');
const HOUR = 3_600_000;
const CHANNEL = '19:agents@thread.tacv2';

/** Records what it was given; `down` refuses everything as the connector would when unreachable. */
class FakeChannel implements AlertChannel {
  readonly posts: AlertMessage[] = [];
  readonly updates: { activityId: string; message: AlertMessage }[] = [];
  attempts = 0;
  down = false;
  /** While set, every post and update waits for it: what a slow connector does, without a clock. */
  gate: Promise<void> | undefined;

  async post(message: AlertMessage): Promise<string> {
    await this.#attempt();
    this.posts.push(message);
    return `activity-${this.posts.length}`;
  }

  async update(activityId: string, message: AlertMessage): Promise<void> {
    await this.#attempt();
    this.updates.push({ activityId, message });
  }

  async #attempt(): Promise<void> {
    this.attempts++;
    if (this.gate) await this.gate;
    if (this.down) throw Object.assign(new Error('Service Unavailable'), { statusCode: 503, code: 'ServiceUnavailable' });
  }
}

/** The card's status and ticket number, as an agent reads them. */
function shown(message: AlertMessage): { ticket: string; status: string; overdue: boolean } {
  const json = JSON.stringify(message.card);
  const facts = (message.card['body'] as Record<string, unknown>[]).find((e) => e['type'] === 'FactSet')!['facts'] as { title: string; value: string }[];
  return {
    ticket: /TFA-[0-9A-Z]{8}/.exec(json)?.[0] ?? '',
    status: facts.find((f) => f.title === t('alerts:card.fact.status'))!.value,
    overdue: json.includes(t('alerts:card.overdue', { slaHours: 48 })),
  };
}

const status = (s: string) => t(`tickets:status.${s}`);

describe('ticket alerts', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).reverse().forEach((f) => f()));

  function setUp() {
    const h: Harness = harness(IMPLEMENTATIONS[0]![1]());
    cleanup.push(() => h.dispose());
    const channel = new FakeChannel();
    const db = alertDb(':memory:');
    return { h, channel, db };
  }

  function alertDb(file: string): SqliteDatabase {
    const db = openDatabase(file, alertMigrations);
    cleanup.push(() => db.open && db.close());
    return db;
  }

  function alerter(h: Harness, db: SqliteDatabase, channel: AlertChannel, logger: Logger = silentLogger): TicketAlerts {
    const now = () => new Date(h.now());
    return new TicketAlerts({
      store: new SqliteTicketAlertStore(db, CHANNEL),
      openFeed: (from) => new TicketFeed({ repository: h.repository, logger, from, now }),
      channel,
      render: (ticket, at) => ticketAlertCard(ticket, { t, verificationSlaHours: 48, publicBaseUrl: 'https://chat.example.com', now: at }),
      logger,
      now,
    });
  }

  it('posts one card per new ticket and updates that card in place on every change', async () => {
    const { h, channel, db } = setUp();
    const alerts = alerter(h, db, channel);
    // Opened after alerts were switched on, before their first round.
    const ticket = await h.ticketIn('awaiting_verification');
    await alerts.sync();
    expect(channel.posts.map(shown)).toEqual([{ ticket: ticket.id, status: status('awaiting_verification'), overdue: false }]);

    h.tick();
    await h.agents.verifyIdentity(ticket.id, AGENT_A);
    await alerts.sync();
    expect(channel.updates.map((u) => [u.activityId, shown(u.message).status])).toEqual([['activity-1', status('verified')]]);

    // Two changes between rounds: the card jumps to the newest.
    h.tick();
    await h.agents.approve(ticket.id, AGENT_B);
    h.tick();
    await h.agents.markCarriedOut(ticket.id, AGENT_B);
    await alerts.sync();
    await alerts.sync();
    expect(channel.updates.map((u) => [u.activityId, shown(u.message).status])).toEqual([
      ['activity-1', status('verified')],
      ['activity-1', status('resolved')],
    ]);
    expect(channel.posts).toHaveLength(1);
  });

  it('gives no card to tickets opened before alerts were switched on, even when they change', async () => {
    const { h, channel, db } = setUp();
    const old = await h.ticketIn('awaiting_verification');
    h.tick();
    const alerts = alerter(h, db, channel);
    await alerts.sync();
    h.tick();
    await h.agents.verifyIdentity(old.id, AGENT_A);
    const fresh = await h.ticketIn('awaiting_verification');
    await alerts.sync();
    expect(channel.posts.map((p) => shown(p).ticket)).toEqual([fresh.id]);
    expect(channel.updates).toEqual([]);
  });

  it('keeps a failed post due: waits before trying again, tries at once when the ticket changes, posts once', async () => {
    const { h, channel, db } = setUp();
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const alerts = alerter(h, db, channel, logger);
    await alerts.sync();
    channel.down = true;
    h.tick();
    const ticket = await h.ticketIn('awaiting_verification');
    await alerts.sync();
    await alerts.sync();
    expect(channel.attempts).toBe(1);
    await alerts.sync(new Date(Date.parse(h.now()) + 6_000));
    expect(channel.attempts).toBe(2);
    expect(channel.posts).toEqual([]);

    channel.down = false;
    h.tick(1000);
    await h.agents.verifyIdentity(ticket.id, AGENT_A);
    await alerts.sync();
    await alerts.sync();
    expect(channel.posts.map(shown)).toEqual([{ ticket: ticket.id, status: status('verified'), overdue: false }]);
    expect(channel.updates).toEqual([]);

    const failures = lines.filter((l) => l.includes('ticket alert not sent'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain(ticket.id);
    expect(failures[0]).toContain('"statusCode":503');
    for (const needle of [ticket.claims.email, ticket.claims.fullName, ticket.userId]) expect(lines.join('\n')).not.toContain(needle);
  });

  it('retries a failed update onto the same message, keeping the version shown behind until it is taken', async () => {
    const { h, channel, db } = setUp();
    const alerts = alerter(h, db, channel);
    await alerts.sync();
    h.tick();
    const ticket = await h.ticketIn('awaiting_verification');
    await alerts.sync();
    channel.down = true;
    h.tick();
    await h.agents.verifyIdentity(ticket.id, AGENT_A);
    await alerts.sync();
    expect(channel.updates).toEqual([]);
    channel.down = false;
    await alerts.sync(new Date(Date.parse(h.now()) + 6_000));
    expect(channel.updates.map((u) => [u.activityId, shown(u.message).status])).toEqual([['activity-1', status('verified')]]);
    expect(channel.posts).toHaveLength(1);
  });

  it('after a restart on the same database: no card posted again, and changes made while down are not missed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-alerts-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { h, channel } = setUp();
    const file = join(dir, 'alerts.sqlite');

    const firstDb = alertDb(file);
    const first = alerter(h, firstDb, channel);
    await first.sync();
    h.tick();
    const a = await h.ticketIn('awaiting_verification');
    await first.sync();
    await first.stop();
    expect(channel.posts).toHaveLength(1);
    // The feed position is stored with the cards: the next start reads on from the last change seen.
    expect((await new SqliteTicketAlertStore(firstDb, CHANNEL).begin(new Date(0))).cursor).toEqual({ updatedAt: a.updatedAt, id: a.id });

    // While it is down: a change to the ticket with a card, and a new ticket.
    h.tick();
    await h.agents.verifyIdentity(a.id, AGENT_A);
    h.tick();
    const b = await h.ticketIn('awaiting_verification');
    h.tick(10 * 60_000);

    const second = alerter(h, alertDb(file), channel);
    await second.sync();
    expect(channel.posts.map((p) => shown(p).ticket)).toEqual([a.id, b.id]);
    expect(channel.updates.map((u) => [u.activityId, shown(u.message).ticket, shown(u.message).status])).toEqual([['activity-1', a.id, status('verified')]]);
    await second.stop();

    const third = alerter(h, alertDb(file), channel);
    await third.sync();
    expect(channel.posts).toHaveLength(2);
    expect(channel.updates).toHaveLength(1);
  });

  it('redraws a card once when its ticket passes the verification deadline', async () => {
    const { h, channel, db } = setUp();
    const alerts = alerter(h, db, channel);
    await alerts.sync();
    h.tick();
    await h.ticketIn('awaiting_verification');
    await alerts.sync();
    h.tick(47 * HOUR);
    await alerts.sync();
    expect(channel.updates).toEqual([]);
    h.tick(2 * HOUR);
    await alerts.sync();
    await alerts.sync();
    expect(channel.updates.map((u) => [u.activityId, shown(u.message).overdue])).toEqual([['activity-1', true]]);
    expect(shown(channel.posts[0]!).overdue).toBe(false);
  });

  it('two instances on one database send each card once', async () => {
    const { h, channel, db } = setUp();
    const one = alerter(h, db, channel);
    const two = alerter(h, db, channel);
    // Both instances sync at once, and each one's posts wait until both have gone as far as they
    // can without the connector: then neither has finished a post when the other claims.
    const both = async () => {
      let open!: () => void;
      channel.gate = new Promise((resolve) => (open = resolve));
      const syncs = Promise.all([one.sync(), two.sync()]);
      await new Promise((resolve) => setImmediate(resolve));
      open();
      channel.gate = undefined;
      await syncs;
    };
    await both();
    h.tick();
    const tickets = [await h.ticketIn('awaiting_verification'), await h.ticketIn('verified')];
    await both();
    await both();
    expect(channel.posts.map((p) => shown(p).ticket).sort()).toEqual(tickets.map((x) => x.id).sort());
    expect(channel.updates).toEqual([]);
  });
});
