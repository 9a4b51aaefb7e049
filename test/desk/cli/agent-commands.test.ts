/**
 * The `agent` commands of `npm run desk`, run in-process on a temporary database file (and once
 * through the real script), as an administrator would use them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from '../../../src/app.js';
import { PostgresAgentRepository } from '../../../src/desk/agents/postgres-agent-repository.js';
import { openMigratedPostgres } from '../../../src/storage/postgres/index.js';
import { skipPostgres, TEST_DATABASE_URL, usePostgresSchema } from '../../helpers/postgres.js';
import { SqliteAgentRepository } from '../../../src/desk/agents/sqlite-agent-repository.js';
import { createApiTokens } from '../../../src/desk/auth/api-tokens.js';
import { createDeskAuthenticator } from '../../../src/desk/auth/authenticator.js';
import { createDeskSessions } from '../../../src/desk/auth/desk-sessions.js';
import { runDeskCli } from '../../../src/desk/cli/main.js';
import { openDatabase } from '../../../src/storage/database.js';

let dir: string;
let dbFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'desk-cli-'));
  dbFile = join(dir, 'data', 'bot.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function desk(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runDeskCli(argv, {
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    env: { DATABASE_FILE: dbFile },
    openDatabase: (file) => openDatabase(file, ALL_MIGRATIONS),
    openPostgres: () => Promise.reject(new Error('DATABASE_URL is not set in these tests')),
  });
  return { code, out, err };
}

const tokenOf = (run: Run): string => /^token: (tfa_\S+)$/m.exec(run.out)?.[1] ?? '';

const ADD_SUPERVISOR = ['agent', 'add', '--name', 'Desk Supervisor', '--email', 'Supervisor@Example.com', '--role', 'supervisor'];

/** Whether `secret` authenticates as a bearer token against the database, and as whom. */
async function whoIs(secret: string) {
  const db = openDatabase(dbFile, ALL_MIGRATIONS);
  try {
    const agents = new SqliteAgentRepository(db);
    const auth = createDeskAuthenticator({
      tokens: createApiTokens({ agents }),
      sessions: createDeskSessions({ agents, idleMinutes: 30, maxHours: 12 }),
      publicBaseUrl: 'http://127.0.0.1:3978',
    });
    const result = await auth.tryAuthenticate({ method: 'GET', header: (n) => (n === 'authorization' ? `Bearer ${secret}` : undefined) });
    return result ? { email: result.agent.email, role: result.agent.role } : null;
  } finally {
    db.close();
  }
}

