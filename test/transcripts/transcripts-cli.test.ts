/**
 * `npm run transcripts`, run in process on temporary database files as a QA engineer would use
 * it (and once through the real script): it names the database it read, says so when that holds
 * no conversations, and refuses a database file that is not there.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS, createBotServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { goldenScripts, recordScript, Replayer } from '../../src/replay/index.js';
import { openDatabase } from '../../src/storage/database.js';
import { parseTranscript, transcriptsFileOf } from '../../src/transcripts/index.js';
import { runTranscriptsCli } from '../../scripts/transcripts.js';
import { ALL_POSTGRES_MIGRATIONS } from '../../src/app.js';
import { PostgresTranscriptLog } from '../../src/transcripts/index.js';
import { skipPostgres, TEST_DATABASE_URL, usePostgresSchema } from '../helpers/postgres.js';

const run = promisify(execFile);

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

let dir: string;
/** A database with one recorded conversation (emulator channel), and an empty one. */
let recorded: string;
let empty: string;
let conversationId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tfa-transcripts-cli-'));
  recorded = join(dir, 'recorded.sqlite');
  empty = join(dir, 'empty', 'bot.sqlite');
  const services = createBotServices(loadConfig({ DATABASE_FILE: recorded, LOG_LEVEL: 'silent' }), silentLogger);
  await recordScript(new Replayer(services), goldenScripts().find((s) => s.name === 'en--lockout.yes')!);
  conversationId = services.transcripts.summaries()[0]!.conversationId;
  services.close();
  mkdirSync(join(dir, 'empty'));
  openDatabase(empty, ALL_MIGRATIONS).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The line on stderr that names both files a SQLite store reads (the main one, the transcripts' own). */
const reading = (file: string, note = ''): string => `transcripts: reading ${file} (DATABASE_FILE), transcripts in ${transcriptsFileOf(file)}${note}\n`;

async function transcripts(databaseFile: string, ...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runTranscriptsCli(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { DATABASE_FILE: databaseFile, LOG_LEVEL: 'silent' },
    cwd: dir,
  });
  return { code, out, err };
}

