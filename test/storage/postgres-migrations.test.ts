/**
 * PostgreSQL migrations: applied once, recorded under their own ids, and safe when several
 * instances start at once on a fresh database (the advisory lock makes the others wait).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPgMigrations, appliedPgMigrations, type PgPool } from '../../src/storage/postgres/index.js';
import { createSchema, dropSchema, newSchemaName, poolIn, skipPostgres } from '../helpers/postgres.js';
import { postgresTicketMigrations } from '../../src/tickets/postgres-ticket-migrations.js';
import { POSTGRES_STORE_MIGRATIONS as ALL } from '../../src/stores/postgres-stores.js';

describe.skipIf(skipPostgres())('PostgreSQL migrations', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function freshSchema(instances: number): Promise<{ schema: string; pools: PgPool[] }> {
    const schema = newSchemaName();
    await createSchema(schema);
    cleanups.push(() => dropSchema(schema));
    const pools = Array.from({ length: instances }, () => poolIn(schema, 2));
    for (const p of pools) cleanups.push(() => p.end());
    return { schema, pools };
  }

  it('four instances starting at once on a fresh schema: each migration applied exactly once', async () => {
    const { pools } = await freshSchema(4);
    const applied = await Promise.all(pools.map((p) => applyPgMigrations(p, ALL)));
    // One instance applied everything; the others waited for its lock, then found nothing to do.
    expect(applied.map((ids) => ids.length).sort()).toEqual([0, 0, 0, ALL.length]);
    expect(await appliedPgMigrations(pools[0]!)).toEqual(ALL.map((m) => m.id));
    expect((await pools[1]!.query('SELECT count(*)::int AS n FROM ticket_status_counts')).rows[0]).toEqual({ n: expect.any(Number) });
  });

  it('applies only what is new at the next start', async () => {
    const { pools } = await freshSchema(1);
    const pool = pools[0]!;
    expect(await applyPgMigrations(pool, postgresTicketMigrations)).toEqual(['pg-tickets-001']);
    expect(await applyPgMigrations(pool, ALL)).toEqual(ALL.slice(postgresTicketMigrations.length).map((m) => m.id));
    expect(await applyPgMigrations(pool, ALL)).toEqual([]);
  });

  it('a failing migration rolls back every migration of that start, and refuses duplicate ids', async () => {
    const { pools } = await freshSchema(1);
    const pool = pools[0]!;
    const broken = [...postgresTicketMigrations, { id: 'pg-broken-001', sql: 'SELECT * FROM no_such_table' }];
    await expect(applyPgMigrations(pool, broken)).rejects.toThrow(/no_such_table/);
    expect((await pool.query("SELECT to_regclass('tickets') AS t")).rows[0]).toEqual({ t: null });
    await expect(applyPgMigrations(pool, [...ALL, ALL[0]!])).rejects.toThrow(/duplicate migration id/);
  });
});
