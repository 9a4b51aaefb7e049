/**
 * Upgrading a database written before the desk (tickets-001 only) with tickets-002: old tickets
 * read in the new vocabulary, their history tells the same story in new words and stays
 * append-only, the queue counts and finds them, and their lifecycle goes on from where it was.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../../src/app.js';
import { applyMigrations, type Migration, type SqliteDatabase } from '../../src/storage/database.js';
import { createAgentTicketService } from '../../src/tickets/agent-ticket-service.js';
import { SqliteNotificationOutbox } from '../../src/tickets/outbox/sqlite-notification-outbox.js';
import { SqliteTicketRepository, migrations } from '../../src/tickets/sqlite-ticket-repository.js';
import type { TicketId } from '../../src/tickets/ticket.js';
import { CLAIMS, newTicket } from './fixtures.js';

/**
 * tickets-001 exactly as it shipped (commit a0ed71e): its partial index still names 'reset_approved',
 * because the SQL was built from the statuses of the time.
 */
const SHIPPED_TICKETS_001: Migration = {
  id: 'tickets-001',
  up: (db) => {
    const open = "'awaiting_verification', 'verified', 'verification_failed', 'reset_approved'";
    db.exec(`
      CREATE TABLE tickets (
        id TEXT PRIMARY KEY, reason TEXT NOT NULL, language TEXT NOT NULL CHECK (language IN ('ja', 'en')),
        status TEXT NOT NULL, channel_id TEXT NOT NULL, user_id TEXT NOT NULL, tenant_id TEXT,
        conversation_id TEXT NOT NULL,
        conversation_reference TEXT NOT NULL CHECK (json_valid(conversation_reference)),
        claims TEXT NOT NULL CHECK (json_valid(claims)), path TEXT NOT NULL CHECK (json_valid(path)),
        steps_tried TEXT NOT NULL CHECK (json_valid(steps_tried)), close_reason TEXT,
        approval_action TEXT CHECK (approval_action IN ('reset_2fa', 'unlock_login')),
        verified_by TEXT, approved_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX tickets_by_customer ON tickets (channel_id, user_id, created_at);
      CREATE UNIQUE INDEX tickets_one_open_per_handoff ON tickets (channel_id, conversation_id, reason)
        WHERE status IN (${open});
      CREATE TABLE ticket_activity_keys (
        channel_id TEXT NOT NULL, activity_id TEXT NOT NULL, ticket_id TEXT NOT NULL REFERENCES tickets (id),
        PRIMARY KEY (channel_id, activity_id)
      );
      CREATE TABLE ticket_history (
        ticket_id TEXT NOT NULL REFERENCES tickets (id), seq INTEGER NOT NULL, at TEXT NOT NULL,
        actor_kind TEXT NOT NULL CHECK (actor_kind IN ('customer', 'agent', 'system')), actor_id TEXT NOT NULL,
        event TEXT NOT NULL, from_status TEXT, to_status TEXT NOT NULL, note TEXT, PRIMARY KEY (ticket_id, seq)
      );
      CREATE TRIGGER ticket_history_no_update BEFORE UPDATE ON ticket_history
        BEGIN SELECT RAISE(ABORT, 'ticket_history is append-only'); END;
      CREATE TRIGGER ticket_history_no_delete BEFORE DELETE ON ticket_history
        BEGIN SELECT RAISE(ABORT, 'ticket_history is append-only'); END;
    `);
  },
};

const BEFORE_DESK = migrations.slice(0, migrations.findIndex((m) => m.id === 'tickets-002'));

interface OldTicket {
  id: string;
  reason: string;
  status: string;
  approvalAction?: 'reset_2fa' | 'unlock_login';
  closeReason?: string;
  createdAt: string;
  claims?: { email: string; fullName: string };
  /** [actor, event, from, to, note] after the opening line. */
  steps: [string, string, string, string, string | null][];
}