describe('desk agent commands', () => {
  it('with DATABASE_URL set, use PostgreSQL, never DATABASE_FILE; a server that cannot be reached is refused (exit 1) without echoing the URL', async () => {
    let out = '';
    let err = '';
    let opened = false;
    const code = await runDeskCli(['agent', 'list'], {
      io: { out: (t) => (out += t), err: (t) => (err += t) },
      env: { DATABASE_FILE: dbFile, DATABASE_URL: 'postgres://bot:s3cret-pw@127.0.0.1:1/bot' },
      openDatabase: (file) => {
        opened = true;
        return openDatabase(file, ALL_MIGRATIONS);
      },
      openPostgres: (url) => openMigratedPostgres(url, ALL_POSTGRES_MIGRATIONS, 'desk-cli-test'),
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^desk: cannot open the PostgreSQL database of DATABASE_URL: /);
    expect(err).not.toContain('s3cret');
    expect(opened).toBe(false);
    expect(existsSync(dbFile)).toBe(false);
  });

  it('adds the first agent of a fresh installation and prints a token, once, that authenticates', async () => {
    const run = await desk(...ADD_SUPERVISOR);
    expect(run.code).toBe(0);
    expect(run.out).toContain('agent added: agt_');
    const secret = tokenOf(run);
    expect(secret).toMatch(/^tfa_[A-Za-z0-9_-]{43}$/);
    expect(run.out.split(secret)).toHaveLength(2);
    expect(await whoIs(secret)).toEqual({ email: 'supervisor@example.com', role: 'supervisor' });
  });

  it('refuses a second agent with the same e-mail (exit 1) and bad input (exit 2)', async () => {
    await desk(...ADD_SUPERVISOR);
    const again = await desk(...ADD_SUPERVISOR);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
    expect(again.out).not.toContain('token:');
    const badEmail = await desk('agent', 'add', '--name', 'X', '--email', 'not-an-email', '--role', 'agent');
    expect(badEmail.code).toBe(2);
    expect(badEmail.err).toContain('email');
    const badRole = await desk('agent', 'add', '--name', 'X', '--email', 'x@example.com', '--role', 'root');
    expect(badRole.code).toBe(2);
    const noRole = await desk('agent', 'add', '--name', 'X', '--email', 'x@example.com');
    expect(noRole.code).toBe(2);
    expect(noRole.err).toContain('--role is required');
    expect((await desk('agent', 'list')).out).not.toContain('x@example.com');
  });

  it('lists agents as a table and as JSON, without any secret', async () => {
    const added = await desk(...ADD_SUPERVISOR);
    const table = await desk('agent', 'list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/supervisor@example\.com\s+supervisor\s+yes/);
    const json = await desk('agent', 'list', '--json');
    expect(JSON.parse(json.out)).toEqual([expect.objectContaining({ email: 'supervisor@example.com', role: 'supervisor', active: true })]);
    expect(table.out + json.out).not.toContain(tokenOf(added).slice(8));
  });

  it('creates, lists and revokes tokens', async () => {
    await desk(...ADD_SUPERVISOR);
    const created = await desk('agent', 'token', 'create', '--email', 'supervisor@example.com', '--label', 'export script', '--expires-days', '7');
    expect(created.code).toBe(0);
    const secret = tokenOf(created);
    expect(await whoIs(secret)).not.toBeNull();
    const listed = await desk('agent', 'token', 'list', '--email', 'supervisor@example.com');
    expect(listed.out).toMatch(/export script\s+active/);
    expect(listed.out).toContain(`${secret.slice(0, 8)}…`);
    expect(listed.out).not.toContain(secret);
    const tokenId = /(tok_[0-9a-f]{12})\s+\S+\s+export script/.exec(listed.out)?.[1] ?? '';
    const revoked = await desk('agent', 'token', 'revoke', tokenId);
    expect(revoked.code).toBe(0);
    expect(await whoIs(secret)).toBeNull();
    expect((await desk('agent', 'token', 'list', '--email', 'supervisor@example.com')).out).toMatch(/export script\s+revoked/);
    expect((await desk('agent', 'token', 'revoke', 'tok_000000000000')).code).toBe(1);
    expect((await desk('agent', 'token', 'create', '--email', 'nobody@example.com')).code).toBe(1);
    expect((await desk('agent', 'token', 'create', '--email', 'supervisor@example.com', '--expires-days', '0')).code).toBe(2);
  });

  it('disables and enables an agent, and changes the role', async () => {
    const secret = tokenOf(await desk(...ADD_SUPERVISOR));
    expect((await desk('agent', 'disable', '--email', 'supervisor@example.com')).code).toBe(0);
    expect(await whoIs(secret)).toBeNull();
    expect((await desk('agent', 'list')).out).toMatch(/supervisor\s+no/);
    expect((await desk('agent', 'enable', '--email', 'supervisor@example.com')).code).toBe(0);
    expect((await desk('agent', 'role', '--email', 'supervisor@example.com', '--role', 'admin')).code).toBe(0);
    expect(await whoIs(secret)).toEqual({ email: 'supervisor@example.com', role: 'admin' });
    expect((await desk('agent', 'role', '--email', 'supervisor@example.com', '--role', 'boss')).code).toBe(2);
  });

  it('answers bad usage with the usage text and exit 2', async () => {
    for (const argv of [[], ['tickets'], ['agent'], ['agent', 'frobnicate'], ['agent', 'list', '--bogus'], ['agent', 'token', 'revoke']]) {
      const run = await desk(...argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err, argv.join(' ')).toContain('usage: npm run desk --');
    }
    expect((await desk('--help')).code).toBe(0);
  });

  it('does not create a database for anything but "agent add"', async () => {
    const run = await desk('agent', 'list');
    expect(run.code).toBe(1);
    expect(run.err).toContain('no database at');
    expect(existsSync(dbFile)).toBe(false);
  });

  // One real process (about 2 s: the script loads the app's migrations); every other case runs in-process.
  it('works as `npm run desk` (scripts/desk.ts) in a process of its own', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/desk.ts', ...ADD_SUPERVISOR], {
      cwd: root,
      env: { ...process.env, DATABASE_FILE: dbFile },
    });
    expect(await whoIs(/^token: (\S+)$/m.exec(stdout)?.[1] ?? '')).toEqual({ email: 'supervisor@example.com', role: 'supervisor' });
  });
});

describe.skipIf(skipPostgres())('desk agent commands on PostgreSQL (DATABASE_URL set)', () => {
  const pg = usePostgresSchema(ALL_POSTGRES_MIGRATIONS);

  async function deskOnPostgres(...argv: string[]): Promise<Run> {
    let out = '';
    let err = '';
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-csearch_path=${pg.schema}`)}`;
    const code = await runDeskCli(argv, {
      io: { out: (t) => (out += t), err: (t) => (err += t) },
      env: { DATABASE_FILE: dbFile, DATABASE_URL: url },
      openDatabase: () => {
        throw new Error('DATABASE_FILE must not be opened while DATABASE_URL is set');
      },
      openPostgres: (u) => openMigratedPostgres(u, ALL_POSTGRES_MIGRATIONS, 'desk-cli-test'),
    });
    return { code, out, err };
  }

  it('adds the first administrator in the shared database, whose token the app (any instance) accepts', async () => {
    const added = await deskOnPostgres('agent', 'add', '--name', 'First Admin', '--email', 'admin@example.com', '--role', 'admin');
    expect([added.code, added.err]).toEqual([0, '']);
    const secret = tokenOf(added);
    expect(secret).toMatch(/^tfa_/);
    expect((await deskOnPostgres('agent', 'list')).out).toMatch(/admin@example\.com\s+.*admin/);
    const agents = new PostgresAgentRepository(pg.pool);
    const auth = createDeskAuthenticator({
      tokens: createApiTokens({ agents }),
      sessions: createDeskSessions({ agents, idleMinutes: 30, maxHours: 12 }),
      publicBaseUrl: 'http://127.0.0.1:3978',
    });
    const result = await auth.tryAuthenticate({ method: 'GET', header: (n) => (n === 'authorization' ? `Bearer ${secret}` : undefined) });
    expect(result?.agent.email).toBe('admin@example.com');
    const again = await deskOnPostgres('agent', 'add', '--name', 'Twice', '--email', 'ADMIN@example.com', '--role', 'agent');
    expect(again.code).not.toBe(0);
    expect(existsSync(dbFile)).toBe(false);
  });
});
