/** Shared set-up for the desk sign-in tests: a database with the desk's tables and a clock tests move. */
import { openDatabase, type SqliteDatabase } from '../../../src/storage/database.js';
import { deskAuthMigrations } from '../../../src/desk/agents/desk-auth-migrations.js';
import { SqliteAgentRepository } from '../../../src/desk/agents/sqlite-agent-repository.js';

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

/** A clock that stands still until told to move. */
export function testClock(start = '2026-11-30T09:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** An in-memory database with only the desk's migrations, and a repository on it. */
export function deskDb(clock: TestClock = testClock()): { db: SqliteDatabase; agents: SqliteAgentRepository; clock: TestClock } {
  const db = openDatabase(':memory:', deskAuthMigrations);
  return { db, agents: new SqliteAgentRepository(db, { now: clock.now }), clock };
}

/** Every value of every desk table, as one string (to look for secrets in). */
export function dumpDeskTables(db: SqliteDatabase): string {
  const tables = ['desk_agents', 'desk_api_tokens', 'desk_sessions', 'desk_oidc_logins'];
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join('\n');
}
