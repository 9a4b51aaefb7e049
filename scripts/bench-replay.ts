/**
 * In-process replay speed:
 *
 *   npm run bench:replay [-- --seconds 10] [folder or files…]
 *
 * Replays the golden transcripts (default test/transcripts/) over and over for a few seconds
 * with one set of bot services, as `npm run replay` does, and prints bot turns per second
 * (one turn = one customer activity sent and all its replies received and compared), by wall
 * clock and by CPU time (the CPU figure is steadier on a busy machine). The goal is 2,000
 * turns/s. The same run without middleware (no transcript logging, no redaction) is printed too,
 * to show what those cost.
 */
import { parseArgs } from 'node:util';
import { createReplayServices, findTranscriptFiles, Replayer } from '../src/replay/index.js';
import { readTranscriptFile, type TranscriptActivity } from '../src/transcripts/index.js';

const GOAL = 2000;

async function measure(replayer: Replayer, transcripts: readonly TranscriptActivity[][], seconds: number) {
  // Warm-up: JIT, prepared statements, caches.
  for (const t of transcripts) await replayer.replay(t, 'warm-up');
  let turns = 0;
  let failures = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const t of transcripts) {
      const result = await replayer.replay(t, 'bench');
      turns += result.turns;
      if (!result.passed) failures++;
    }
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { turns, failures, wall, perWall: turns / wall, perCpu: turns / ((cpu.user + cpu.system) / 1e6) };
}

async function main(): Promise<void> {
  const args = parseArgs({ allowPositionals: true, options: { seconds: { type: 'string', default: '5' } } });
  const seconds = Number(args.values.seconds);
  const files = findTranscriptFiles(args.positionals.length > 0 ? args.positionals : ['test/transcripts']);
  const transcripts = await Promise.all(files.map((f) => readTranscriptFile(f)));

  const services = createReplayServices();
  const full = await measure(new Replayer(services), transcripts, seconds);
  const bare = await measure(new Replayer({ ...services, middleware: [] }), transcripts, seconds);
  services.db.close();

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`${files.length} transcripts, ${fmt(full.turns)} turns in ${full.wall.toFixed(1)} s`);
  console.log(`replay with all middleware: ${fmt(full.perWall)} turns/s (wall), ${fmt(full.perCpu)} turns/s (CPU time)`);
  console.log(`bot alone, no middleware:   ${fmt(bare.perWall)} turns/s (wall), ${fmt(bare.perCpu)} turns/s (CPU time)`);
  console.log(`goal ${fmt(GOAL)} turns/s: ${full.perWall >= GOAL ? 'met' : 'not met'}`);
  if (full.failures + bare.failures > 0) {
    console.error(`${full.failures + bare.failures} replays failed during the benchmark: run npm run replay first`);
    process.exitCode = 1;
  }
}

await main();
