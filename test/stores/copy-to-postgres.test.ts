/**
 * `npm run db:copy-to-postgres`: a SQLite installation seeded through the real stores is copied into
 * an empty PostgreSQL schema and read back through the PostgreSQL stores, equal to what SQLite
 * returns; a second copy is refused; one run of the command as a subprocess.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Activity } from 'botbuilder';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COPIED_TABLES, COPY_SOURCE_MIGRATIONS, CopyRefused, copySqliteToPostgres, runCopyToPostgres } from '../../scripts/copy-to-postgres.js';
import { PostgresAnalyticsStore, SqliteAnalyticsStore } from '../../src/analytics/index.js';
import { newActivityId } from '../../src/channel/directline/directline-store.js';
import { openDatabase } from '../../src/storage/database.js';
import { PostgresConversationStateStore } from '../../src/storage/postgres-conversation-state.js';
import { SqliteConversationStateStore } from '../../src/storage/sqlite-conversation-state.js';
import type { PgPool } from '../../src/storage/postgres/index.js';
import type { TicketId } from '../../src/tickets/ticket.js';
import { postgresStores, sqliteStores, type Stores } from '../../src/stores/index.js';
import {
  listAllConversations,
  openTranscriptDatabase,
  PostgresTranscriptLog,
  readWholeConversation,
  SqliteTranscriptLog,
  transcriptsFileOf,
  type TranscriptLog,
} from '../../src/transcripts/index.js';
import { createSchema, dropSchema, newSchemaName, poolIn, skipPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { NOW, SINCE, seedSessions } from '../analytics/report-data.js';
import { newTicket } from '../tickets/fixtures.js';
import { change } from '../tickets/repository-under-test.js';

const run = promisify(execFile);
const T0 = Date.UTC(2026, 10, 1);
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A small installation: tickets with history and notifications, an agent with a token and a session, audit, web chat, transcripts. */
async function seed(stores: Stores, transcripts: TranscriptLog): Promise<{ ticketIds: TicketId[]; tokenHash: string; agentId: string }> {
  const ticketIds: TicketId[] = [];
  for (let i = 0; i < 5; i++) {
    const { ticket } = await stores.tickets.findOrCreateOpen(newTicket({ userId: `user-${i}`, conversationId: `conv-${i}` }), `act-${i}`);
    ticketIds.push(ticket.id);
    if (i % 2 === 0) await stores.tickets.update(ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }));
  }
  const agent = await stores.agents.create({ displayName: '山田 花子', email: 'hanako@example.com', role: 'supervisor' });
  await stores.agents.setActive(agent.id, false);
  await stores.agents.setActive(agent.id, true);
  const tokenHash = 'a'.repeat(64);
  await stores.agents.insertToken({ id: 'tok_copy1', agentId: agent.id, label: 'cli', prefix: 'tfa_AbCd', createdAt: iso(1), expiresAt: null, lastUsedAt: iso(2), revokedAt: null, hash: tokenHash });
  await stores.agents.insertSession({ idHash: 'b'.repeat(64), agentId: agent.id, csrfToken: 'csrf', createdAt: iso(3), lastSeenAt: iso(4), expiresAt: iso(600), tokenId: 'tok_copy1' });
  for (let i = 0; i < 4; i++) {
    await stores.audit.record({ at: iso(10 + i), agentId: agent.id, action: i % 2 ? 'tickets.read' : 'tickets.list', ticketId: ticketIds[i] ?? null, subjectId: null, sourceAddress: '203.0.113.9', outcome: i === 3 ? 'refused' : 'ok', code: i === 3 ? 'forbidden' : null });
  }
  await stores.directLine.createConversation({ id: 'conversation-copy-01', userId: 'dl_a', locale: 'ja-JP' });
  for (let i = 0; i < 3; i++) await stores.directLine.appendActivity('conversation-copy-01', { type: 'message', id: newActivityId('conversation-copy-01'), text: `こんにちは ${i}` } as Activity);
  await stores.directLine.advanceTokenGeneration('conversation-copy-01', 0, new Date(T0 + 60_000));
  await stores.alerts('agents-channel').begin(new Date(T0));
  for (let i = 0; i < 3; i++) {
    await transcripts.append({ type: 'message', channelId: 'webchat', conversation: { id: 'conversation-copy-01' }, text: `t${i}`, timestamp: new Date(T0 + (2 - i) * 1000) });
  }
  await transcripts.append({ type: 'message', channelId: 'msteams', conversation: { id: 'teams-1' }, text: 'hello', timestamp: new Date(T0 - 5000) });
  return { ticketIds, tokenHash, agentId: agent.id };
}

