/**
 * `npm run bench` (not part of npm test): the bot against a bare botbuilder echo bot and a plain
 * restify route, in the same run, with the same conversations (scripts/bench/conversations.ts)
 * sent by a separate load generator process (scripts/bench/load.ts), then web chat, replay and
 * start-up. Prints the tables and writes them to BENCHMARKS.md.
 *
 *   npm run bench [-- --seconds 5 --rounds 2 --quick --tsx --no-write]
 *   npm run bench -- --memory 100000     resident memory of the bot while it serves that many conversations
 *   npm run bench -- --postgres [--quick]  the bot on SQLite and on PostgreSQL (TEST_DATABASE_URL, else
 *                                          DATABASE_URL, in a fresh schema dropped after), side by side
 *
 * The bot runs compiled (`npm run build` first) unless --tsx or there is no build. Runs alternate
 * between the servers (plain, echo, bot, then the next round in another order) so that a busy
 * moment of the machine does not fall on one server only.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { botCommand, COMPILED_BOT, measure, rssMb, startServer, stopServer, type RunningServer, type ServerKind } from './bench/processes.js';
import { webChatLatency } from './bench/webchat.js';
import { replaceSection, writeReport, type Row } from './bench/report.js';
import { median } from './bench/stats.js';

const args = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    quick: { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    memory: { type: 'string' },
    /** Extra Node options for the bot only, e.g. "--max-semi-space-size=32" (space-separated). */
    'bot-node-args': { type: 'string', default: '' },
    /** Only the load scenarios whose name contains this (e.g. "20"), without web chat, start-up and replay; "webchat": only web chat. */
    only: { type: 'string' },
    /** The bot on SQLite and on PostgreSQL in one run (the section "postgres" of BENCHMARKS.md). */
    postgres: { type: 'boolean', default: false },
  },
});
const quick = args.values.quick;
const seconds = quick ? 2 : Number(args.values.seconds);
const rounds = quick ? 1 : Number(args.values.rounds);
const tsx = args.values.tsx;
const botNodeArgs = args.values['bot-node-args'].split(' ').filter(Boolean);
/** Load before the measured runs, per server (see main). */
const warmUpSeconds = quick ? 8 : 30;
const KINDS: ServerKind[] = ['plain', 'echo', 'bot'];
const SCENARIOS = [
  { name: '1 conversation', concurrency: 1 },
  { name: '20 conversations', concurrency: 20 },
  { name: '100 conversations', concurrency: 100 },
  { name: 'open loop 100 turns/s', rate: 100 },
] as const;

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function memoryRun(conversations: number): Promise<void> {
  const bot = await startServer('bot', { tsx, extraNodeArgs: botNodeArgs });
  const startRss = rssMb(bot.pid);
  console.log(`bot ${botCommand(tsx).how}, RSS at start ${fmt(startRss)} MB`);
  const step = Math.max(1, Math.floor(conversations / 10));
  const samples: string[] = [];
  for (let done = 0; done < conversations; done += step) {
    const r = await measure(bot, { seconds: 3600, concurrency: 20, prefix: `mem-${done}`, maxConversations: step, start: done });
    const line = `${fmt(done + step)} conversations (${fmt(r.turns)} turns, ${r.errors} errors): RSS ${fmt(rssMb(bot.pid))} MB`;
    console.log(line);
    samples.push(line);
  }
  await stopServer(bot);
  const load = `load average ${loadNow()}`;
  console.log(load);
  if (!args.values['no-write']) {
    const head = `Run ${new Date().toISOString()}: bot ${botCommand(tsx).how}, ${fmt(conversations)} conversations (the benchmark's, 20 at a time); ${load}; RSS at start ${fmt(startRss)} MB.`;
    replaceSection('memory', [head, '', ...samples.map((s) => `- ${s}`)].join('\n'));
  }
}

