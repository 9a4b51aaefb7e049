/**
 * The server as a process of its own: `node --import tsx src/index.ts` (or the built bundle) on a port
 * of its own choosing and a SQLite file the test names, so a test can SIGKILL or SIGTERM it and
 * start it again on the same file. The URL is read from its "bot listening" log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { request as httpRequest, Agent } from 'node:http';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  readonly process: ChildProcess;
  readonly baseUrl: string;
  /** Every JSON log line the process wrote (stdout), parsed. */
  readonly logs: Record<string, unknown>[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const CHILD_DIRECTLINE_SECRET = 'child-directline-secret-0123456789abcdef';

/**
 * Starts the server and resolves once it listens; rejects if it exits first or takes over 60 s.
 * `nodeArgs`: what node runs (default the sources with tsx; the build test runs its bundle).
 */
export async function spawnServer(env: Record<string, string>, nodeArgs: readonly string[] = ['--import', 'tsx', 'src/index.ts']): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DIRECTLINE_SECRET: CHILD_DIRECTLINE_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr.join('')}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (typeof entry['url'] === 'string' && String(entry['msg']).startsWith('bot listening')) {
        clearTimeout(timer);
        resolve(entry['url']);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening (code ${code}, signal ${signal}): ${stderr.join('')}`));
    });
  });
  return { process: child, baseUrl: url.replace('[::]', '127.0.0.1'), logs, exited };
}

export interface PostResult {
  readonly status: number;
  readonly body: unknown;
}

/**
 * POSTs JSON over a kept-alive connection with node:http (not fetch, whose connection pool
 * outlives a killed server and whose errors hide whether the request was ever written).
 */
export function postJson(agent: Agent, url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: keep the text.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

let activitySeq = 0;

/**
 * A Bot Framework activity answered in the HTTP response (`expectReplies`), so nothing is sent to
 * the serviceUrl. `webchat` renders cards, so a handoff shows the identity form.
 */
export function expectRepliesActivity(conversationId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  activitySeq++;
  return {
    type: 'message',
    id: `${conversationId}-${activitySeq}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
    from: { id: `user-${conversationId}`, name: 'Customer' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: conversationId },
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    ...extra,
  };
}

/** The texts of an expectReplies answer's activities. */
export function replyTexts(body: unknown): string[] {
  const activities = (body as { activities?: { text?: unknown }[] } | undefined)?.activities;
  return Array.isArray(activities) ? activities.map((a) => (typeof a.text === 'string' ? a.text : '')) : [];
}
