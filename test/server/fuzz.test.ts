/**
 * Issue 12, fuzz: generated requests against
 * the whole app over HTTP: Bot Framework activities on /api/messages (unauthenticated, expectReplies,
 * so nothing leaves the process), identity-card submissions with hostile values, and local web chat
 * requests with odd tokens, paths and bodies. No answer is a 5xx, nothing is thrown past the
 * server, the heap returns to its baseline, and every row the run stored is valid.
 * FUZZ_SEED replays a run (the seed is printed).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HANDOFF_REASONS } from '../../flows/outcome.js';
import { createApp, identityFlow, troubleshootingFlow, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { parseConversationData } from '../../src/conversation/conversation-data.js';
import { FlowSession } from '../../src/conversation/flow-session.js';
import { validateIdentityClaims } from '../../src/identity/identity-claims.js';
import { createLogger } from '../../src/logger.js';
import { SqliteTicketRepository } from '../../src/tickets/index.js';
import { parseTicketId } from '../../src/ticket-id.js';
import { transcriptsFileOf } from '../../src/transcripts/index.js';
import { BOT_CONVERSATIONS, fuzzSpec, WEBCHAT_CONVERSATIONS, type ActivitySpec, type CardSpec, type FuzzSpec, type WebChatSpec } from '../helpers/fuzz-requests.js';

/**
 * 2,000 in `npm test` (5-10 s, every generator exercised); `npm run fuzz` (and .ci/run) sends the
 * issue's 10,000, which take 15-55 s on two shared cores.
 */
const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 2_000);
const WARM_UP = Math.min(1_000, Math.ceil(REQUESTS / 10));
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const CONCURRENCY = 12;
const SECRET = 'fuzz-directline-secret-0123456789abcdef';
/** Heap growth over the run that still counts as "back at the baseline" (caches filling up). */
const HEAP_SLACK_BYTES = 16 * 1024 * 1024;

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

