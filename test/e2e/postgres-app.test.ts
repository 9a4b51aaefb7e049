/**
 * The real app on PostgreSQL (DATABASE_URL, issue 17): openApp applies every PostgreSQL migration in
 * this file's own schema, a customer walks through /api/messages (expectReplies) to a ticket that
 * the desk API's queue shows, a web chat conversation runs through /v3/directline, and two app
 * instances on the one schema answer one conversation's turns sent alternately to each, in order,
 * with one ticket at the end. Skipped locally without PostgreSQL, a failure in CI.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRepliesActivity, postJson, replyTexts } from '../helpers/child-server.js';
import { createSchema, dropSchema, newSchemaName, skipPostgres } from '../helpers/postgres.js';
import { startPostgresApp, type RunningPostgresApp } from '../helpers/postgres-app.js';
import { TICKET_ID } from './support/customer.js';
import { addAgent } from './support/desk-client.js';
import { IDENTITY } from './support/scenarios.js';

const DIRECTLINE_SECRET = 'pg-e2e-directline-secret-0123456789abcdef';

type Running = RunningPostgresApp;
const start = (schema: string): Promise<Running> => startPostgresApp(schema, { DIRECTLINE_SECRET });

describe.skipIf(skipPostgres())('the app on PostgreSQL', () => {
  const schema = newSchemaName();
  const instances: Running[] = [];
  const agent = new Agent({ keepAlive: true });
  beforeAll(async () => {
    await createSchema(schema);
    // Two instances starting together on a fresh schema: the migrations' advisory lock lets one apply them.
    instances.push(...(await Promise.all([start(schema), start(schema)])));
  }, 60_000);
  afterAll(async () => {
    agent.destroy();
    for (const i of instances.splice(0)) await i.app.close({ graceMs: 2_000 });
    await dropSchema(schema);
  });

  it('runs on the postgres backend and its health check reaches the pool', async () => {
    const [a] = instances;
    expect(a!.app.backend).toBe('postgres');
    const health = await fetch(`${a!.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
  });

  it('walks a customer through /api/messages to a ticket that the desk queue shows', async () => {
    const { app, baseUrl } = instances[0]!;
    const say = (extra: Record<string, unknown>) =>
      postJson(agent, `${baseUrl}/api/messages`, expectRepliesActivity('pg-customer-1', { locale: 'en-US', ...extra }));
    expect((await say({ text: 'agent' })).status).toBe(200);
    const procedure = await say({ text: 'Start the procedure' });
    expect(JSON.stringify(procedure.body)).toContain('AdaptiveCard');
    const submitted = await say({ value: { t: 'identity', ...IDENTITY.en.typed } });
    expect(submitted.status).toBe(200);
    const ticketId = TICKET_ID.exec(replyTexts(submitted.body).join('\n'))?.[0];
    expect(ticketId).toBeDefined();

    const desk = await addAgent(app as Parameters<typeof addAgent>[0], baseUrl, 'agent');
    const queue = await desk.get('/api/desk/tickets');
    expect(queue.status).toBe(200);
    expect((queue.json.tickets as { id: string }[]).map((t) => t.id)).toContain(ticketId);
    // The other instance's desk reads the same database.
    const other = await addAgent(instances[1]!.app as Parameters<typeof addAgent>[0], instances[1]!.baseUrl, 'agent');
    expect((await other.get(`/api/desk/tickets/${ticketId}`)).status).toBe(200);
    // The transcript went to PostgreSQL too.
    const page = await app.transcripts.log.read('webchat', 'pg-customer-1');
    expect(page.items.length).toBeGreaterThanOrEqual(6);
  });

  it('answers a web chat conversation through /v3/directline', async () => {
    const { baseUrl } = instances[0]!;
    const generated = await fetch(`${baseUrl}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(generated.status).toBe(200);
    const { token, conversationId, userId } = (await generated.json()) as { token: string; conversationId: string; userId: string };
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${baseUrl}/v3/directline/conversations`, { method: 'POST', headers: auth, body: JSON.stringify({ locale: 'en-US' }) })).status).toBe(201);
    const posted = await fetch(`${baseUrl}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', from: { id: userId, role: 'user' }, text: 'help', locale: 'en-US' }),
    });
    expect(posted.status).toBe(200);
    const { id } = (await posted.json()) as { id: string };
    const deadline = Date.now() + 10_000;
    let reply: { text?: string } | undefined;
    while (!reply && Date.now() < deadline) {
      const page = (await (await fetch(`${baseUrl}/v3/directline/conversations/${conversationId}/activities`, { headers: auth })).json()) as {
        activities: { replyToId?: string; text?: string }[];
      };
      reply = page.activities.find((a) => a.replyToId === id);
      if (!reply) await new Promise((r) => setTimeout(r, 50));
    }
    expect(reply?.text).toBeTruthy();
  });

  it('two instances answer one conversation whose turns alternate between them, in order, with one ticket', async () => {
    const conversation = 'pg-alternating-1';
    const at = (n: number) => instances[n % 2]!.baseUrl;
    const turn = (n: number, extra: Record<string, unknown>) =>
      postJson(agent, `${at(n)}/api/messages`, expectRepliesActivity(conversation, { locale: 'ja-JP', ...extra }));
    // A burst: six turns sent at once, alternately to each instance; the turn lock queues them, none is refused as busy.
    const burst = await Promise.all(Array.from({ length: 6 }, (_, n) => turn(n, { text: 'ヘルプ' })));
    for (const res of burst) {
      expect(res.status).toBe(200);
      expect(replyTexts(res.body).join('\n')).toMatch(/\S/);
      expect(replyTexts(res.body).join('\n')).not.toContain("前のメッセージを処理中");
    }
    // Then the walk, each turn on the other instance as soon as the previous one answered: the
    // state written by one instance is what the other reads (the form follows the procedure).
    expect((await turn(0, { text: '担当者' })).status).toBe(200);
    const procedure = await turn(1, { text: '手続きを始める' });
    expect(JSON.stringify(procedure.body)).toContain('AdaptiveCard');
    const form = await turn(2, { value: { t: 'identity', ...IDENTITY.ja.typed } });
    const ticketId = TICKET_ID.exec(replyTexts(form.body).join('\n'))?.[0];
    expect(ticketId).toBeDefined();
    // The form sent again to the other instance: still the one ticket.
    expect((await turn(3, { value: { t: 'identity', ...IDENTITY.ja.typed } })).status).toBe(200);
    const tickets = await instances[1]!.app.stores.tickets.listForCustomer({ channelId: 'webchat', userId: `user-${conversation}` });
    expect(tickets.map((t) => t.id)).toEqual([ticketId]);
  });
});
