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
 *
 * `--echo` also serves the bare botbuilder echo bot in every round (the three in rotating order)
 * and prints each build's ratios to it, as issue 16's targets are stated: the echo bot's CPU per
 * turn ÷ the build's, and the build's turns/s ÷ the echo bot's (medians of the per-round ratios).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measure, startServer, stopServer, type RunningServer } from './bench/processes.js';
import { median } from './bench/stats.js';

const args = parseArgs({
  allowPositionals: true,
  options: { echo: { type: 'boolean', default: false }, rounds: { type: 'string', default: '6' }, seconds: { type: 'string', default: '4' }, concurrency: { type: 'string', default: '20' }, 'warm-up': { type: 'string', default: '20' }, 'a-node-args': { type: 'string', default: '' }, 'b-node-args': { type: 'string', default: '' } },
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
const echo = args.values.echo ? await startServer('echo') : undefined;
const servers: RunningServer[] = echo ? [a, b, echo] : [a, b];
const label = (s: RunningServer) => (s === a ? 'a' : s === b ? 'b' : 'echo');
const range = (xs: number[]) => `${fmt(median(xs), 3)} (${fmt(Math.min(...xs), 3)}-${fmt(Math.max(...xs), 3)})`;
try {
  for (const s of servers) await measure(s, { seconds: Number(args.values['warm-up']), concurrency, prefix: `warm-${label(s)}` });
  const cpu: number[] = [];
  const tps: number[] = [];
  const toEcho = { a: { cpu: [] as number[], tps: [] as number[] }, b: { cpu: [] as number[], tps: [] as number[] } };
  for (let round = 0; round < rounds; round++) {
    // A B, B A, … ; with the echo bot, every rotation of the three.
    const order: RunningServer[] = echo ? servers.map((_, i) => servers[(i + round) % servers.length]!) : round % 2 === 0 ? [a, b] : [b, a];
    const r = new Map<RunningServer, Awaited<ReturnType<typeof measure>>>();
    for (const s of order) r.set(s, await measure(s, { seconds, concurrency, prefix: `r${round}-${label(s)}`, start: round * 7 }));
    const ra = r.get(a)!;
    const rb = r.get(b)!;
    const perTurn = (x: typeof ra) => x.cpuMs / Math.max(1, x.turns);
    cpu.push(perTurn(rb) / perTurn(ra));
    tps.push(rb.turns / ra.turns);
    let line = `round ${round + 1}: A ${fmt(perTurn(ra))} ms/turn, ${fmt(ra.turns / ra.seconds, 0)} turns/s, p99 ${fmt(ra.p99, 1)} ms | B ${fmt(perTurn(rb))} ms/turn, ${fmt(rb.turns / rb.seconds, 0)} turns/s, p99 ${fmt(rb.p99, 1)} ms | B/A CPU ${fmt(cpu.at(-1)!, 3)}`;
    if (echo) {
      const re = r.get(echo)!;
      for (const [side, x] of [['a', ra], ['b', rb]] as const) {
        toEcho[side].cpu.push(perTurn(re) / perTurn(x));
        toEcho[side].tps.push(x.turns / x.seconds / (re.turns / re.seconds));
      }
      line += ` | echo ${fmt(perTurn(re))} ms/turn, ${fmt(re.turns / re.seconds, 0)} turns/s`;
    }
    console.log(line);
  }
  console.log(`B ÷ A, median of ${rounds} rounds: CPU per turn ${range(cpu)}, turns/s ${range(tps)}`);
  if (echo) {
    for (const side of ['a', 'b'] as const) {
      console.log(`${side.toUpperCase()} against the echo bot, median of ${rounds} rounds: CPU (echo ÷ ${side.toUpperCase()}) ${range(toEcho[side].cpu)}, turns/s (${side.toUpperCase()} ÷ echo) ${range(toEcho[side].tps)}`);
    }
  }
} finally {
  for (const s of servers) await stopServer(s);
}
