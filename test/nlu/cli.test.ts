import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/classify.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tsv(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nlu-cli-')), 'data.tsv');
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
  });

  it('exits 2 naming the line of a malformed file', () => {
    const r = run('--file', tsv('ja\tapp_deleted\tok\nen\tnot_an_intent\thello\n'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/:2: unknown intent "not_an_intent"/);
  });
});