const OLD: Record<'lostPhone' | 'lockout' | 'resolvedNumber' | 'closed' | 'failed', OldTicket> = {
  lostPhone: {
    id: 'TFA-0XD00001',
    reason: 'phone_lost_no_backup',
    status: 'reset_approved',
    approvalAction: 'reset_2fa',
    createdAt: '2024-11-01T00:00:00.000Z',
    claims: { email: 'hanako.sato@example.com', fullName: '佐藤 花子' },
    steps: [
      ['agent-a', 'identity.verified', 'awaiting_verification', 'verified', 'KYC ok'],
      ['agent-b', 'approval.granted', 'verified', 'reset_approved', null],
    ],
  },
  lockout: {
    id: 'TFA-0XD00002',
    reason: 'login_lockout',
    status: 'reset_approved',
    approvalAction: 'unlock_login',
    createdAt: '2024-11-02T00:00:00.000Z',
    steps: [
      ['agent-a', 'identity.verified', 'awaiting_verification', 'verified', null],
      ['agent-b', 'approval.granted', 'verified', 'reset_approved', null],
    ],
  },
  resolvedNumber: {
    id: 'TFA-0XD00003',
    reason: 'phone_number_changed',
    status: 'resolved',
    approvalAction: 'reset_2fa',
    createdAt: '2024-11-03T00:00:00.000Z',
    claims: { email: 'john.smith@example.org', fullName: 'John Smith' },
    steps: [
      ['agent-a', 'identity.verified', 'awaiting_verification', 'verified', null],
      ['agent-b', 'approval.granted', 'verified', 'reset_approved', null],
      ['agent-b', 'ticket.resolved', 'reset_approved', 'resolved', 'reset done'],
    ],
  },
  closed: {
    id: 'TFA-0XD00004',
    reason: 'customer_requested',
    status: 'closed',
    closeReason: 'solved_without_reset',
    createdAt: '2024-11-04T00:00:00.000Z',
    steps: [
      ['agent-a', 'identity.verified', 'awaiting_verification', 'verified', null],
      ['agent-a', 'ticket.closed', 'verified', 'closed', 'answered by phone'],
    ],
  },
  failed: {
    id: 'TFA-0XD00005',
    reason: 'app_lost_no_backup',
    status: 'verification_failed',
    createdAt: '2024-11-05T00:00:00.000Z',
    steps: [['agent-a', 'identity.rejected', 'awaiting_verification', 'verification_failed', 'DOB differs']],
  },
};