describe('npm run transcripts names the database it reads', () => {
  it('lists the conversations of the database, naming it by its absolute path on stderr (stdout stays the table)', async () => {
    const r = await transcripts('recorded.sqlite', 'list');
    expect(r.code).toBe(0);
    expect(r.err).toBe(reading(recorded));
    const [header, row, ...more] = r.out.trim().split('\n');
    expect(header).toMatch(/^CONVERSATION\s+CHANNEL\s+FIRST ACTIVITY\s+LAST ACTIVITY\s+ACTIVITIES$/);
    expect(row).toMatch(new RegExp(`^${conversationId}\\s+emulator\\s+\\S+Z\\s+\\S+Z\\s+\\d+$`));
    expect(more).toEqual([]);
  });

  it('says plainly that a database holds no conversations, with its path, and exits 0', async () => {
    const r = await transcripts(empty, 'list');
    expect(r).toEqual({ code: 0, out: `no conversations recorded in ${empty}\n`, err: reading(empty, ' (not there: none recorded yet)') });
    // A read leaves the disk as it found it: no empty transcripts file appears.
    expect(existsSync(transcriptsFileOf(empty))).toBe(false);
  });

  it('tells an empty channel from an empty database', async () => {
    const r = await transcripts(recorded, 'list', '--channel', 'msteams');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`no conversations on channel msteams in ${recorded} (1 on other channels: emulator)\n`);
  });

  it('exports a conversation; an unknown one exits 1 naming the database, and whether it is empty', async () => {
    const out = join(dir, 'export.transcript');
    const r = await transcripts(recorded, 'export', conversationId, '--out', 'export.transcript');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`^transcripts: reading ${recorded} \\(DATABASE_FILE\\), transcripts in ${transcriptsFileOf(recorded)}\\nwrote \\d+ activities of emulator/${conversationId} to export\\.transcript\\n$`));
    expect(parseTranscript(readFileSync(out, 'utf8'))[0]).toMatchObject({ type: 'conversationUpdate', channelId: 'emulator' });

    const unwritable = await transcripts(recorded, 'export', conversationId, '--out', 'no-such-folder/x.transcript');
    expect([unwritable.code, unwritable.out]).toEqual([2, '']);
    expect(unwritable.err).toContain('transcripts: cannot write no-such-folder/x.transcript: ENOENT\n');

    const toStdout = await transcripts(recorded, 'export', conversationId);
    expect(parseTranscript(toStdout.out)).toEqual(parseTranscript(readFileSync(out, 'utf8')));

    const unknown = await transcripts(recorded, 'export', 'no-such-conversation');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain(`transcripts: no transcript for conversation no-such-conversation in ${recorded}\n`);
    const fromEmpty = await transcripts(empty, 'export', 'no-such-conversation');
    expect(fromEmpty.code).toBe(1);
    expect(fromEmpty.err).toContain(`no transcript for conversation no-such-conversation in ${empty} (it holds no conversations)\n`);
  });

  it('refuses a database file that is not there (exit 2), without creating it or its folder', async () => {
    const r = await transcripts('typo/bot.sqlite', 'list');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^transcripts: no database at ${join(dir, 'typo', 'bot.sqlite')} \\(DATABASE_FILE\\)\\nusage:`));
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('checks the command and --days before touching the database', async () => {
    const unknown = await transcripts(join(dir, 'not-there.sqlite'), 'lsit');
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([2, 'transcripts: unknown command lsit']);
    for (const days of ['--days=', '--days=1e1', '--days=-1']) {
      const refused = await transcripts(recorded, 'purge', days);
      expect(refused.code, days).toBe(2);
      expect(refused.err).toMatch(/--days must be a whole number of days/);
    }
    expect((await transcripts(recorded, 'list')).out).toContain(conversationId);
  });
});

describe('npm run transcripts (the real script, once)', { timeout: 60_000 }, () => {
  it('reads DATABASE_FILE from the environment, names it, and purges by the retention period', async () => {
    const copy = join(dir, 'purge.sqlite');
    // A copy is both files: the main database and the transcripts' own beside it.
    for (const [from, to] of [[recorded, copy], [transcriptsFileOf(recorded), transcriptsFileOf(copy)]] as const) {
      const db = openDatabase(from, []);
      await db.backup(to);
      db.close();
    }
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/transcripts.ts', 'purge', '--days', '0'], {
      env: { ...process.env, DATABASE_FILE: copy, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    });
    expect(stderr).toBe(reading(copy));
    expect(stdout).toMatch(/^deleted \d+ activities older than .+ \(0 days\); 1 transcripts removed entirely\n$/);
    expect((await transcripts(copy, 'list')).out).toBe(`no conversations recorded in ${copy}\n`);
  });
});

describe.skipIf(skipPostgres())('npm run transcripts on PostgreSQL (DATABASE_URL set)', () => {
  const db = usePostgresSchema(ALL_POSTGRES_MIGRATIONS);
  const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);

  async function transcriptsOnPostgres(...argv: string[]): Promise<Run> {
    let out = '';
    let err = '';
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-csearch_path=${db.schema}`)}`;
    const code = await runTranscriptsCli(argv, {
      out: (t) => (out += t),
      err: (t) => (err += t),
      env: { DATABASE_URL: url, DATABASE_FILE: 'not-read.sqlite', LOG_LEVEL: 'silent' },
      cwd: dir,
    });
    return { code, out, err };
  }

  async function record(conversation: string, texts: readonly string[], at: Date): Promise<void> {
    const log = new PostgresTranscriptLog(db.pool);
    for (const [i, text] of texts.entries()) {
      await log.append({
        type: 'message',
        id: `${conversation}-${i}`,
        channelId: 'msteams',
        conversation: { id: conversation },
        from: { id: i % 2 === 0 ? 'user-1' : 'bot', role: i % 2 === 0 ? 'user' : 'bot' },
        text,
        timestamp: new Date(at.getTime() + i * 1000).toISOString(),
      });
    }
    await log.drain();
  }

  it('lists, exports and purges what the app wrote to PostgreSQL, naming the server but never its user', async () => {
    await record('pg-recent', ['hello', 'こんにちは'], new Date());
    await record('pg-old', ['old'], old);
    const listed = await transcriptsOnPostgres('list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/pg-old\s+msteams[\s\S]*pg-recent\s+msteams/);
    expect(listed.err).toMatch(/^transcripts: reading PostgreSQL 127\.0\.0\.1:5432\/test \(DATABASE_URL\)/);
    expect(listed.err).not.toContain('postgres@');
    expect(existsSync(join(dir, 'not-read.sqlite'))).toBe(false);

    const exported = await transcriptsOnPostgres('export', 'pg-recent');
    expect(exported.code).toBe(0);
    expect(parseTranscript(exported.out).map((a) => a.text)).toEqual(['hello', 'こんにちは']);

    const purged = await transcriptsOnPostgres('purge', '--days', '30');
    expect(purged.out).toMatch(/^deleted 1 activities older than .* \(30 days\); 1 transcripts removed entirely/);
    expect((await transcriptsOnPostgres('list')).out).not.toContain('pg-old');
    const missing = await transcriptsOnPostgres('export', 'pg-old');
    expect([missing.code, missing.err]).toEqual([1, expect.stringMatching(/no transcript for conversation pg-old in PostgreSQL/)]);
  });
});
