/**
 * The processes of `npm run bench`: servers started and watched from outside (CPU time and
 * resident memory read from /proc/<pid>, so Linux only), and load generator runs.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { LoadOptions, LoadResult } from './load.js';

export type ServerKind = 'bot' | 'echo' | 'plain';

export interface RunningServer {
  readonly kind: ServerKind;
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  readonly startupMs: number;
  /** Its temporary folder (the bot's database), removed when it stops. */
  readonly dir: string;
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** True when `npm run build` has been run: the bot runs compiled. */
export const COMPILED_BOT = 'dist/src/index.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Node arguments that run the bot: compiled (`npm run build`) unless `tsx` or no build. */
export function botCommand(tsx: boolean): { args: string[]; how: string } {
  if (!tsx && existsSync(COMPILED_BOT)) return { args: [COMPILED_BOT], how: 'compiled (node dist/src/index.js)' };
  return { args: ['--import', 'tsx', 'src/index.ts'], how: 'tsx (node --import tsx src/index.ts)' };
}

export async function startServer(
  kind: ServerKind,
  options: { tsx?: boolean; extraNodeArgs?: string[]; env?: Record<string, string>; /** Another build of the bot (its dist/src/index.js). */ botEntry?: string } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const botArgs = options.botEntry !== undefined ? [options.botEntry] : botCommand(options.tsx ?? false).args;
  const nodeArgs = [...(options.extraNodeArgs ?? []), ...(kind === 'bot' ? botArgs : ['--import', 'tsx', 'scripts/bench/baseline-server.ts', kind])];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DATABASE_FILE: join(dir, 'bot.sqlite'),
    RATE_LIMIT_MESSAGES_PER_MINUTE: '100000',
    RATE_LIMIT_MESSAGES_PER_MINUTE_PER_ADDRESS: '100000',
    RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '100000',
    RATE_LIMIT_TOKENS_PER_MINUTE: '100000',
    MicrosoftAppId: '',
    ...options.env,
  };
  const begin = performance.now();
  const child = spawn(process.execPath, nodeArgs, { env, cwd: process.cwd(), stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { kind, url, pid: child.pid!, child, startupMs: performance.now() - begin, dir };
}

export async function stopServer(server: RunningServer): Promise<void> {
  if (server.child.exitCode === null) {
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
  }
  rmSync(server.dir, { recursive: true, force: true });
}

/** User plus system CPU time of a process so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Resident set size of a process, in MB. */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? NaN) / 1024;
}

/** One load generator run in its own process. */
export async function runLoad(options: LoadOptions, onStart?: () => void): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/load.ts', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (onStart && out.includes('go\n')) {
      onStart();
      onStart = undefined;
    }
  });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
}

/** A load run against `server` with its CPU time measured from outside. Load generator start-up is excluded. */
export async function measure(server: RunningServer, options: Omit<LoadOptions, 'url'>): Promise<LoadResult & { cpuMs: number }> {
  // The generator needs about a second to start (tsx): CPU is sampled from its `go` line on.
  let before = cpuMs(server.pid);
  const result = await runLoad({ ...options, url: `${server.url}/api/messages` }, () => (before = cpuMs(server.pid)));
  return { ...result, cpuMs: cpuMs(server.pid) - before };
}
