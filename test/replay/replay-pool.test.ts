/**
 * The worker pool behind `npm run replay -- --workers N`: real worker threads, so one small pool
 * for the whole file (each worker starts a bot of its own, a second or two of CPU), reused by
 * every test, the CLI's included (runReplayCli in process, given this pool instead of a new one).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplayCli, type ReplayCliIo, type ReplayWorkers } from '../../scripts/replay.js';
import { findTranscriptFiles, replayFiles, Replayer, ReplayPool, splitTurns, summaryLine, type RunSummary } from '../../src/replay/index.js';
import { parseTranscript, readTranscriptFile, serializeTranscript } from '../../src/transcripts/index.js';

const DIR = fileURLToPath(new URL('../transcripts', import.meta.url));
const GOLDEN = join(DIR, 'en--smsNotReceived.notArrived.arrived.solved.transcript');

/** A folder with passing transcripts, one that differs at turn 2 and one that is not a transcript. */
function fixtureFolder(): { dir: string; altered: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-replay-pool-'));
  const golden = findTranscriptFiles([DIR]).slice(0, 4);
  golden.forEach((f, i) => copyFileSync(f, join(dir, `${String(i).padStart(2, '0')}.transcript`)));
  const activities = parseTranscript(readFileSync(GOLDEN, 'utf8'), GOLDEN);
  splitTurns(activities).turns[1]!.expected[0]!.text = 'Outdated text';
  const altered = join(dir, '01a-altered.transcript');
  writeFileSync(altered, serializeTranscript(activities));
  writeFileSync(join(dir, '02a-broken.transcript'), 'not JSON');
  return { dir, altered };
}

/** What a run shows and decides, without timings. */
const shown = (s: RunSummary) => ({
  results: s.results.map((r) => ({ name: r.name, passed: r.passed, turns: r.turns, error: r.error, difference: r.difference })),
  summary: summaryLine(s),
  updated: s.updated,
});

let pool: ReplayPool;
let replayer: Replayer;
beforeAll(() => {
  // Two workers: enough for files to finish out of order and for one worker to replay several.
  pool = new ReplayPool({ size: 2 });
  replayer = Replayer.create();
});
afterAll(async () => {
  await pool.close();
  replayer.close();
});

describe('ReplayPool (worker threads)', { timeout: 60_000 }, () => {
  let folder: { dir: string; altered: string };
  beforeAll(() => {
    folder = fixtureFolder();
  });
  afterAll(() => rmSync(folder.dir, { recursive: true, force: true }));

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
    expect(summaryLine(sequential)).toBe('4 passed, 2 failed');
    expect(shown(parallel)).toEqual(shown(sequential));
    expect(poolLines).toEqual(seqLines);
    expect(ticks).toEqual(files);
    expect(poolLines.filter((l) => l.startsWith('FAIL') || l.startsWith('ERROR'))).toHaveLength(2);
    // The broken file is named once, then what is wrong with it.
    const broken = poolLines.find((l) => l.startsWith('ERROR'))!;
    expect(broken).toMatch(/^ERROR \S+02a-broken\.transcript: not JSON \(/);
    expect(broken.split('02a-broken.transcript')).toHaveLength(2);
  });

  it('re-records a differing transcript with --update, as one thread does', async () => {
    const lines: string[] = [];
    const summary = await pool.run([GOLDEN, folder.altered], {
      update: true,
      progress: { tick: () => undefined, log: (l) => lines.push(l), stop: () => undefined },
    });
    expect(summary.updated).toEqual([folder.altered]);
    expect(lines).toEqual([`PASS ${GOLDEN} (5 turns)`, `UPDATED ${folder.altered} (turn 2 differed)`]);
    expect(JSON.stringify(await readTranscriptFile(folder.altered))).not.toContain('Outdated text');
    expect((await replayer.replay(await readTranscriptFile(folder.altered), 'rewritten')).passed).toBe(true);
  });
});

describe('npm run replay --workers (CLI, in process)', { timeout: 60_000 }, () => {
  let folder: { dir: string; altered: string };
  beforeAll(() => {
    folder = fixtureFolder();
  });
  afterAll(() => rmSync(folder.dir, { recursive: true, force: true }));

  /** runReplayCli on this file's pool; `asked` collects the pools the command asked for. */
  const cli = async (args: string[], asked: { size: number; env: unknown }[] = []) => {
    let stdout = '';
    let stderr = '';
    const shared: ReplayWorkers = { run: (files, options) => pool.run(files, options), close: async () => undefined };
    const io: ReplayCliIo = {
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      env: { EXCHANGE_NAME_EN: 'GMO Coin' },
      envFile: join(folder.dir, 'no.env'),
      startWorkers: (options) => (asked.push(options), shared),
    };
    const code = await runReplayCli(args, io);
    return { code, stdout, stderr };
  };

  it('gives the same output, JUnit counts and exit code on one thread and on several', async () => {
    const { dir } = folder;
    const asked: { size: number; env: unknown }[] = [];
    const one = await cli([dir, '--workers', '1', '--junit', join(dir, 'one.xml')], asked);
    expect(asked).toEqual([]);
    const three = await cli([dir, '--workers', '3', '--junit', join(dir, 'three.xml')], asked);
    const auto = await cli([dir, '--workers', 'auto'], asked);
    // As many workers as asked for, never more than files; `auto` one per core; the configuration passed on.
    expect(asked).toEqual([
      { size: 3, env: { EXCHANGE_NAME_EN: 'GMO Coin' } },
      { size: Math.min(availableParallelism(), 6), env: { EXCHANGE_NAME_EN: 'GMO Coin' } },
    ]);
    expect(one.code).toBe(1);
    expect(three.code).toBe(1);
    expect(three.stdout).toBe(one.stdout);
    expect(auto).toMatchObject({ code: 1, stdout: one.stdout });
    expect(one.stdout.trimEnd().split('\n').at(-1)).toBe('4 passed, 2 failed');
    const counts = (f: string) => /tests="\d+" failures="\d+" errors="\d+"/.exec(readFileSync(join(dir, f), 'utf8'))?.[0];
    expect(counts('three.xml')).toBe('tests="6" failures="1" errors="1"');
    expect(counts('three.xml')).toBe(counts('one.xml'));
    // One file needs no second thread.
    expect((await cli([GOLDEN, '--workers', '3'], asked)).code).toBe(0);
    expect(asked).toHaveLength(2);
  });

  it('refuses a worker count that is not auto or a whole number from 1 (exit 2)', async () => {
    for (const workers of ['0', 'two', '1.5', '-1', '']) {
      const asked: { size: number; env: unknown }[] = [];
      const bad = await cli([GOLDEN, '--workers', workers], asked);
      expect(bad.code, workers).toBe(2);
      expect(bad.stderr).toContain('--workers');
      expect(bad.stdout).toBe('');
      expect(asked).toEqual([]);
    }
  });
});
