/**
 * `npm run report`: arguments, the three formats and the errors, through the script's main function
 * on a seeded SQLite file, and once as a child process (exit codes, stdout and stderr apart).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReportScript } from '../../scripts/report.js';
import { SqliteAnalyticsStore } from '../../src/analytics/sqlite-analytics-store.js';
import { parseReportArgs, ReportArgsError } from '../../src/analytics/report-cli.js';
import type { Report } from '../../src/analytics/report.js';
import { ALL_MIGRATIONS } from '../../src/app-foundation.js';
import { openDatabase } from '../../src/storage/database.js';
import { SqliteTicketRepository } from '../../src/tickets/sqlite-ticket-repository.js';
import { NOW, seedSessions, seedTickets, SINCE, TYPED_EMAIL, TYPED_PHONE } from './report-data.js';

const SINCE_ARG = SINCE.toISOString();

const run = promisify(execFile);

describe('report arguments', () => {
  const now = new Date('2026-11-30T12:00:00.000Z');

  it('reads durations and dates, with defaults', () => {
    expect(parseReportArgs(['--since', '7d'], now)).toEqual({ query: { since: new Date('2026-11-23T12:00:00.000Z'), until: now }, format: 'table' });
    expect(parseReportArgs(['--since=24h', '--format=json', '--language', 'en', '--channel', 'msteams'], now)).toEqual({
      query: { since: new Date('2026-11-29T12:00:00.000Z'), until: now, language: 'en', channel: 'msteams' },
      format: 'json',
    });
    expect(parseReportArgs(['--since', '2026-11-01', '--until', '2026-11-02T09:30:00+09:00', '--format', 'csv'], now).query).toEqual({
      since: new Date('2026-11-01T00:00:00.000Z'),
      until: new Date('2026-11-02T00:30:00.000Z'),
    });
    expect(parseReportArgs(['--since', '2w', '--until', '30m'], now).query.until).toEqual(new Date('2026-11-30T11:30:00.000Z'));
  });

  it.each([
    [[], /--since is required/],
    [['--since'], /--since needs a value/],
    [['--since', '--format', 'csv'], /--since needs a value/],
    [['--since', 'yesterday'], /"yesterday" is neither a duration/],
    [['--since', '2026-13-45'], /neither a duration/],
    [['--since', '7d', '--format', 'xml'], /--format: "xml" is not one of table, csv, json/],
    [['--since', '7d', '--language', 'fr'], /"fr" is not ja or en/],
    [['--since', '7d', '--channel', 'a b;c'], /is not a channel id/],
    [['--since', '1d', '--until', '2d'], /--until must be after --since/],
    [['--since', '400d'], /at most 366 days/],
    [['--since', '7d', '--since', '1d'], /given twice/],
    [['--since', '7d', 'extra'], /unknown argument "extra"/],
    [['--sinse', '7d'], /unknown argument "--sinse"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseReportArgs(argv, now)).toThrow(ReportArgsError);
    expect(() => parseReportArgs(argv, now)).toThrow(message);
  });
});

describe('npm run report on a seeded database', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const file = join(dir, 'bot.sqlite');
    const db = openDatabase(file, ALL_MIGRATIONS);
    await seedSessions(new SqliteAnalyticsStore(db));
    await seedTickets(new SqliteTicketRepository(db));
    db.close();
    env = { DATABASE_FILE: file, ABANDON_AFTER_MINUTES: '30', VERIFICATION_SLA_HOURS: '48' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function main(argv: string[], overrides: NodeJS.ProcessEnv = {}) {
    let out = '';
    let err = '';
    const code = await runReportScript(argv, { out: (t) => (out += t), err: (t) => (err += t), env: { ...env, ...overrides }, now: () => NOW });
    return { code, out, err };
  }

  it('json is the Report, the same figures as the service', async () => {
    const { code, out, err } = await main(['--since', SINCE_ARG, '--format', 'json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expect(report.outcomes).toEqual({ resolved: 2, handoff: 2, out_of_scope: 1, abandoned: 4, open: 2 });
    expect(report.ticketWaiting).toMatchObject({ opened: 7, decidedWithinSla: 3, medianHours: 10, p90Hours: 72 });
    expect(report.query.abandonAfterMinutes).toBe(30);
  });

  it('the table reads in a terminal: sections, labels, step titles in English, no control characters', async () => {
    const { code, out } = await main(['--since', SINCE_ARG]);
    expect(code).toBe(0);
    for (const heading of ['Outcomes (11 conversations)', 'Containment (resolved ÷ finished): 22.2%', 'Handoffs by reason', 'Where customers give up', 'Step traffic', 'Satisfaction', 'Ticket waiting times (first agent decision, SLA 48 h)', 'By language', 'By channel', 'Messages the bot did not understand']) {
      expect(out).toContain(heading);
    }
    // A step id with its title from the English tree labels.
    expect(out).toMatch(/^\s+11\s+0\s+mainMenu — \S.+$/m);
    expect(out).toMatch(/^\s+abandoned\s+4\s+36\.4%$/m);
    expect(out).toMatch(/^\s+2\s+codeRejectedExpired — .+$/m);
    expect(out).toContain('opened 7 · decided within SLA 3 · decided over SLA 1 · still waiting 2 (1 over SLA)');
    expect(out).toContain('median 10 h · 90th percentile 72 h');
    expect(out).toMatch(/^\s+en\s+0\s+2\s+0\s+1\s+0$/m);
    // eslint-disable-next-line no-control-regex
    expect(out.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f]/);
  });

  it('csv: one section per figure, a header row each', async () => {
    const { code, out } = await main(['--since', SINCE_ARG, '--format', 'csv', '--language', 'en']);
    expect(code).toBe(0);
    expect(out.startsWith('\uFEFF')).toBe(true);
    const sections = out.slice(1).trimEnd().split('\r\n\r\n').map((s) => s.split('\r\n'));
    expect(sections.map((s) => s[0])).toEqual([
      'query',
      'outcomes',
      'containmentRate',
      'handoffsByReason',
      'abandonmentByStep',
      'stepTraffic',
      'satisfaction',
      'ratings',
      'ticketWaiting',
      'byLanguage',
      'byChannel',
      'notUnderstood',
    ]);
    expect(sections[1]).toEqual(['outcomes', 'outcome,count', 'resolved,0', 'handoff,2', 'out_of_scope,0', 'abandoned,1', 'open,0']);
    expect(sections[0]![2]).toMatch(/,en,,30$/);
  });

  it('no personal data in any format', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const { out } = await main(['--since', SINCE_ARG, '--format', format]);
      for (const needle of [TYPED_PHONE, TYPED_EMAIL, 'user-1', 'conversations/']) expect(out).not.toContain(needle);
    }
  });

  it('bad arguments: the reason and the usage on stderr, exit 2, nothing opened', async () => {
    const { code, out, err } = await main(['--since', 'soon'], { DATABASE_FILE: join(dir, 'never-created.sqlite') });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('report: --since: "soon" is neither a duration');
    expect(err).toContain('Usage: npm run report -- --since <when>');
  });

  it('a missing database: a clear error, exit 1, no file created', async () => {
    const missing = join(dir, 'missing.sqlite');
    const { code, err } = await main(['--since', '7d'], { DATABASE_FILE: missing });
    expect(code).toBe(1);
    expect(err).toContain(`no database at DATABASE_FILE (${missing})`);
    expect((await import('node:fs')).existsSync(missing)).toBe(false);
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, out } = await main(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('--format    table (default, for a terminal)');
  });

  it('as a child process: the report on stdout, exit code 0', async () => {
    const script = join(process.cwd(), 'scripts', 'report.ts');
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, '--since', SINCE_ARG, '--until', NOW.toISOString(), '--format', 'json'], { env: { ...process.env, ...env } });
    expect(stderr).toBe('');
    expect((JSON.parse(stdout) as Report).ticketWaiting.opened).toBe(7);
  }, 60_000);
});
