/**
 * The load generator of `npm run bench`, run as a child process so that its CPU is not the
 * server's: sends whole conversations to POST /api/messages (deliveryMode expectReplies), each
 * conversation's turns one after the other (a turn is sent when the previous turn's replies came
 * back), over keep-alive connections (node:http Agent). Written here rather than with autocannon,
 * which sends independent requests and cannot sequence a conversation's turns.
 *
 *   node load.js '<json LoadOptions>'   -> prints one JSON LoadResult line on stdout
 *
 * Closed loop (`concurrency`): that many conversations at once, a new one as soon as one ends.
 * Open loop (`rate`): a turn is due every 1/rate s whatever the server does; it goes to a
 * conversation waiting for its next turn, or starts a new one; latency counts from when the turn
 * was due (no coordinated omission).
 */
import http from 'node:http';
import { activityFor, loadConversations, type ConversationTemplate } from './conversations.js';

export interface LoadOptions {
  readonly url: string;
  readonly seconds: number;
  readonly concurrency?: number;
  readonly rate?: number;
  /** Prefix of conversation ids: each run and server gets its own. */
  readonly prefix: string;
  /** Index of the first conversation template (runs rotate through them). */
  readonly start?: number;
  /** Start no more conversations than this (the memory run); the run ends when they are done or time is up. */
  readonly maxConversations?: number;
}

export interface LoadResult {
  readonly turns: number;
  readonly errors: number;
  readonly seconds: number;
  /** Milliseconds, sorted ascending percentiles. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly conversations: number;
  readonly firstError?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const conversations = loadConversations();
const target = new URL(options.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(options.concurrency ?? 0, 256) });

const latencies: number[] = [];
let errors = 0;
let firstError: string | undefined;
let started = 0;
let next = options.start ?? 0;

function post(body: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer bench' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let ok = res.statusCode === 200;
          if (ok) {
            try {
              ok = Array.isArray((JSON.parse(text) as { activities?: unknown }).activities);
            } catch {
              ok = false;
            }
          }
          if (!ok) {
            errors++;
            firstError ??= `${res.statusCode}: ${text.slice(0, 300)}`;
          }
          resolve();
        });
      },
    );
    req.on('error', (err) => {
      errors++;
      firstError ??= err.message;
      resolve();
    });
    req.end(body);
  });
}

interface Live {
  readonly id: string;
  readonly template: ConversationTemplate;
  turn: number;
}

function newConversation(): Live {
  const template = conversations[next++ % conversations.length]!;
  return { id: `${options.prefix}-${started++}`, template, turn: 0 };
}

async function sendTurn(c: Live, due: number): Promise<void> {
  const body = JSON.stringify(activityFor(c.template.turns[c.turn]!, c.id, 'http://127.0.0.1:9/'));
  await post(body);
  latencies.push(performance.now() - due);
  c.turn++;
}

process.stdout.write('go\n');
const begin = performance.now();
const end = begin + options.seconds * 1000;

if (options.rate) {
  const interval = 1000 / options.rate;
  const idle: Live[] = [];
  const inFlight = new Set<Promise<void>>();
  let due = begin;
  while (due < end) {
    const now = performance.now();
    if (now < due) {
      await new Promise((r) => setTimeout(r, Math.max(0, due - now - 0.5)));
      continue;
    }
    const c = idle.pop() ?? newConversation();
    const p: Promise<void> = sendTurn(c, due).then(() => {
      inFlight.delete(p);
      if (c.turn < c.template.turns.length) idle.push(c);
    });
    inFlight.add(p);
    due += interval;
  }
  await Promise.all(inFlight);
} else {
  const worker = async () => {
    while (performance.now() < end && started < (options.maxConversations ?? Infinity)) {
      const c = newConversation();
      while (c.turn < c.template.turns.length && performance.now() < end) await sendTurn(c, performance.now());
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
}

const seconds = (performance.now() - begin) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const result: LoadResult = { turns: latencies.length, errors, seconds, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN, conversations: started, firstError };
agent.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
