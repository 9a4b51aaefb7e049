import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import XHR2 from 'xhr2';
import { ConnectionStatus, DirectLine, type Activity as ClientActivity } from 'botframework-directlinejs';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';

/** A fixed secret so tokens survive a restart of the app in tests. */
export const TEST_SECRET = 'test-directline-secret-0123456789abcdef';

export interface RunningApp {
  readonly app: App;
  readonly baseUrl: string;
  readonly domain: string;
  stop(): Promise<void>;
}

/** A fresh folder for a test's SQLite file; removed by the returned function. */
export function tempDatabase(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'directline-test-'));
  return { file: join(dir, 'bot.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the whole app (as `npm start` does) on 127.0.0.1 with a random port. */
export async function startApp(databaseFile: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_FILE: databaseFile, DIRECTLINE_SECRET: TEST_SECRET, ...env });
  const app = createApp(config, silentLogger);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return { app, baseUrl, domain: `${baseUrl}/v3/directline`, stop: () => app.close() };
}

/** JSON over fetch with an optional bearer token; returns status and parsed body. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

// The official client expects a browser: XMLHttpRequest from xhr2, and a WebSocket class
// (this channel polls, so it is never constructed).
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= XHR2;
class NoWebSocket {
  constructor() {
    throw new Error('this channel polls; no WebSocket');
  }
}

/**
 * Microsoft's Direct Line client (`botframework-directlinejs`) against the local server, with
 * helpers to wait for activities. Polls every 200 ms.
 */
export class OfficialClient {
  readonly directLine: DirectLine;
  readonly received: ClientActivity[] = [];
  private readonly subscription;
  private waiters: (() => void)[] = [];

  constructor(domain: string, options: { token: string; conversationId?: string; watermark?: string; locale?: string }) {
    this.directLine = new DirectLine({
      domain,
      token: options.token,
      conversationId: options.conversationId,
      watermark: options.watermark,
      webSocket: false,
      pollingInterval: 200,
      conversationStartProperties: options.locale ? { locale: options.locale } : undefined,
      WebSocket: NoWebSocket as unknown as typeof WebSocket,
    });
    this.subscription = this.directLine.activity$.subscribe({
      next: (a) => {
        this.received.push(a);
        this.waiters.splice(0).forEach((w) => w());
      },
      // The stream errors once the conversation has ended (404); `status` then says Ended.
      error: () => this.waiters.splice(0).forEach((w) => w()),
    });
  }

  /**
   * Resolves when `predicate` holds for the activities received so far: checked again on each
   * activity (or the end of the stream), no polling; throws once `timeoutMs` has passed without.
   */
  async waitFor(predicate: (all: ClientActivity[]) => boolean, timeoutMs = 8000): Promise<ClientActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${this.received.length} activities`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Posts an activity and returns the id the server gave it. */
  post(activity: Record<string, unknown>): Promise<string> {
    return new Promise((resolve, reject) => {
      this.directLine.postActivity(activity as unknown as ClientActivity).subscribe({ next: (id: string) => resolve(id), error: reject });
    });
  }

  get status(): ConnectionStatus {
    return this.directLine.connectionStatus$.getValue();
  }

  end(): void {
    this.subscription.unsubscribe();
    this.directLine.end();
  }
}

/** The bot's messages among the received activities. */
export function botMessages(all: readonly ClientActivity[]): ClientActivity[] {
  return all.filter((a) => a.type === 'message' && a.from.role === 'bot');
}
