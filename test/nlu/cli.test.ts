/**
 * `npm run classify`, run in process (runClassifyCli) for every case, and once through the real
 * script in a process of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClassifyCli } from '../../scripts/classify.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...args: string[]): Run {
  let stdout = '';
  let stderr = '';
  const status = runClassifyCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nlu-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function tsv(content: string): string {
  const file = join(dir, `data-${++files}.tsv`);
  writeFileSync(file, content);
  return file;
}

describe('npm run classify', () => {
  it('prints the classification of one text as JSON', () => {
    const r = run('--locale', 'ja', 'SMSからアプリに変えたい');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ intent: 'change_method', slots: { from: 'sms', to: 'app' }, locale: 'ja' });
    expect(out['confidence']).toEqual(expect.any(Number));
    expect(out['ranking']).toEqual(expect.any(Array));
  });

  it('scores a labelled file with accuracy per language and confusions', () => {
    const file = tsv('locale\tintent\ttext\nja\tapp_deleted\tアプリ消しちゃった\nen\tphone_lost\tmy phone was stolen\nen\tgreeting\ti lost my phone\n');
    const r = run('--file', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('accuracy ja: 100.0% (1/1)');
    expect(r.stdout).toContain('accuracy en: 50.0% (1/2)');
    expect(r.stdout).toMatch(/greeting → phone_lost: 1/);
  });

  it.each([
    [['--file', '/nonexistent/data.tsv'], /cannot read/],
    [['--locale', 'fr', 'hello'], /--locale must be ja or en/],
    [[], /no text given/],
    [['--bogus'], /Unknown option/],
  ])('exits 2 with a message on bad usage %j', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage:');
  });

  it('exits 2 naming the line of a malformed file', () => {
    const r = run('--file', tsv('ja\tapp_deleted\tok\nen\tnot_an_intent\thello\n'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/:2: unknown intent "not_an_intent"/);
  });

  // The one real process: the script wires argv, stdout, stderr and the exit code to runClassifyCli.
  it('works as `npm run classify` (scripts/classify.ts) in a process of its own, exit code 0 included', async () => {
    const script = (...args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/classify.ts', ...args], { cwd: root });
    // One process (it spends most of its time loading TypeScript): argv in, the model loaded, the
    // JSON on stdout, exit code 0 (execFile rejects on any other). The refusals and their exit
    // code 2 are runClassifyCli's, tested in process above.
    const ok = await script('--locale', 'en', 'I deleted the authenticator app');
    expect(JSON.parse(ok.stdout)).toMatchObject({ intent: 'app_deleted', locale: 'en' });
  }, 30_000);
});
