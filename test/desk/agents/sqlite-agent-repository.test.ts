import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../../../src/app.js';
import { SqliteAgentRepository } from '../../../src/desk/agents/sqlite-agent-repository.js';
import { openDatabase } from '../../../src/storage/database.js';
import { deskDb, testClock } from '../helpers/desk-fixtures.js';
import { agentRepositoryContract } from './agent-repository.contract.js';

agentRepositoryContract('SQLite', () => {
  const clock = testClock();
  return { agents: deskDb(clock).agents, advance: clock.advance };
});

describe('SqliteAgentRepository', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps agents in the database file across a restart, with the app\'s full migration list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-agents-'));
    dirs.push(dir);
    const file = join(dir, 'bot.sqlite');
    const first = openDatabase(file, ALL_MIGRATIONS);
    const created = await new SqliteAgentRepository(first).create({ displayName: 'Admin', email: 'admin@example.com', role: 'admin' });
    first.close();
    const again = openDatabase(file, ALL_MIGRATIONS);
    expect(await new SqliteAgentRepository(again).findByEmail('admin@example.com')).toEqual(created);
    again.close();
  });
});
