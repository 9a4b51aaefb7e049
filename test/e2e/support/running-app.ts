/**
 * The whole app listening on 127.0.0.1 (as `npm start` runs it), a fake Bot Framework connector
 * that records what the bot sends to a conversation's serviceUrl, a customer posting activities
 * to /api/messages, and a customer of the local web chat channel over its Direct Line routes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import type { Logger } from '../../../src/logger.js';
import { silentLogger } from '../../../src/logger.js';
import { LOCALE, type Lang } from './customer.js';

export interface ReceivedActivity {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** Answers every POST like the Bot Connector service (200 with an id) and keeps what it got. */
export class FakeConnector {
  readonly received: ReceivedActivity[] = [];
  /** Conversations the service refuses with 403 (the customer removed the bot, or blocked it). */
  readonly refused = new Set<string>();
  /** Paths of the requests refused (each one a delivery attempt). */
  readonly refusedAttempts: string[] = [];
  private server: Server | undefined;
  serviceUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        if ([...this.refused].some((id) => path.startsWith(`/v3/conversations/${encodeURIComponent(id)}/`))) {
          this.refusedAttempts.push(path);
          res.writeHead(403, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'BotDisabledByAdmin', message: 'The bot is not part of the conversation roster.' } }));
          return;
        }
        this.received.push({ method: req.method ?? '', path, body: body ? (JSON.parse(body) as Record<string, unknown>) : {} });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `connector-${this.received.length}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Messages POSTed into one conversation, in order. */
  messagesTo(conversationId: string): ReceivedActivity[] {
    const prefix = `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;
    return this.received.filter((r) => r.method === 'POST' && r.path.startsWith(prefix) && r.body['type'] === 'message');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface RunningApp {
  readonly app: App;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export const TEST_DIRECTLINE_SECRET = 'e2e-directline-secret-0123456789abcdef';

/** createApp + listen on a random port; no app id (the Emulator's unauthenticated mode), normal delivery. */
export async function startApp(env: Record<string, string> = {}, logger: Logger = silentLogger): Promise<RunningApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_FILE: ':memory:', DIRECTLINE_SECRET: TEST_DIRECTLINE_SECRET, ...env });
  const app = createApp(config, logger);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

/** A customer on a Bot Framework channel: activities POSTed to /api/messages with the connector as serviceUrl. */
export class BotFrameworkCustomer {
  private counter = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly connector: FakeConnector,
    readonly lang: Lang,
    readonly ids: { readonly channelId: string; readonly userId: string; readonly conversationId: string },
  ) {}

  /** Posts one activity and returns the messages the bot sent back for it (via the connector). */
  async post(activity: Record<string, unknown>): Promise<ReceivedActivity[]> {
    this.counter++;
    const before = this.connector.received.length;
    const res = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: `${this.ids.conversationId}-a${this.counter}`,
        channelId: this.ids.channelId,
        serviceUrl: this.connector.serviceUrl,
        conversation: { id: this.ids.conversationId },
        from: { id: this.ids.userId, name: 'Customer', role: 'user' },
        recipient: { id: 'bot', name: 'Bot', role: 'bot' },
        locale: LOCALE[this.lang],
        timestamp: new Date().toISOString(),
        ...activity,
      }),
    });
    if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}: ${await res.text()}`);
    return this.connector.received.slice(before);
  }

  say(text: string): Promise<ReceivedActivity[]> {
    return this.post({ type: 'message', text });
  }

  submitCard(values: Record<string, string>): Promise<ReceivedActivity[]> {
    return this.post({ type: 'message', value: { t: 'identity', ...values } });
  }
}

/** Texts of the messages, joined. */
export function textsOf(activities: readonly ReceivedActivity[]): string {
  return activities.map((a) => String(a.body['text'] ?? '')).join('\n');
}

/** A customer of the local web chat channel, through its Direct Line 3.0 routes (polling). */
export class DirectLineCustomer {
  private token = '';
  conversationId = '';
  userId = '';
  private watermark = '';

  constructor(
    private readonly baseUrl: string,
    readonly lang: Lang,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}/v3/directline${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Gets a token, starts the conversation (the bot welcomes) and returns the welcome. */
  async start(): Promise<Record<string, unknown>[]> {
    this.token = TEST_DIRECTLINE_SECRET;
    const issued = await this.call('POST', '/tokens/generate');
    if (issued.status !== 200) throw new Error(`token: ${issued.status}`);
    this.token = String(issued.body['token']);
    this.userId = String(issued.body['userId']);
    const started = await this.call('POST', '/conversations', { locale: LOCALE[this.lang] });
    if (started.status !== 201) throw new Error(`start: ${started.status}`);
    this.conversationId = String(started.body['conversationId']);
    return this.poll();
  }

  /** Activities since the last poll (bot and echoed user ones). */
  async poll(): Promise<Record<string, unknown>[]> {
    const res = await this.call('GET', `/conversations/${this.conversationId}/activities?watermark=${this.watermark}`);
    if (res.status !== 200) throw new Error(`poll: ${res.status}`);
    this.watermark = String(res.body['watermark']);
    return res.body['activities'] as Record<string, unknown>[];
  }

  /** Posts a message and returns the bot's replies to it. */
  async post(activity: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const res = await this.call('POST', `/conversations/${this.conversationId}/activities`, {
      type: 'message',
      from: { id: this.userId },
      locale: LOCALE[this.lang],
      ...activity,
    });
    if (res.status !== 200) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
    return (await this.poll()).filter((a) => (a['from'] as { role?: string } | undefined)?.role === 'bot');
  }
}
