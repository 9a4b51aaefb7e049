/**
 * `npm run bench:ab -- <build A> <build B>`: two builds of the bot side by side, for a change whose
 * effect is smaller than what separates two runs of `npm run bench` on a shared machine. Each
 * argument is a built bot's entry (`dist/src/index.js` of a checkout after `npm run build`, e.g. a
 * `git worktree` of the commit before). Both bots get the same warm-up, then the load generator
 * alternates between them round after round (A B, B A, …) at 20 conversations, and the ratios of
 * each round are taken, so a busy moment of the machine falls on both. Prints every round and the
 * medians of B ÷ A: CPU per turn (below 1: B is cheaper) and turns per second (above 1: B serves more).
 *
 *   npm run bench:ab -- ../before/dist/src/index.js dist/src/index.js [--rounds 6] [--seconds 4] [--concurrency 20]
 *
 * `--a-node-args` / `--b-node-args` (space-separated) start one side with other Node options, e.g.
 * the same build twice, B with a GC setting: `npm run bench:ab -- dist/src/index.js dist/src/index.js --b-node-args=--single-threaded-gc` (the `=` form: a value that starts with `--`).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measure, startServer, stopServer, type RunningServer } from './bench/processes.js';
import { median } from './bench/stats.js';

const args = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '6' }, seconds: { type: 'string', default: '4' }, concurrency: { type: 'string', default: '20' }, 'warm-up': { type: 'string', default: '20' }, 'a-node-args': { type: 'string', default: '' }, 'b-node-args': { type: 'string', default: '' } },
});
const [entryA, entryB] = args.positionals;
if (!entryA || !entryB) throw new Error('usage: npm run bench:ab -- <build A dist/src/index.js> <build B dist/src/index.js>');
const rounds = Number(args.values.rounds);
const seconds = Number(args.values.seconds);
const concurrency = Number(args.values.concurrency);
const fmt = (n: number, d = 2) => n.toFixed(d);

const nodeArgs = (side: 'a' | 'b') => args.values[`${side}-node-args`].split(' ').filter(Boolean);
const a = await startServer('bot', { botEntry: resolve(entryA), extraNodeArgs: nodeArgs('a') });
const b = await startServer('bot', { botEntry: resolve(entryB), extraNodeArgs: nodeArgs('b') });
try {
  for (const s of [a, b]) await measure(s, { seconds: Number(args.values['warm-up']), concurrency, prefix: `warm-${s === a ? 'a' : 'b'}` });
  const cpu: number[] = [];
  const tps: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order: RunningServer[] = round % 2 === 0 ? [a, b] : [b, a];
    const r = new Map<RunningServer, Awaited<ReturnType<typeof measure>>>();
    for (const s of order) r.set(s, await measure(s, { seconds, concurrency, prefix: `r${round}-${s === a ? 'a' : 'b'}`, start: round * 7 }));
    const ra = r.get(a)!;
    const rb = r.get(b)!;
    const perTurn = (x: typeof ra) => x.cpuMs / Math.max(1, x.turns);
    cpu.push(perTurn(rb) / perTurn(ra));
    tps.push(rb.turns / ra.turns);
    console.log(`round ${round + 1}: A ${fmt(perTurn(ra))} ms/turn, ${fmt(ra.turns / ra.seconds, 0)} turns/s, p99 ${fmt(ra.p99, 1)} ms | B ${fmt(perTurn(rb))} ms/turn, ${fmt(rb.turns / rb.seconds, 0)} turns/s, p99 ${fmt(rb.p99, 1)} ms | B/A CPU ${fmt(cpu.at(-1)!, 3)}`);
  }
  console.log(`B ÷ A, median of ${rounds} rounds: CPU per turn ${fmt(median(cpu), 3)} (${fmt(Math.min(...cpu), 3)}-${fmt(Math.max(...cpu), 3)}), turns/s ${fmt(median(tps), 3)} (${fmt(Math.min(...tps), 3)}-${fmt(Math.max(...tps), 3)})`);
} finally {
  await stopServer(a);
  await stopServer(b);
}