let app: App;
let baseUrl: string;
let dir: string;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
/** Error-level log lines (the message only: log lines never carry customer text). */
const errorLogs: string[] = [];
const escaped: unknown[] = [];
const onEscaped = (err: unknown) => escaped.push(err);
const webChat: { token: string; conversationId: string }[] = [];
let counter = 0;
/** Requests sent again after a reset of an idle kept-alive socket (see send). */
let retried = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bot-fuzz-'));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { level: number; msg: string; err?: { name?: string; message?: string; code?: string; stack?: string } };
        if (entry.level >= 50 && errorLogs.length < 50) errorLogs.push(`${entry.msg}: ${entry.err?.name ?? ''} ${entry.err?.code ?? ''} ${entry.err?.message ?? ''} ${entry.err?.stack?.split('\n').slice(1, 6).join(' | ') ?? ''}`);
      }
      done();
    },
  });
  const unlimited = '100000';
  const config = loadConfig({
    LOG_LEVEL: 'error',
    DATABASE_FILE: join(dir, 'bot.sqlite'),
    DIRECTLINE_SECRET: SECRET,
    RATE_LIMIT_TOKENS_PER_MINUTE: unlimited,
    RATE_LIMIT_CONVERSATIONS_PER_MINUTE: unlimited,
    RATE_LIMIT_MESSAGES_PER_MINUTE: unlimited,
    RATE_LIMIT_MESSAGES_PER_MINUTE_PER_ADDRESS: unlimited,
  });
  app = createApp(config, createLogger('error', sink));
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  process.on('uncaughtException', onEscaped);
  process.on('unhandledRejection', onEscaped);
  for (let i = 0; i < WEBCHAT_CONVERSATIONS; i++) {
    const issued = JSON.parse((await send({ method: 'POST', path: '/v3/directline/tokens/generate', headers: { Authorization: `Bearer ${SECRET}` } })).body) as { token: string };
    const started = await send({ method: 'POST', path: '/v3/directline/conversations', headers: { Authorization: `Bearer ${issued.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ locale: i % 2 ? 'en-US' : 'ja-JP' }) });
    expect(started.status).toBe(201);
    webChat.push({ token: issued.token, conversationId: (JSON.parse(started.body) as { conversationId: string }).conversationId });
  }
});

afterAll(async () => {
  process.off('uncaughtException', onEscaped);
  process.off('unhandledRejection', onEscaped);
  agent.destroy();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

function send(req: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...(req.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(req.body)) } : {}) };
    const r = httpRequest(`${baseUrl}${req.path}`, { method: req.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed as idle (its keep-alive timeout) just as this request
      // went out on it: the request never reached the server. Node's documented answer is to send
      // it again on a fresh socket; counted, and the test fails when it is more than the rare race
      // (a server that resets live requests must not pass as "retried").
      if (r.reusedSocket && err.code === 'ECONNRESET' && retried < 100) {
        retried++;
        send(req).then(resolve, reject);
      } else reject(err);
    });
    r.end(req.body);
  });
}

const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json' };

function botActivity(conversation: number, fields: Record<string, unknown>): Record<string, unknown> {
  const activity: Record<string, unknown> = {
    type: 'message',
    id: `fuzz-${++counter}`,
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
    from: { id: `fuzz-user-${conversation}`, name: 'Fuzz' },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: `fuzz-conv-${conversation}` },
    timestamp: new Date().toISOString(),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) activity[key] = value;
  return activity;
}

function activityRequest(spec: ActivitySpec): Sent {
  if (spec.rawBody !== undefined) return { method: 'POST', path: '/api/messages', headers: { ...JSON_HEADERS }, body: spec.rawBody };
  const activity = botActivity(spec.conversation, spec.activity);
  for (const m of spec.mutations) {
    // Replies must come back in the answer: a fuzzed delivery mode would send them to 127.0.0.1:1.
    if (m.key === 'deliveryMode') continue;
    if (m.value === undefined) delete activity[m.key];
    else activity[m.key] = m.value;
  }
  return { method: 'POST', path: '/api/messages', headers: { ...JSON_HEADERS }, body: JSON.stringify(activity) };
}

/** The label of "ask an agent to review", as a customer would type or press it. */
const START_PROCEDURE = Object.fromEntries(
  (['ja', 'en'] as const).map((lang) => [lang, (JSON.parse(readFileSync(`locales/${lang}/identity.json`, 'utf8')) as { options: { startProcedure: { label: string } } }).options.startProcedure.label]),
) as Record<'ja' | 'en', string>;

function cardRequests(spec: CardSpec): Sent[] {
  const fields = { channelId: spec.channelId, locale: spec.locale };
  const requests: Sent[] = [];
  if (spec.agentFirst) {
    const text = spec.locale === 'ja-JP' ? '担当者' : 'agent';
    requests.push({ method: 'POST', path: '/api/messages', headers: { ...JSON_HEADERS }, body: JSON.stringify(botActivity(spec.conversation, { ...fields, text })) });
    // "Talk to a person" offers the support contact or an agent's review first (issue 15).
    const review = START_PROCEDURE[spec.locale === 'ja-JP' ? 'ja' : 'en'];
    requests.push({ method: 'POST', path: '/api/messages', headers: { ...JSON_HEADERS }, body: JSON.stringify(botActivity(spec.conversation, { ...fields, text: review })) });
  }
  requests.push({ method: 'POST', path: '/api/messages', headers: { ...JSON_HEADERS }, body: JSON.stringify(botActivity(spec.conversation, { ...fields, value: spec.value })) });
  return requests;
}

function webChatRequest(spec: WebChatSpec): Sent {
  const own = webChat[spec.auth.kind === 'token' ? spec.auth.i : 0]!;
  const headers: Record<string, string> = {};
  if (spec.auth.kind === 'token') headers['Authorization'] = `Bearer ${own.token}`;
  else if (spec.auth.kind === 'secret') headers['Authorization'] = `Bearer ${SECRET}`;
  else if (spec.auth.kind === 'junk') headers['Authorization'] = spec.auth.header.replace(/[^\t\x20-\x7e]/g, '?');
  const id =
    spec.target.kind === 'own' ? own.conversationId : spec.target.kind === 'other' ? webChat[spec.target.i]!.conversationId : encodeURIComponent(spec.target.id) || 'x';
  const watermark = spec.watermark !== undefined ? `?watermark=${encodeURIComponent(spec.watermark)}` : '';
  const body = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const base = '/v3/directline';
  switch (spec.route) {
    case 'generate':
      return { method: 'POST', path: `${base}/tokens/generate`, headers, ...(body !== undefined ? { body } : {}) };
    case 'refresh':
      return { method: 'POST', path: `${base}/tokens/refresh`, headers, ...(body !== undefined ? { body } : {}) };
    case 'start':
      return { method: 'POST', path: `${base}/conversations`, headers, ...(body !== undefined ? { body } : {}) };
    case 'resume':
      return { method: 'GET', path: `${base}/conversations/${id}${watermark}`, headers };
    case 'post':
      return { method: 'POST', path: `${base}/conversations/${id}/activities`, headers, ...(body !== undefined ? { body } : {}) };
    case 'list':
      return { method: 'GET', path: `${base}/conversations/${id}/activities${watermark}`, headers };
    case 'upload':
      return { method: 'POST', path: `${base}/conversations/${id}/upload?userId=x`, headers, ...(body !== undefined ? { body } : {}) };
    case 'unknown':
      return { method: 'DELETE', path: `${base}/conversations/${id}`, headers };
  }
}

function requestsOf(spec: FuzzSpec): Sent[] {
  if (spec.kind === 'activity') return [activityRequest(spec)];
  if (spec.kind === 'card') return cardRequests(spec);
  return [webChatRequest(spec)];
}

interface RunResult {
  readonly sent: number;
  readonly statuses: Map<number, number>;
  readonly serverErrors: { request: Sent; answer: Answer }[];
  readonly networkErrors: string[];
}

/** Specs are generated this many at a time, so the run holds no more of them than that. */
const CHUNK = 250;

/**
 * Sends at least `requests` generated requests with CONCURRENCY workers (a spec's requests go in
 * order). Specs are made chunk by chunk from `seed`, so a run can be replayed.
 */
async function run(requests: number, seed: number): Promise<RunResult> {
  const result: RunResult = { sent: 0, statuses: new Map(), serverErrors: [], networkErrors: [] };
  let chunk: FuzzSpec[] = [];
  let chunks = 0;
  let queued = 0;
  const nextSpec = (): FuzzSpec | undefined => {
    if (queued >= requests) return undefined;
    if (chunk.length === 0) chunk = fc.sample(fuzzSpec, { numRuns: CHUNK, seed: seed + chunks++ });
    const spec = chunk.pop()!;
    queued += requestsOf(spec).length;
    return spec;
  };
  const worker = async () => {
    for (let spec = nextSpec(); spec; spec = nextSpec()) {
      for (const req of requestsOf(spec)) {
        (result as { sent: number }).sent++;
        try {
          const answer = await send(req);
          result.statuses.set(answer.status, (result.statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500 && result.serverErrors.length < 20) result.serverErrors.push({ request: req, answer });
        } catch (err) {
          if (result.networkErrors.length < 20) result.networkErrors.push(`${req.method} ${req.path}: ${(err as Error).message}`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return result;
}

const gc = (() => {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap in use once garbage is collected and the transcript queue written. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    app.transcripts.flush();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

it(`${REQUESTS} generated activities, card submissions and web chat requests: no 5xx, still serving, heap back at baseline, every stored row valid`, async () => {
  const warmUp = await run(WARM_UP, SEED + 1_000_000);
  expect(warmUp.serverErrors).toEqual([]);
  const baseline = await settledHeap();

  const started = performance.now();
  const result = await run(REQUESTS, SEED);
  const seconds = (performance.now() - started) / 1000;
  const after = await settledHeap();

  const statuses = Object.fromEntries([...result.statuses].sort(([a], [b]) => a - b));
  console.info(`fuzz seed ${SEED}: ${result.sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(statuses)}; heap ${MB(baseline)} -> ${MB(after)}; ${retried} sent again after an idle socket's reset`);

  expect(result.sent).toBeGreaterThanOrEqual(REQUESTS);
  expect(retried, 'requests sent again after a reset: more than a rare keep-alive race').toBeLessThanOrEqual(Math.max(5, REQUESTS / 500));
  expect(result.serverErrors.map((e) => ({ status: e.answer.status, answer: e.answer.body.slice(0, 300), request: `${e.request.method} ${e.request.path} ${e.request.body?.slice(0, 600)}` }))).toEqual([]);
  expect(result.networkErrors).toEqual([]);
  expect(escaped).toEqual([]);
  // No error-level line at all. ("Unknown conversation" in appendActivity was once excused here as
  // a reply racing the end of a chat; it was the redactor rewriting random conversation ids.)
  const unexpectedErrors = errorLogs;
  expect(unexpectedErrors, `seed ${SEED}:\n${unexpectedErrors.join('\n').slice(0, 4000)}`).toEqual([]);
  // Every kind of answer was exercised, not only refusals.
  expect(result.statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 5);
  expect(result.statuses.get(400) ?? 0).toBeGreaterThan(0);

  // Still serving: health, and a customer's whole turn.
  const health = await send({ method: 'GET', path: '/healthz', headers: {} });
  expect(health.status).toBe(200);
  const turn = await send({ method: 'POST', path: '/api/messages', headers: { ...JSON_HEADERS }, body: JSON.stringify(botActivity(9_999, { text: 'hello', locale: 'en-US' })) });
  expect(turn.status).toBe(200);
  expect((JSON.parse(turn.body) as { activities: unknown[] }).activities.length).toBeGreaterThan(0);

  expect(after - baseline, `heap ${MB(baseline)} -> ${MB(after)}`).toBeLessThan(HEAP_SLACK_BYTES);

  await expectEveryStoredRowValid();
}, 300_000);

/** Reads back everything the run wrote and checks it with the schemas the app loads it with. */
async function expectEveryStoredRowValid(): Promise<void> {
  const db = app.db;
  app.transcripts.flush();
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);

  const states = db.prepare('SELECT key, data FROM bot_state').all() as { key: string; data: string }[];
  expect(states.length).toBeGreaterThan(BOT_CONVERSATIONS / 2);
  for (const row of states) {
    const item = JSON.parse(row.data) as Record<string, unknown>;
    if (row.key.endsWith('/redaction')) {
      expect(typeof item['hint'] === 'object' && typeof item['digitsExpected'] === 'boolean' && typeof item['at'] === 'number', row.key).toBe(true);
      continue;
    }
    const data = parseConversationData(item);
    expect(data, row.key).toBeDefined();
    if (data?.flow) {
      const definition = data.flow.name === identityFlow.name ? identityFlow : troubleshootingFlow;
      const restored = FlowSession.restore(definition, data.flow);
      expect(restored.ok, row.key).toBe(true);
    }
  }

  const repository = new SqliteTicketRepository(db);
  const ids = (db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id);
  expect(ids.length).toBeGreaterThan(0);
  // Each ticket loads through the repository (history and all), as the desk reads it.
  for (const id of ids) expect((await repository.get(parseTicketId(id)!))?.history[0]?.event, id).toBe('ticket.opened');
  for (const row of db.prepare('SELECT id, reason, claims, path, steps_tried FROM tickets').all() as { id: string; reason: string; claims: string; path: string; steps_tried: string }[]) {
    expect(HANDOFF_REASONS as readonly string[]).toContain(row.reason);
    const claims = validateIdentityClaims(JSON.parse(row.claims));
    expect(claims.ok, `${row.id}: ${JSON.stringify(claims.ok ? null : claims.errors)}`).toBe(true);
    expect(Array.isArray(JSON.parse(row.path)) && Array.isArray(JSON.parse(row.steps_tried))).toBe(true);
  }

  // The transcripts live in their own file, written by the transcript thread (flushed above).
  const transcripts = new Database(transcriptsFileOf(join(dir, 'bot.sqlite')), { readonly: true });
  try {
    expect(transcripts.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(transcripts.pragma('foreign_key_check')).toEqual([]);
    let rows = 0;
    for (const row of transcripts.prepare('SELECT body FROM transcript_activities').iterate() as IterableIterator<{ body: string }>) {
      rows++;
      const a = JSON.parse(row.body) as { type?: unknown; channelId?: unknown; conversation?: { id?: unknown } };
      expect(typeof a.type === 'string' && typeof a.channelId === 'string' && typeof a.conversation?.id === 'string', row.body.slice(0, 200)).toBe(true);
    }
    // Every answered turn writes at least the customer's activity and one reply.
    expect(rows).toBeGreaterThan(REQUESTS / 5);
  } finally {
    transcripts.close();
  }
  for (const row of db.prepare('SELECT id, activity FROM directline_activities').iterate() as IterableIterator<{ id: string; activity: string }>) {
    const a = JSON.parse(row.activity) as { id?: unknown; type?: unknown; timestamp?: unknown };
    expect(a.id === row.id && typeof a.type === 'string' && !Number.isNaN(Date.parse(String(a.timestamp))), row.activity.slice(0, 200)).toBe(true);
  }
}
