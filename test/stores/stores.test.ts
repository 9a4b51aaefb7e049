/**
 * The store factory: the configuration chooses the backend (DATABASE_URL → PostgreSQL, else SQLite
 * under DATABASE_FILE), each set is migrated and works end to end, and DATABASE_URL is refused by
 * the configuration while the app itself cannot run on PostgreSQL yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openStores, storeBackendOf, type Stores } from '../../src/stores/index.js';
import { createSchema, dropSchema, newSchemaName, skipPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { newTicket } from '../tickets/fixtures.js';
import { change } from '../tickets/repository-under-test.js';

/** One pass through every store of the set: what a deployment would do on its first day. */
async function exercise(stores: Stores): Promise<void> {
  const { ticket } = await stores.tickets.findOrCreateOpen(newTicket(), 'act-1');
  await stores.tickets.update(ticket.id, (c) => change(c, { notification: { kind: 'verified', params: {} } }));
  expect(await stores.outbox.listForTicket(ticket.id)).toMatchObject([{ kind: 'verified', status: 'pending' }]);
  expect((await stores.tickets.listQueue({}, { limit: 10 })).tickets.map((t) => t.id)).toEqual([ticket.id]);
  const agent = await stores.agents.create({ displayName: 'Admin', email: 'admin@example.com', role: 'admin' });
  await stores.audit.record({ at: '2026-11-30T09:00:00.000Z', agentId: agent.id, action: 'tickets.read', ticketId: ticket.id, subjectId: null, sourceAddress: null, outcome: 'ok', code: null });
  expect(await stores.audit.list({ limit: 5 })).toHaveLength(1);
  await stores.directLine.createConversation({ id: 'conversation-factory-01', userId: 'dl_a' });
  expect(await stores.directLine.getTokenState('conversation-factory-01')).toMatchObject({ generation: 0 });
  expect(await stores.pendingOidcLogins.take('nothing')).toBeNull();
  expect((await stores.alerts('agents-channel').begin(new Date(0))).enabledAt).toBe(new Date(0).toISOString());
}

describe('store factory', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('chooses the backend from DATABASE_URL', () => {
    expect(storeBackendOf({ databaseUrl: undefined })).toBe('sqlite');
    expect(storeBackendOf({ databaseUrl: 'postgres://db.internal/bot' })).toBe('postgres');
  });

  it('without DATABASE_URL: SQLite under DATABASE_FILE, migrated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stores-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stores = await openStores({ databaseUrl: undefined, databaseFile: join(dir, 'bot.sqlite') });
    cleanups.push(() => stores.close());
    expect(stores.backend).toBe('sqlite');
    await exercise(stores);
  });

  describe.skipIf(skipPostgres())('with DATABASE_URL', () => {
    it('PostgreSQL, migrated; two instances opening at once on a fresh database both start', async () => {
      const schema = newSchemaName();
      await createSchema(schema);
      cleanups.push(() => dropSchema(schema));
      const config = { databaseUrl: TEST_DATABASE_URL, databaseFile: '/nonexistent/not-used.sqlite' };
      const [a, b] = await Promise.all([openStores(config, { schema }), openStores(config, { schema })]);
      cleanups.push(() => a.close(), () => b.close());
      expect([a.backend, b.backend]).toEqual(['postgres', 'postgres']);
      await exercise(a);
      // The other instance sees the same data.
      expect((await b.tickets.listQueue({}, { limit: 10 })).tickets).toHaveLength(1);
      expect(await b.agents.findByEmail('admin@example.com')).not.toBeNull();
    });
  });

  describe('DATABASE_URL in the configuration', () => {
    it('is accepted (the app runs on PostgreSQL) and selects the postgres backend', () => {
      const config = loadConfig({ DATABASE_URL: 'postgres://bot:s3cret-pw@db.internal:5432/bot' });
      expect(config.databaseUrl).toBe('postgres://bot:s3cret-pw@db.internal:5432/bot');
      expect(storeBackendOf(config)).toBe('postgres');
      expect(storeBackendOf(loadConfig({}))).toBe('sqlite');
    });

    it('is never echoed when invalid', () => {
      let error: unknown;
      try {
        loadConfig({ DATABASE_URL: 'mysql://bot:s3cret-pw@db.internal:5432/bot' });
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'config_invalid' });
      expect(String((error as Error).message)).not.toContain('s3cret');
    });

    it('must be a postgres:// URL', () => {
      expect(() => loadConfig({ DATABASE_URL: 'mysql://db/bot' })).toThrow(/DATABASE_URL: a postgres:\/\/ or postgresql:\/\/ URL/);
      expect(loadConfig({}).databaseUrl).toBeUndefined();
    });
  });
});