function insertOld(db: SqliteDatabase, t: OldTicket): void {
  const claims = { ...CLAIMS, ...t.claims };
  const reference = { conversation: { id: `conv-${t.id}` }, serviceUrl: 'http://127.0.0.1:9/c' };
  const agents = t.steps.map((s) => s[0]);
  db.prepare(
    `INSERT INTO tickets (id, reason, language, status, channel_id, user_id, tenant_id, conversation_id,
       conversation_reference, claims, path, steps_tried, close_reason, approval_action, verified_by, approved_by,
       created_at, updated_at, version)
     VALUES (?, ?, 'ja', ?, 'webchat', 'user-1', NULL, ?, ?, ?, '["start"]', '[]', ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    t.id, t.reason, t.status, `conv-${t.id}`, JSON.stringify(reference), JSON.stringify(claims), t.closeReason ?? null,
    t.approvalAction ?? null, t.status === 'verification_failed' ? null : (agents[0] ?? null),
    t.approvalAction ? 'agent-b' : null, t.createdAt, t.createdAt, t.steps.length + 1,
  );
  const history = db.prepare(
    `INSERT INTO ticket_history (ticket_id, seq, at, actor_kind, actor_id, event, from_status, to_status, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  history.run(t.id, 1, t.createdAt, 'customer', 'user-1', 'ticket.opened', null, 'awaiting_verification', null);
  t.steps.forEach(([actor, event, from, to, note], i) => history.run(t.id, i + 2, t.createdAt, 'agent', actor, event, from, to, note));
}

describe('tickets-002 on a database that already holds tickets', () => {
  // Every deployment that has ever opened a ticket is such a database: the bot must still start.
  it('applies, records itself and adds search terms for every existing ticket', () => {
    const db = new Database(':memory:');
    try {
      applyMigrations(db, [SHIPPED_TICKETS_001]);
      insertOld(db, OLD.lostPhone);
      insertOld(db, OLD.closed);
      expect(() => applyMigrations(db, migrations)).not.toThrow();
      expect(db.prepare("SELECT count(*) AS n FROM schema_migrations WHERE id = 'tickets-002'").get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT count(DISTINCT ticket_id) AS n FROM ticket_search_terms').get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });
});

describe.each([
  ['tickets-001 as shipped', [SHIPPED_TICKETS_001]],
  ['the migrations before tickets-002', BEFORE_DESK],
] as const)('upgrading a database built with %s', (_name, before) => {
  let db: SqliteDatabase;
  let repo: SqliteTicketRepository;

  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    applyMigrations(db, before);
    for (const t of Object.values(OLD)) insertOld(db, t);
    applyMigrations(db, ALL_MIGRATIONS);
    repo = new SqliteTicketRepository(db);
  });
  afterEach(() => db.close());

  const id = (t: OldTicket) => t.id as TicketId;

  it('reads approved tickets as change_approved, with what the reason allows', async () => {
    expect(await repo.get(id(OLD.lostPhone))).toMatchObject({
      status: 'change_approved',
      approvalAction: 'switch_2fa_to_sms_or_voice',
      verifiedBy: 'agent-a',
      approvedBy: 'agent-b',
      failureReason: null,
      assigneeId: null,
      version: 3,
    });
    expect(await repo.get(id(OLD.lockout))).toMatchObject({ status: 'change_approved', approvalAction: 'unlock_login' });
    expect(await repo.get(id(OLD.resolvedNumber))).toMatchObject({ status: 'resolved', approvalAction: 'update_phone_number' });
    expect(await repo.get(id(OLD.closed))).toMatchObject({ status: 'closed', closeReason: 'solved_without_change', approvalAction: null });
    expect(await repo.get(id(OLD.failed))).toMatchObject({ status: 'verification_failed', failureReason: null, verifiedBy: null });
    expect(db.prepare('SELECT count(*) AS n FROM tickets WHERE approval_action IS NOT NULL').get()).toEqual({ n: 0 });
  });

  it('rewrites the history in the new words: the old resolve after approval is the change carried out', async () => {
    const resolved = await repo.get(id(OLD.resolvedNumber));
    expect(resolved?.history.map((h) => [h.actor.id, h.event, h.from, h.to, h.note, h.detail])).toEqual([
      ['user-1', 'ticket.opened', null, 'awaiting_verification', null, null],
      ['agent-a', 'identity.verified', 'awaiting_verification', 'verified', null, null],
      ['agent-b', 'approval.granted', 'verified', 'change_approved', null, null],
      ['agent-b', 'change.carried_out', 'change_approved', 'resolved', 'reset done', null],
    ]);
    const closed = await repo.get(id(OLD.closed));
    expect(closed?.history.at(-1)).toMatchObject({ event: 'ticket.closed', from: 'verified', to: 'closed', note: 'answered by phone' });
    const words = db.prepare(
      `SELECT count(*) AS n FROM ticket_history WHERE from_status = 'reset_approved' OR to_status = 'reset_approved'
         OR (event = 'ticket.resolved' AND from_status = 'change_approved')`,
    );
    expect(words.get()).toEqual({ n: 0 });
  });

  it('keeps the history append-only afterwards', async () => {
    expect(() => db.prepare("UPDATE ticket_history SET note = 'forged'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ticket_history').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE ticket_history SET detail = '{}'").run()).toThrow(/append-only/);
  });

  it('counts the old tickets by status, and keeps counting as they move', async () => {
    const zero = { awaiting_verification: 0, verified: 0, verification_failed: 0, change_approved: 0, resolved: 0, closed: 0 };
    expect(await repo.countByStatus()).toEqual({ ...zero, verification_failed: 1, change_approved: 2, resolved: 1, closed: 1 });
    const agents = createAgentTicketService({ repository: repo, outbox: new SqliteNotificationOutbox(db) });
    await agents.markCarriedOut(OLD.lostPhone.id, 'agent-b');
    await repo.findOrCreateOpen(newTicket(), null);
    expect(await repo.countByStatus()).toEqual({ ...zero, awaiting_verification: 1, verification_failed: 1, change_approved: 1, resolved: 2, closed: 1 });
  });

  it('finds the old tickets in the queue by number, e-mail and name', async () => {
    const found = async (q: string) => (await repo.listQueue({ q }, { limit: 10 })).tickets.map((t) => t.id);
    expect(await found('花子')).toEqual([OLD.lostPhone.id]);
    expect(await found('HANAKO.SATO@')).toEqual([OLD.lostPhone.id]);
    expect(await found('smith')).toEqual([OLD.resolvedNumber.id]);
    expect(await found('tfa-0xd0000')).toEqual(['TFA-0XD00005', 'TFA-0XD00004', 'TFA-0XD00003', 'TFA-0XD00002', 'TFA-0XD00001']);
    const page = await repo.listQueue({ status: ['change_approved'] }, { limit: 10 });
    expect(page.tickets).toMatchObject([
      { id: OLD.lockout.id, failedNotifications: 0, assigneeId: null },
      { id: OLD.lostPhone.id, failedNotifications: 0 },
    ]);
  });

  it('goes on from where it was: the approved change is carried out and the customer told what it was', async () => {
    const agents = createAgentTicketService({ repository: repo, outbox: new SqliteNotificationOutbox(db) });
    const done = await agents.markCarriedOut(OLD.lockout.id, 'agent-b', { expectedVersion: 3 });
    expect(done).toMatchObject({ status: 'resolved', version: 4 });
    expect(done.history.at(-1)).toMatchObject({ event: 'change.carried_out', from: 'change_approved', to: 'resolved', detail: null });
    expect((await agents.notifications(OLD.lockout.id)).map((n) => [n.kind, n.params])).toEqual([
      ['change_carried_out', { approvalAction: 'unlock_login' }],
    ]);
  });

  it('an approved ticket still counts as the open ticket of its handoff', async () => {
    const again = await repo.findOrCreateOpen(newTicket({ conversationId: `conv-${OLD.lostPhone.id}`, reason: 'phone_lost_no_backup' }), null);
    expect(again).toMatchObject({ created: false, matchedBy: 'conversation', ticket: { id: OLD.lostPhone.id } });
  });

  it('is applied once: running the migrations again changes nothing', async () => {
    const before = await repo.get(id(OLD.resolvedNumber));
    applyMigrations(db, ALL_MIGRATIONS);
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations WHERE id = 'tickets-002'").get()).toEqual({ n: 1 });
    expect(await repo.get(id(OLD.resolvedNumber))).toEqual(before);
  });
});
