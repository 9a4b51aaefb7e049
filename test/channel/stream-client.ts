/** A raw WebSocket client of web chat's stream (the `ws` package), for tests and the benchmark's shape. */
import WebSocket, { type ClientOptions } from 'ws';

export interface StreamActivity {
  readonly id?: string;
  readonly type?: string;
  readonly text?: string;
  readonly replyToId?: string;
  readonly from?: { id?: string; role?: string };
  readonly channelData?: Record<string, unknown>;
}

export interface ActivitySet {
  readonly activities: StreamActivity[];
  readonly watermark: string;
}

export class StreamClient {
  readonly socket: WebSocket;
  readonly sets: ActivitySet[] = [];
  /** Resolves when the connection is open; rejects with the HTTP status of a refused upgrade. */
  readonly opened: Promise<void>;
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
  private waiters: (() => void)[] = [];

  constructor(url: string, headers?: Record<string, string>, options: ClientOptions = {}) {
    this.socket = new WebSocket(url, { ...options, ...(headers ? { headers } : {}) });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.socket.once('error', reject);
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => this.socket.once('close', (code) => resolve(code)));
    this.socket.on('message', (data) => {
      const text = data.toString();
      if (text !== '') this.sets.push(JSON.parse(text) as ActivitySet);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.socket.on('close', () => this.waiters.splice(0).forEach((w) => w()));
  }

  get activities(): StreamActivity[] {
    return this.sets.flatMap((s) => s.activities);
  }

  /** Resolves once `predicate` holds for the activities received so far (checked on each message), else throws after `timeoutMs`. */
  async waitFor(predicate: (all: StreamActivity[]) => boolean, timeoutMs = 8000): Promise<StreamActivity[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.activities)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.socket.readyState === WebSocket.CLOSED) throw new Error(`stream: condition not met; received ${this.activities.length} activities`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.activities;
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
  }
}

/** The HTTP status an upgrade gets: 101 when the stream opened (it is closed again at once). */
export async function streamStatus(url: string, headers?: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, headers ? { headers } : {});
    socket.once('open', () => {
      socket.close();
      socket.once('close', () => resolve(101));
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.once('error', (err) => reject(err));
  });
}
