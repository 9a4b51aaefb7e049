/**
 * In-process replay speed:
 *
 *   npm run bench:replay [-- --seconds 10] [folder or files…]
 *
 * Replays the golden transcripts (default test/transcripts/) over and over for a few seconds
 * with one set of bot services, each transcript against fresh stores, as `npm run replay` does,
 * and prints bot turns per second
 * (one turn = one customer activity sent and all its replies received and compared), by wall
 * clock and by CPU time (the CPU figure is steadier on a busy machine). The goal is 2,000
 * turns/s. The same transcripts are also run without the transcript recorder, and without any
 * middleware, to show what those cost (replay itself always uses all of it). Last, the same
 * files through `npm run replay`'s worker pool (one thread and one set of bot services per core,
 * files read from disk each pass): the parallel figure, by wall clock; its CPU time is that of
 * all threads.
 */
import { TranscriptLoggerMiddleware } from 'botbuilder';
import { parseArgs } from 'node:util';
import { createReplayServices, findTranscriptFiles, ReplayPool, Replayer } from '../src/replay/index.js';
import { readTranscriptFile, type TranscriptActivity } from '../src/transcripts/index.js';

const GOAL = 2000;
/** Passes over every transcript before the measured ones, per configuration. */
const WARM_UP_PASSES = 3;

interface Tally {
  turns: number;
  failures: number;
  wall: number;
  cpu: number;
}

/** One pass over every transcript; adds to `tally`. */
async function pass(replayer: Replayer, transcripts: readonly TranscriptActivity[][], tally: Tally): Promise<void> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (const t of transcripts) {
    const result = await replayer.replay(t, 'bench');
    tally.turns += result.turns;
    if (!result.passed) tally.failures++;
  }
  const cpu = process.cpuUsage(cpu0);
  tally.wall += (performance.now() - start) / 1000;
  tally.cpu += (cpu.user + cpu.system) / 1e6;
}

async function main(): Promise<void> {
  const args = parseArgs({ allowPositionals: true, options: { seconds: { type: 'string', default: '10' } } });
  const seconds = Number(args.values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number: ${args.values.seconds}`);
  const files = findTranscriptFiles(args.positionals.length > 0 ? args.positionals : ['test/transcripts']);
  const transcripts = await Promise.all(files.map((f) => readTranscriptFile(f)));

  const services = createReplayServices();
  const unrecorded = services.middleware.filter((m) => !(m instanceof TranscriptLoggerMiddleware));
  const runs = [
    { label: 'replay (all middleware)        ', replayer: new Replayer(services) },
    { label: 'without the transcript recorder', replayer: new Replayer({ ...services, middleware: unrecorded }) },
    { label: 'bot alone, no middleware       ', replayer: new Replayer({ ...services, middleware: [] }) },
  ].map((r) => ({ ...r, tally: { turns: 0, failures: 0, wall: 0, cpu: 0 } as Tally }));
  // Warm-up (JIT, prepared statements, caches) to a steady state: the first pass of the goldens
  // runs at about half the speed of the fourth, so three passes each before counting. Then passes
  // in turn, so that a busy moment of the machine does not fall on one configuration only.
  for (let warm = 0; warm < WARM_UP_PASSES; warm++) for (const r of runs) await pass(r.replayer, transcripts, { turns: 0, failures: 0, wall: 0, cpu: 0 });
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) for (const r of runs) await pass(r.replayer, transcripts, r.tally);
  services.close();

  // The worker pool, after its own warm-up; all the time given to the single-thread passes together.
  const pool = new ReplayPool({ env: {} });
  const parallel: Tally = { turns: 0, failures: 0, wall: 0, cpu: 0 };
  const poolPass = async (tally: Tally) => {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const summary = await pool.run(files);
    const cpu = process.cpuUsage(cpu0);
    tally.wall += (performance.now() - start) / 1000;
    tally.cpu += (cpu.user + cpu.system) / 1e6;
    tally.turns += summary.results.reduce((n, r) => n + r.turns, 0);
    tally.failures += summary.failed;
  };
  await poolPass({ turns: 0, failures: 0, wall: 0, cpu: 0 });
  while (parallel.wall < seconds) await poolPass(parallel);
  await pool.close();

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const [full] = runs;
  console.log(`${files.length} transcripts, ${fmt(full!.tally.turns)} turns per configuration`);
  for (const r of runs) {
    console.log(`${r.label}: ${fmt(r.tally.turns / r.tally.wall)} turns/s wall, ${fmt(r.tally.turns / r.tally.cpu)} turns/s of CPU time`);
  }
  console.log(
    `parallel, ${pool.size} workers, all middleware: ${fmt(parallel.turns / parallel.wall)} turns/s wall, ${fmt(parallel.turns / parallel.cpu)} turns/s of CPU time (all threads)`,
  );
  const met = (tally: Tally) => (tally.turns / tally.wall >= GOAL ? 'met' : 'not met');
  console.log(`goal ${fmt(GOAL)} turns/s: ${met(full!.tally)} on one thread, ${met(parallel)} in parallel`);
  const failures = runs.reduce((n, r) => n + r.tally.failures, parallel.failures);
  if (failures > 0) {
    console.error(`${failures} replays failed during the benchmark: run npm run replay first`);
    process.exitCode = 1;
  }
}

await main();
