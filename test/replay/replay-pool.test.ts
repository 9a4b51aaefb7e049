import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTranscriptFiles, replayFiles, Replayer, ReplayPool, splitTurns, summaryLine, type RunSummary } from '../../src/replay/index.js';
import { parseTranscript, readTranscriptFile, serializeTranscript } from '../../src/transcripts/index.js';

const DIR = fileURLToPath(new URL('../transcripts', import.meta.url));
const GOLDEN = join(DIR, 'en--smsNotReceived.notWorked.worked.transcript');
const run = promisify(execFile);

/** A folder with passing transcripts, one that differs at turn 2 and one that is not a transcript. */
function fixtureFolder(): { dir: string; altered: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-replay-pool-'));
  const golden = findTranscriptFiles([DIR]).slice(0, 8);
  golden.forEach((f, i) => copyFileSync(f, join(dir, `${String(i).padStart(2, '0')}.transcript`)));
  const activities = parseTranscript(readFileSync(GOLDEN, 'utf8'), GOLDEN);
  splitTurns(activities).turns[1]!.expected[0]!.text = 'Outdated text';
  const altered = join(dir, '03a-altered.transcript');
  writeFileSync(altered, serializeTranscript(activities));
  writeFileSync(join(dir, '05a-broken.transcript'), 'not JSON');
  return { dir, altered };
}

/** What a run shows and decides, without timings. */
const shown = (s: RunSummary) => ({
  results: s.results.map((r) => ({ name: r.name, passed: r.passed, turns: r.turns, error: r.error, difference: r.difference })),
  summary: summaryLine(s),
  updated: s.updated,
});

describe('ReplayPool (worker threads)', { timeout: 60_000 }, () => {
  let pool: ReplayPool;
  let replayer: Replayer;
  let folder: { dir: string; altered: string };
  beforeAll(() => {
    pool = new ReplayPool({ size: 3 });
    replayer = Replayer.create();
    folder = fixtureFolder();
  });
  afterAll(async () => {
    await pool.close();
    replayer.close();
    rmSync(folder.dir, { recursive: true, force: true });
  });

  it('prints the same lines in file order and returns the same results as one thread', async () => {
    const files = findTranscriptFiles([folder.dir]);
    const seqLines: string[] = [];
    const poolLines: string[] = [];
    const ticks: string[] = [];
    const progress = (lines: string[], onTick?: (f: string) => void) => ({
      tick: (f: string) => onTick?.(f),
      log: (l: string) => lines.push(l),
      stop: () => undefined,
    });
    const sequential = await replayFiles(replayer, files, { progress: progress(seqLines) });
    const parallel = await pool.run(files, { progress: progress(poolLines, (f) => ticks.push(f)) });
    expect(summaryLine(sequential)).toBe('8 passed, 2 failed');
    expect(shown(parallel)).toEqual(shown(sequential));
    expect(poolLines).toEqual(seqLines);
    expect(ticks).toEqual(files);
    expect(poolLines.filter((l) => l.startsWith('FAIL') || l.startsWith('ERROR'))).toHaveLength(2);
    // The broken file is named once, then what is wrong with it.
    const broken = poolLines.find((l) => l.startsWith('ERROR'))!;
    expect(broken).toMatch(/^ERROR \S+05a-broken\.transcript: not JSON \(/);
  });

  it('re-records a differing transcript with --update, as one thread does', async () => {
    const lines: string[] = [];
    const summary = await pool.run([GOLDEN, folder.altered], {
      update: true,
      progress: { tick: () => undefined, log: (l) => lines.push(l), stop: () => undefined },
    });
    expect(summary.updated).toEqual([folder.altered]);
    expect(lines).toEqual([`PASS ${GOLDEN} (4 turns)`, `UPDATED ${folder.altered} (turn 2 differed)`]);
    expect(JSON.stringify(await readTranscriptFile(folder.altered))).not.toContain('Outdated text');
    expect((await replayer.replay(await readTranscriptFile(folder.altered), 'rewritten')).passed).toBe(true);
  });
});

describe('npm run replay --workers (CLI)', { timeout: 90_000 }, () => {
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', ...args]).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  it('gives the same output, JUnit counts and exit code on one thread and on several', async () => {
    const { dir } = fixtureFolder();
    const one = await cli([dir, '--workers', '1', '--junit', join(dir, 'one.xml')]);
    const three = await cli([dir, '--workers', '3', '--junit', join(dir, 'three.xml')]);
    const auto = await cli([dir, '--workers', 'auto']);
    expect(one.code).toBe(1);
    expect(three.code).toBe(1);
    expect(three.stdout).toBe(one.stdout);
    expect(auto).toMatchObject({ code: 1, stdout: one.stdout });
    expect(one.stdout.trimEnd().split('\n').at(-1)).toBe('8 passed, 2 failed');
    const counts = (f: string) => /tests="\d+" failures="\d+" errors="\d+"/.exec(readFileSync(join(dir, f), 'utf8'))?.[0];
    expect(counts('three.xml')).toBe('tests="10" failures="1" errors="1"');
    expect(counts('three.xml')).toBe(counts('one.xml'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a worker count that is not auto or a whole number from 1 (exit 2)', async () => {
    for (const workers of ['0', 'two']) {
      const bad = await cli([GOLDEN, '--workers', workers]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--workers');
    }
  });
});