/** The server's URL with `schema` as every connection's search_path (the app takes no schema key). */
function urlInSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-csearch_path=${schema}`);
  return u.toString();
}

/**
 * The bot on SQLite and on PostgreSQL (a fresh schema, the app's own migrations at start), the same
 * conversations against each, alternating, then web chat on each. Only the section "postgres".
 */
async function postgresRun(): Promise<void> {
  const base = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
  if (!base) throw new Error('--postgres needs TEST_DATABASE_URL or DATABASE_URL');
  // The SQLite bot must not inherit it (the PostgreSQL one is given its own, with the schema).
  delete process.env['DATABASE_URL'];
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const loadBefore = loadNow();
  console.log(`bot: ${botCommand(tsx).how}; SQLite and PostgreSQL (schema ${schema}); ${seconds} s a run, ${rounds} round(s); load average ${loadBefore}`);
  const backends = ['sqlite', 'postgres'] as const;
  const servers = {} as Record<(typeof backends)[number], RunningServer>;
  try {
    servers.sqlite = await startServer('bot', { tsx, extraNodeArgs: botNodeArgs, });
    servers.postgres = await startServer('bot', { tsx, extraNodeArgs: botNodeArgs, env: { DATABASE_URL: urlInSchema(base, schema) } });
    for (const b of backends) await measure(servers[b], { seconds: warmUpSeconds, concurrency: 20, prefix: `warm-${b}` });
    const lines: string[] = [];
    for (const scenario of SCENARIOS.filter((s) => !args.values.only || s.name.includes(args.values.only))) {
      for (const b of backends) {
        let turns = 0, secs = 0, cpu = 0, errors = 0;
        const p50: number[] = [], p99: number[] = [];
        for (let round = 0; round < rounds; round++) {
          const r = await measure(servers[b], { seconds, prefix: `${b}-${scenario.name.replace(/\W+/g, '')}-${round}`, start: round * 7, ...('rate' in scenario ? { rate: scenario.rate } : { concurrency: scenario.concurrency }) });
          turns += r.turns; secs += r.seconds; cpu += r.cpuMs; errors += r.errors;
          p50.push(r.p50); p99.push(r.p99);
        }
        const line = `| ${scenario.name} | ${b === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${fmt(turns / secs)} | ${fmt(median(p50), 1)} | ${fmt(median(p99), 1)} | ${fmt(cpu / Math.max(1, turns), 2)} | ${errors} |`;
        console.log(line);
        lines.push(line);
      }
    }
    const webChat: string[] = [];
    for (const b of backends) {
      const w = await webChatLatency(servers[b].url, quick ? 20 : 50);
      webChat.push(`${b === 'sqlite' ? 'SQLite' : 'PostgreSQL'} read after the post p50 ${fmt(w.p50, 1)} ms, p99 ${fmt(w.p99, 1)} ms, over the stream p50 ${fmt(w.stream.p50, 1)} ms, p99 ${fmt(w.stream.p99, 1)} ms`);
    }
    const startup = backends.map((b) => `${b === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${fmt(servers[b].startupMs)} ms`).join(', ');
    const loadAfter = loadNow();
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
    const text = [
      `Run ${new Date().toISOString()} (\`npm run bench -- --postgres${quick ? ' --quick' : ''}\`): bot ${botCommand(tsx).how}, ${seconds} s a run, ${rounds} round(s); ${machine}; PostgreSQL on 127.0.0.1 in the same machine; load average ${loadBefore} before, ${loadAfter} after.`,
      '',
      '| scenario | database | turns/s | p50 ms | p99 ms | CPU ms/turn (bot) | errors |',
      '|---|---|---:|---:|---:|---:|---:|',
      ...lines,
      '',
      `Web chat, post to reply: ${webChat.join('; ')}. Start-up to the first healthy /healthz (PostgreSQL: migrations into an empty schema): ${startup}.`,
    ].join('\n');
    console.log(text);
    if (!args.values['no-write']) replaceSection('postgres', text);
  } finally {
    for (const b of backends) if (servers[b]) await stopServer(servers[b]);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

async function main(): Promise<void> {
  if (args.values.memory) return memoryRun(Number(args.values.memory));
  if (args.values.postgres) return postgresRun();
  if (args.values.only === 'webchat') return webChatRun();
  const loadBefore = loadNow();
  console.log(`bot: ${botCommand(tsx).how} ${botNodeArgs.join(' ')}; ${seconds} s a run, ${rounds} round(s); load average ${loadBefore}`);
  const startups: Record<string, number[]> = {};
  const servers = {} as Record<ServerKind, RunningServer>;
  for (const kind of KINDS) {
    servers[kind] = await startServer(kind, { tsx, extraNodeArgs: kind === 'bot' ? botNodeArgs : [] });
    (startups[kind] ??= []).push(servers[kind].startupMs);
  }
  // Warm-up to a steady state: JIT, prepared statements, the caches of bot texts and protocol
  // values. The bot runs far more code than the echo bot and keeps getting cheaper for about half
  // a minute of load (2.4 -> 1.5 ms of CPU per turn at 20 conversations, 6 rounds of 4 s); the
  // figures are for a server that has been up a while, as in production, so every server gets
  // the same warmUpSeconds first.
  for (const kind of KINDS) await measure(servers[kind], { seconds: warmUpSeconds, concurrency: 20, prefix: `warm-${kind}` });
  const rows: Row[] = [];
  for (const scenario of SCENARIOS.filter((s) => !args.values.only || s.name.includes(args.values.only))) {
    const sum = Object.fromEntries(KINDS.map((k) => [k, { turns: 0, errors: 0, seconds: 0, cpuMs: 0, p50: [] as number[], p99: [] as number[], firstError: undefined as string | undefined }]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
      for (const kind of order) {
        const r = await measure(servers[kind], { seconds, prefix: `${kind}-${scenario.name.replace(/\W+/g, '')}-${round}`, start: round * 7, ...('rate' in scenario ? { rate: scenario.rate } : { concurrency: scenario.concurrency }) });
        const s = sum[kind]!;
        s.turns += r.turns;
        s.errors += r.errors;
        s.seconds += r.seconds;
        s.cpuMs += r.cpuMs;
        s.p50.push(r.p50);
        s.p99.push(r.p99);
        s.firstError ??= r.firstError;
        console.log(`  ${scenario.name}, ${kind}, round ${round + 1}: ${fmt(r.turns / r.seconds)} turns/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, ${fmt(r.cpuMs / Math.max(1, r.turns), 2)} ms CPU/turn, ${r.errors} errors`);
      }
    }
    for (const kind of KINDS) {
      const s = sum[kind]!;
      rows.push({ scenario: scenario.name, server: kind, turnsPerSecond: s.turns / s.seconds, p50: median(s.p50), p99: median(s.p99), cpuPerTurn: s.cpuMs / Math.max(1, s.turns), errors: s.errors, turns: s.turns, firstError: s.firstError });
    }
  }
  const rssAfter = rssMb(servers.bot.pid);
  if (args.values.only) {
    for (const kind of KINDS) await stopServer(servers[kind]);
    for (const row of rows) console.log(`${row.scenario} ${row.server}: ${fmt(row.turnsPerSecond)} turns/s, p50 ${fmt(row.p50, 1)}, p99 ${fmt(row.p99, 1)}, ${fmt(row.cpuPerTurn, 2)} ms CPU/turn, ${row.errors} errors`);
    console.log(`load average ${loadNow()}`);
    return;
  }
  const webChat = await webChatLatency(servers.bot.url, quick ? 20 : 50);
  for (const kind of KINDS) await stopServer(servers[kind]);
  // Start-up: a fresh database each time; compiled and tsx when there is a build.
  const startup: { how: string; ms: number[] }[] = [];
  for (const useTsx of !tsx && existsSync(COMPILED_BOT) ? [false, true] : [true]) {
    const ms: number[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const s = await startServer('bot', { tsx: useTsx, extraNodeArgs: botNodeArgs });
      ms.push(s.startupMs);
      await stopServer(s);
    }
    startup.push({ how: botCommand(useTsx).how, ms });
  }
  console.log('replay (npm run bench:replay) ...');
  // Its stdout even when some replays fail (transcripts behind a flow change): the speed still counts.
  const replayRun = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-replay.ts', '--seconds', quick ? '2' : '5'], { encoding: 'utf8' });
  const replay = `${replayRun.stdout.trim()}${replayRun.status === 0 ? '' : `\n(exit ${replayRun.status}: ${replayRun.stderr.trim().slice(0, 300)})`}`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GB, Node ${process.version}, ${process.platform}`;
  const report = writeReport({ rows, webChat, startup, replay, machine, loadBefore, loadAfter: loadNow(), seconds, rounds, bot: botCommand(tsx).how, rssAfter, write: !args.values['no-write'] });
  console.log(report);
}

/** `--only webchat`: the bot alone, warmed up, then web chat read both ways (polling and the stream); printed, not written. */
async function webChatRun(): Promise<void> {
  const loadBefore = loadNow();
  const bot = await startServer('bot', { tsx, extraNodeArgs: botNodeArgs });
  try {
    await measure(bot, { seconds: warmUpSeconds, concurrency: 20, prefix: 'warm-webchat' });
    const w = await webChatLatency(bot.url, quick ? 20 : 50);
    console.log(`bot: ${botCommand(tsx).how}; load average ${loadBefore} before, ${loadNow()} after`);
    console.log(`Web chat, post to first reply read (${w.samples} messages): p50 ${fmt(w.p50, 1)} ms, p99 ${fmt(w.p99, 1)} ms, ${fmt(w.readsPerReply, 2)} reads per reply`);
    console.log(`Web chat, post to reply seen over the stream (${w.stream.samples} messages): p50 ${fmt(w.stream.p50, 1)} ms, p99 ${fmt(w.stream.p99, 1)} ms`);
  } finally {
    await stopServer(bot);
  }
}

await main();
