/** The tables of `npm run bench`, printed and written to BENCHMARKS.md. */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { WebChatLatency } from './webchat.js';

export interface Row {
  readonly scenario: string;
  readonly server: 'bot' | 'echo' | 'plain';
  readonly turnsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuPerTurn: number;
  readonly errors: number;
  readonly turns: number;
  readonly firstError?: string | undefined;
}

export interface Report {
  readonly rows: readonly Row[];
  readonly webChat: WebChatLatency;
  readonly startup: readonly { how: string; ms: readonly number[] }[];
  readonly replay: string;
  readonly machine: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly seconds: number;
  readonly rounds: number;
  readonly bot: string;
  readonly rssAfter: number;
  readonly write: boolean;
}

const NAMES = { plain: 'plain restify route', echo: 'botbuilder echo bot', bot: 'support bot' } as const;
const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');

/** The markdown of one run; replaces the section between the markers in BENCHMARKS.md when `write`. */
export function writeReport(r: Report): string {
  const lines = [
    `Run ${new Date().toISOString()} · ${r.machine} · load average before ${r.loadBefore}, after ${r.loadAfter}`,
    `Bot ${r.bot}; ${r.seconds} s a run, ${r.rounds} round(s) alternating the servers; CPU read from /proc/<pid>/stat of the server process.`,
    '',
    '| load | server | turns/s | p50 ms | p99 ms | CPU ms/turn | errors | turns/s ÷ echo | CPU ÷ echo | p99 ÷ echo |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    const echo = r.rows.find((x) => x.scenario === row.scenario && x.server === 'echo')!;
    lines.push(
      `| ${row.scenario} | ${NAMES[row.server]} | ${f(row.turnsPerSecond)} | ${f(row.p50, 1)} | ${f(row.p99, 1)} | ${f(row.cpuPerTurn, 2)} | ${row.errors} | ${f(row.turnsPerSecond / echo.turnsPerSecond, 2)} | ${f(echo.cpuPerTurn / row.cpuPerTurn, 2)} | ${f(row.p99 / echo.p99, 2)} |`,
    );
  }
  const errors = r.rows.filter((x) => x.firstError).map((x) => `- ${x.scenario}, ${NAMES[x.server]}: first error ${x.firstError}`);
  lines.push(
    '',
    '"CPU ÷ echo" is the echo bot\'s CPU per turn divided by the bot\'s (1.00: as cheap as the echo bot; the target is ≥ 0.75).',
    ...(errors.length ? ['', ...errors] : []),
    '',
    `Web chat (local Direct Line, post to first reply read, ${r.webChat.samples} messages): p50 ${f(r.webChat.p50, 1)} ms, p99 ${f(r.webChat.p99, 1)} ms, ${f(r.webChat.readsPerReply, 2)} reads per reply; post to reply seen over the WebSocket stream (what Web Chat uses, ${r.webChat.stream.samples} messages): p50 ${f(r.webChat.stream.p50, 1)} ms, p99 ${f(r.webChat.stream.p99, 1)} ms.`,
    `Start-up to a healthy /healthz (fresh database): ${r.startup.map((s) => `${s.how}: ${s.ms.map((m) => f(m)).join(', ')} ms`).join('; ')}.`,
    `Bot resident memory after the runs above: ${f(r.rssAfter)} MB.`,
    '',
    'Replay (npm run bench:replay):',
    '',
    '```',
    r.replay,
    '```',
  );
  const text = lines.join('\n');
  if (r.write) replaceSection('bench', text);
  return text;
}

/** Puts `text` between `<!-- name:begin -->` and `<!-- name:end -->` in BENCHMARKS.md (added at the end when missing). */
export function replaceSection(name: string, text: string): void {
  const file = 'BENCHMARKS.md';
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = current.indexOf(begin);
  const to = current.indexOf(end);
  const next = at >= 0 && to > at ? `${current.slice(0, at + begin.length)}\n${text}\n${current.slice(to)}` : `${current}\n${begin}\n${text}\n${end}\n`;
  writeFileSync(file, next);
}
