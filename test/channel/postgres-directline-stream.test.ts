/**
 * Web chat's stream across instances on PostgreSQL (LISTEN/NOTIFY): a stream opened on instance A
 * receives the reply to a message posted on instance B within a second (without the signal it
 * would wait for A's keep-alive round, 30 s); after A's listening connection is killed, A listens
 * again and its stream catches up. Skipped locally without PostgreSQL, a failure in CI.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePayload, signalChannelFor } from '../../src/channel/directline/postgres-conversation-signal.js';
import { createSchema, dropSchema, newSchemaName, skipPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { startPostgresApp, type RunningPostgresApp } from '../helpers/postgres-app.js';
import { StreamClient, type StreamActivity } from './stream-client.js';

const DIRECTLINE_SECRET = 'pg-stream-directline-secret-0123456789abcdef';

type Running = RunningPostgresApp;
const start = (schema: string): Promise<Running> => startPostgresApp(schema, { DIRECTLINE_SECRET });

async function post(baseUrl: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(`${baseUrl}/v3/directline${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status).toBeLessThan(300);
  return res.json();
}

const botReplies = (all: readonly StreamActivity[]) => all.filter((a) => a.type === 'message' && a.from?.role === 'bot');

describe('notification payloads', () => {
  it('reads ids and watermarks only, and ignores anything else sent on the channel', () => {
    expect(parsePayload('a 12 AbCdEfGhIjKlMnOp_-12')).toEqual({ kind: 'activity', conversationId: 'AbCdEfGhIjKlMnOp_-12', watermark: 12 });
    expect(parsePayload('e AbCdEfGhIjKlMnOp')).toEqual({ kind: 'ended', conversationId: 'AbCdEfGhIjKlMnOp' });
    for (const hostile of [undefined, '', 'a x conv', 'a 1 conv with spaces', 'a 1 ../../etc', 'x 1 conv', `a 1 ${'c'.repeat(65)}`, 'a 99999999999999999 conv']) {
      expect(parsePayload(hostile)).toBeUndefined();
    }
    expect(signalChannelFor(undefined)).toBe('tfa_directline');
    expect(signalChannelFor('t_abc').length).toBeLessThanOrEqual(63);
  });
});

describe.skipIf(skipPostgres())('web chat stream across instances on PostgreSQL', () => {
  const schema = newSchemaName();
  const instances: Running[] = [];
  const streams: StreamClient[] = [];
  beforeAll(async () => {
    await createSchema(schema);
    instances.push(...(await Promise.all([start(schema), start(schema)])));
  }, 60_000);
  afterAll(async () => {
    streams.forEach((s) => s.close());
    for (const i of instances.splice(0)) await i.app.close({ graceMs: 2_000 });
    await dropSchema(schema);
  });

  /** A conversation started on A with its stream open there; returns the token and the stream. */
  async function streamOnA(locale = 'en-US') {
    const [a] = instances;
    const generated = await post(a!.baseUrl, '/tokens/generate', '');
    const started = await post(a!.baseUrl, '/conversations', generated.token, { locale });
    const stream = new StreamClient(started.streamUrl);
    streams.push(stream);
    await stream.waitFor((all) => botReplies(all).length > 0);
    return { token: generated.token as string, userId: generated.userId as string, id: started.conversationId as string, stream };
  }

  it('a stream on instance A receives the reply to a message posted on instance B within a second', async () => {
    const [, b] = instances;
    const c = await streamOnA();
    const before = botReplies(c.stream.activities).length;
    await post(b!.baseUrl, `/conversations/${c.id}/activities`, c.token, { type: 'message', text: 'SMS code not arriving', from: { id: c.userId } });
    const posted = Date.now();
    const all = await c.stream.waitFor((x) => botReplies(x).length > before, 1000);
    expect(Date.now() - posted).toBeLessThan(1000);
    expect(all.some((x) => x.from?.id === c.userId && x.text === 'SMS code not arriving')).toBe(true);
    expect(instances[0]!.app.directLine.channel.openStreams()).toBe(1);
    expect(instances[1]!.app.directLine.channel.openStreams()).toBe(0);
  });

  it('listens again after its connection is killed, and the stream catches up on what was signalled meanwhile', async () => {
    const [, b] = instances;
    const c = await streamOnA();
    const before = botReplies(c.stream.activities).length;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Both instances listen on this schema's channel: kill both, so the notification is surely lost.
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tfa-support-bot-listen' AND query = $1`,
        [`LISTEN ${signalChannelFor(schema)}`],
      );
      expect(killed.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await post(b!.baseUrl, `/conversations/${c.id}/activities`, c.token, { type: 'message', text: 'I lost my phone', from: { id: c.userId } });
    // Listening again after about a second, then every stream reads the store.
    await c.stream.waitFor((x) => botReplies(x).length > before, 5000);
  });
});