/** Everything the stores return, as a value to compare between the backends. */
async function snapshot(stores: Stores, transcripts: TranscriptLog, ids: { ticketIds: TicketId[]; tokenHash: string; agentId: string }) {
  const conversations = await listAllConversations(transcripts);
  return {
    tickets: await Promise.all(ids.ticketIds.map((id) => stores.tickets.get(id))),
    queue: await stores.tickets.listQueue({}, { limit: 100 }),
    counts: await stores.tickets.countByStatus(),
    changes: await stores.tickets.listChangedSince(null, 100),
    outbox: await Promise.all(ids.ticketIds.map((id) => stores.outbox.listForTicket(id))),
    agents: await stores.agents.list(),
    tokens: await stores.agents.listTokens(ids.agentId),
    token: await stores.agents.findTokenByHash(ids.tokenHash),
    session: await stores.agents.findSession('b'.repeat(64)),
    audit: await stores.audit.list({ limit: 100 }),
    webChat: await stores.directLine.getConversation('conversation-copy-01'),
    webChatActivities: await stores.directLine.listActivities('conversation-copy-01', 0, 100),
    webChatToken: await stores.directLine.getTokenState('conversation-copy-01'),
    transcripts: conversations,
    transcriptActivities: await Promise.all(conversations.map((c) => readWholeConversation(transcripts, c.channelId, c.conversationId))),
  };
}

