/**
 * The whole app (createApp, as `npm start` builds it) listening on 127.0.0.1 with a random port
 * and a temp SQLite file, plus a fake Bot Framework connector that records the replies a bot
 * POSTs to `{serviceUrl}/v3/conversations/{id}/activities/{replyToId}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

export interface RunningApp {
  readonly app: App;
  readonly baseUrl: string;
  /** Every log line the app wrote (JSON), to check what it does and does not log. */
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-http-'));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig({ LOG_LEVEL: 'info', DATABASE_FILE: join(dir, 'bot.sqlite'), ...env });
  const app = createApp(config, createLogger('info', sink));
  // A random port unless the test fixed one (pages that check Origin need PUBLIC_BASE_URL to match it).
  await new Promise<void>((resolve) => app.server.listen(env['PORT'] ? config.port : 0, '127.0.0.1', () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    async stop() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now, for a test that must know its origin before starting. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly json: any;
}

export async function request(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

/** POSTs JSON (or a raw string body) to /api/messages. */
export function postActivity(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return request(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface ReceivedReply {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly activity: any;
}

export interface FakeConnector {
  readonly serviceUrl: string;
  readonly received: ReceivedReply[];
  /** Resolves once at least `count` replies have arrived (or rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<ReceivedReply[]>;
  /** Resolves with everything received once `done(received)` holds (or rejects after `ms`). */
  waitUntil(done: (received: readonly ReceivedReply[]) => boolean, ms?: number): Promise<ReceivedReply[]>;
  stop(): Promise<void>;
}

/** A connector that accepts every activity the bot sends and remembers it. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const received: ReceivedReply[] = [];
  let waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let activity: unknown;
      try {
        activity = JSON.parse(body);
      } catch {
        activity = body;
      }
      received.push({ path: req.url ?? '', headers: req.headers, activity });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${received.length}` }));
      const ready = waiters;
      waiters = [];
      ready.forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  async function waitUntil(done: (all: readonly ReceivedReply[]) => boolean, ms = 5000): Promise<ReceivedReply[]> {
    const deadline = Date.now() + ms;
    while (!done(received)) {
      if (Date.now() > deadline) throw new Error(`gave up waiting; received: ${JSON.stringify(received.map((r) => r.activity?.text))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return [...received];
  }
  return {
    serviceUrl: `http://127.0.0.1:${port}`,
    received,
    waitUntil,
    async waitFor(count, ms = 5000) {
      return (await waitUntil((all) => all.length >= count, ms)).slice(0, count);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A 127.0.0.1 URL nobody listens on (a port that was just freed): connection refused. */
export async function deadServiceUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