describe.skipIf(skipPostgres())('copy a SQLite installation to PostgreSQL', () => {
  let dir: string;
  let file: string;
  let schema: string;
  let pool: PgPool;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfa-copy-'));
    file = join(dir, 'bot.sqlite');
    schema = newSchemaName();
    await createSchema(schema);
    pool = poolIn(schema);
  });
  afterEach(async () => {
    await pool.end();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every store, and the PostgreSQL stores read back what the SQLite ones do; a second copy is refused', async () => {
    const db = openDatabase(file, COPY_SOURCE_MIGRATIONS);
    const sqlite = sqliteStores(db);
    // The transcripts in their own file, as the bot keeps them.
    const transcriptsDb = openTranscriptDatabase(file, db);
    const sqliteTranscripts = new SqliteTranscriptLog(transcriptsDb);
    const ids = await seed(sqlite, sqliteTranscripts);
    const sqliteState = new SqliteConversationStateStore(db);
    await sqliteState.write({ 'webchat/conversations/conv-1/': { data: { step: 'smsNotReceived', claims: { 名前: '山田' } } } });
    await sqliteState.write({ 'msteams/users/u-1/': { data: { locale: 'en' } } });
    const stateKeys = ['webchat/conversations/conv-1/', 'msteams/users/u-1/'];
    const stateBefore = await sqliteState.read(stateKeys);
    expect(Object.keys(stateBefore)).toHaveLength(2);
    const before = await snapshot(sqlite, sqliteTranscripts, ids);
    // The reports' history comes along: sessions and not-understood messages read back alike.
    const sqliteAnalytics = new SqliteAnalyticsStore(db);
    await seedSessions(sqliteAnalytics);
    const period = { since: new Date(SINCE.getTime() - 60 * 24 * 3600_000).toISOString(), until: NOW.toISOString() };
    const sessionsBefore = await sqliteAnalytics.sessionsStarted(period);
    const notUnderstoodBefore = await sqliteAnalytics.notUnderstood(period, 100);
    expect(sessionsBefore.length).toBeGreaterThan(10);
    expect(notUnderstoodBefore.length).toBeGreaterThan(0);

    const result = await copySqliteToPostgres(db, pool, transcriptsDb);
    expect(result.migrationsApplied).toContain('pg-transcripts-001');
    expect(Object.fromEntries(result.tables.map((t) => [t.table, t.rows]))).toMatchObject({
      bot_state: 2,
      tickets: 5,
      ticket_notifications: 3,
      desk_agents: 1,
      desk_api_tokens: 1,
      desk_sessions: 1,
      desk_audit: 4,
      directline_activities: 3,
      transcript_conversations: 2,
      transcript_activities: 4,
    });
    expect(result.tables.find((t) => t.table === 'ticket_history')!.rows).toBeGreaterThan(5);

    const pg = postgresStores(pool);
    const pgTranscripts = new PostgresTranscriptLog(pool);
    const after = await snapshot(pg, pgTranscripts, ids);
    expect(after).toEqual(before);
    expect(await new PostgresConversationStateStore(pool).read(stateKeys)).toEqual(stateBefore);
    const pgAnalytics = new PostgresAnalyticsStore(pool);
    expect(await pgAnalytics.sessionsStarted(period)).toEqual(sessionsBefore);
    expect(await pgAnalytics.notUnderstood(period, 100)).toEqual(notUnderstoodBefore);
    // Transcripts keep arrival order, not timestamp order.
    expect(after.transcriptActivities[1]!.map((a) => a['text'])).toEqual(['t0', 't1', 't2']);

    // The sequences continue after the copied ids; the status counts follow new tickets again.
    await pg.audit.record({ at: iso(20), agentId: ids.agentId, action: 'tickets.list', ticketId: null, subjectId: null, sourceAddress: null, outcome: 'ok', code: null });
    const audit = await pg.audit.list({ limit: 100 });
    expect(audit[0]!.id).toBeGreaterThan(Math.max(...before.audit.map((e) => e.id)));
    const { ticket } = await pg.tickets.findOrCreateOpen(newTicket({ userId: 'user-new', conversationId: 'conv-new' }), 'act-new');
    await pg.tickets.update(ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }));
    const counts = await pg.tickets.countByStatus();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(6);
    await pgTranscripts.append({ type: 'message', channelId: 'webchat', conversation: { id: 'conversation-copy-01' }, text: 'after', timestamp: new Date(T0) });
    expect((await readWholeConversation(pgTranscripts, 'webchat', 'conversation-copy-01')).map((a) => a['text'])).toEqual(['t0', 't1', 't2', 'after']);

    const again = await copySqliteToPostgres(db, pool, transcriptsDb).catch((err: unknown) => err);
    expect(again).toBeInstanceOf(CopyRefused);
    expect((again as Error).message).toMatch(/already holds data \(bot_state, tickets, .*desk_audit.*\)/);
    expect(Number((await pool.query('SELECT COUNT(*) AS n FROM desk_audit')).rows[0].n)).toBe(5);
    transcriptsDb.close();
    db.close();
  });

  it('refuses a main file that still holds an earlier version\'s transcripts, writing nothing', async () => {
    const db = openDatabase(file, COPY_SOURCE_MIGRATIONS);
    const transcriptsDb = openTranscriptDatabase(file, db);
    // Written into the main file as an earlier version did, after this version's move.
    await new SqliteTranscriptLog(db).append({ type: 'message', channelId: 'webchat', conversation: { id: 'old' }, text: 'old', timestamp: new Date(T0) });
    const refused = await copySqliteToPostgres(db, pool, transcriptsDb).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CopyRefused);
    expect((refused as Error).message).toMatch(/start this version of the bot on it once/);
    expect((await pool.query("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()")).rows[0].n).toBe('0');
    transcriptsDb.close();
    db.close();
  });

  it('refuses a SQLite file without the current schema, writing nothing', async () => {
    const db = openDatabase(file, COPY_SOURCE_MIGRATIONS.slice(0, 1));
    const refused = await copySqliteToPostgres(db, pool).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CopyRefused);
    expect((refused as Error).message).toMatch(/missing migrations: .*tickets-001.*transcripts-001/);
    expect((await pool.query("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()")).rows[0].n).toBe('0');
    db.close();
  });

  it('npm run db:copy-to-postgres refuses a file this version never ran on (no transcripts\' file beside it)', async () => {
    openDatabase(file, COPY_SOURCE_MIGRATIONS).close();
    let err = '';
    const code = await runCopyToPostgres([], { out: () => undefined, err: (t) => (err += t), env: { DATABASE_FILE: file, DATABASE_URL: TEST_DATABASE_URL }, cwd: dir });
    expect(code).toBe(1);
    expect(err).toBe(`no transcripts' database at ${transcriptsFileOf(file)}: start this version of the bot on ${file} once, stop it, then copy\n`);
  });

  it('npm run db:copy-to-postgres copies DATABASE_FILE into DATABASE_URL (subprocess)', async () => {
    const db = openDatabase(file, COPY_SOURCE_MIGRATIONS);
    const transcriptsDb = openTranscriptDatabase(file, db);
    await seed(sqliteStores(db), new SqliteTranscriptLog(transcriptsDb));
    transcriptsDb.close();
    db.close();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/copy-to-postgres.ts'], {
      env: { PATH: process.env['PATH'], DATABASE_FILE: file, DATABASE_URL: url.toString() },
    });
    expect(stderr).toContain(`copying ${file} (and its transcripts, ${transcriptsFileOf(file)}) into postgres://`);
    expect(stdout).toMatch(/^tickets\s+5$/m);
    expect(stdout).toMatch(/^transcript_activities\s+4$/m);
    expect(stdout.split('\n').filter((l) => COPIED_TABLES.includes(l.split(/\s+/)[0]!))).toHaveLength(COPIED_TABLES.length);
    // The source was opened read-only and is unchanged.
    const check = new Database(file, { readonly: true });
    expect((check.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n).toBe(5);
    check.close();
    // One process per script (issue 13): the refusal of a second copy, and its message, are tested in
    // process above; this one shows argv, the environment, both streams and exit code 0 wired up.
  }, 30_000);
});
