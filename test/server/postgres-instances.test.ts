/**
 * Issue 17, the process test: two server processes (`node --import tsx src/index.ts`) on one
 * PostgreSQL schema (DATABASE_URL with `options=-csearch_path=…`). Twelve conversations (ja and en)
 * walk to a ticket over /api/messages (expectReplies), each turn sent to the other instance than the
 * one before, all conversations at once. After the first six, the desks of both instances list the
 * same queue and a web chat conversation runs across them (token from one, messages to the other).
 * During the last six one instance is SIGKILLed: the turns lost with it are sent again to the
 * survivor, as a channel retries, and every later turn goes there. Every conversation completes with
 * exactly one ticket, every turn is answered (no busy or failed turn logged), none is lost.
 * Skipped locally without PostgreSQL, a failure in CI.
 */
import { Agent } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type BackendApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { TICKET_ID, type Lang } from '../e2e/support/customer.js';
import { addAgent, type DeskAgent } from '../e2e/support/desk-client.js';
import { IDENTITY } from '../e2e/support/scenarios.js';
import { CHILD_DIRECTLINE_SECRET, expectRepliesActivity, postJson, replyTexts, spawnServer, type ChildServer } from '../helpers/child-server.js';
import { createSchema, dropSchema, newSchemaName, skipPostgres, TEST_DATABASE_URL } from '../helpers/postgres.js';

const LOCALE: Record<Lang, string> = { ja: 'ja-JP', en: 'en-US' };
const CONVERSATIONS = 12;

/** The test server's URL with this schema as every connection's search_path (and no wait for the disk at commit). */
function urlIn(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-csearch_path=${schema} -csynchronous_commit=off`);
  return url.toString();
}

interface Conversation {
  readonly id: string;
  readonly lang: Lang;
  /** The turns of the walk to a ticket, each activity built once so a retry sends it as it was. */
  readonly turns: Record<string, unknown>[];
  ticket?: string;
  retried: number;
}

function conversation(n: number): Conversation {
  const lang: Lang = n % 2 === 0 ? 'ja' : 'en';
  const id = `pg-proc-${n}`;
  const turn = (extra: Record<string, unknown>) => expectRepliesActivity(id, { locale: LOCALE[lang], ...extra });
  return {
    id,
    lang,
    turns: [
      turn({ text: lang === 'ja' ? 'ヘルプ' : 'help' }),
      turn({ text: lang === 'ja' ? '担当者' : 'agent' }),
      turn({ text: lang === 'ja' ? '手続きを始める' : 'Start the procedure' }),
      turn({ value: { t: 'identity', ...IDENTITY[lang].typed } }),
    ],
    retried: 0,
  };
}

/** A turn failure logged by an instance: busy (lock or eTag) or a failed turn. */
function failedTurns(server: ChildServer): unknown[] {
  return server.logs.filter((l) => /conversation busy|concurrent write refused|turn failed/.test(String(l['msg'])));
}

describe.skipIf(skipPostgres())('two server processes on one PostgreSQL database', () => {
  const schema = newSchemaName();
  const servers: ChildServer[] = [];
  let admin: BackendApp | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });

  beforeAll(async () => {
    await createSchema(schema);
    const env = { DATABASE_URL: urlIn(schema), DATABASE_FILE: ':memory:', LOG_LEVEL: 'info' };
    // Both start at once on the empty schema: the migrations' advisory lock lets one apply them.
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    // The test's own view of the shared database, for creating desk agents (never listening).
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_FILE: ':memory:', DATABASE_URL: TEST_DATABASE_URL, DIRECTLINE_SECRET: CHILD_DIRECTLINE_SECRET });
    admin = await openApp(config, silentLogger, { schema, max: 2, lockMax: 1 });
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    for (const s of servers) if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await admin?.close({ graceMs: 1_000 });
    await dropSchema(schema);
  });

  it('answers every turn sent alternately to both, shares the desk queue and web chat, and loses nothing when one is killed', async () => {
    const [a, b] = servers as [ChildServer, ChildServer];
    for (const s of servers) {
      const health = await fetch(`${s.baseUrl}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    }
    expect(a.logs.find((l) => String(l['msg']).startsWith('bot listening'))).toMatchObject({ backend: 'postgres' });

    let victim: ChildServer | undefined;
    const alive = () => servers.filter((s) => s !== victim);
    const conversations = Array.from({ length: CONVERSATIONS }, (_, n) => conversation(n));

    /** Walks one conversation: turn n to instance (start + n) % 2, or the survivor; a turn lost to the kill is sent again there. */
    async function walk(c: Conversation, start: number, onAnswered: () => void): Promise<void> {
      for (const [n, activity] of c.turns.entries()) {
        let res;
        for (;;) {
          const target = victim ? alive()[0]! : servers[(start + n) % 2]!;
          try {
            res = await postJson(agent, `${target.baseUrl}/api/messages`, activity);
            break;
          } catch (err) {
            // Only the killed instance may drop a request; then the channel redelivers it.
            if (target !== victim) throw err;
            c.retried++;
          }
        }
        expect(res.status, `${c.id} turn ${n}`).toBe(200);
        const text = replyTexts(res.body).join('\n');
        expect(text, `${c.id} turn ${n} unanswered`).toMatch(/\S/);
        if (n === c.turns.length - 1) c.ticket = TICKET_ID.exec(text)?.[0];
        onAnswered();
      }
      expect(c.ticket, `${c.id}: no ticket number`).toBeDefined();
    }

    // The first six, all at once, alternating.
    const first = conversations.slice(0, CONVERSATIONS / 2);
    await Promise.all(first.map((c, i) => walk(c, i, () => undefined)));

    // Both desks list the same queue: agents created in the shared database, one token per instance.
    const desks: DeskAgent[] = [];
    for (const s of servers) desks.push(await addAgent(admin as Parameters<typeof addAgent>[0], s.baseUrl, 'agent'));
    const queues = await Promise.all(desks.map(async (d) => {
      const q = await d.get('/api/desk/tickets');
      expect(q.status).toBe(200);
      return (q.json.tickets as { id: string }[]).map((t) => t.id).sort();
    }));
    expect(queues[0]).toEqual(first.map((c) => c.ticket).sort());
    expect(queues[1]).toEqual(queues[0]);

    // Web chat across instances: token and conversation from A, the message to B, the reply read on A.
    const generated = await fetch(`${a.baseUrl}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(generated.status).toBe(200);
    const { token, conversationId, userId } = (await generated.json()) as { token: string; conversationId: string; userId: string };
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${a.baseUrl}/v3/directline/conversations`, { method: 'POST', headers: auth, body: JSON.stringify({ locale: 'ja-JP' }) })).status).toBe(201);
    const posted = await fetch(`${b.baseUrl}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', from: { id: userId, role: 'user' }, text: 'ヘルプ', locale: 'ja-JP' }),
    });
    expect(posted.status).toBe(200);
    const { id: postedId } = (await posted.json()) as { id: string };
    const deadline = Date.now() + 5_000;
    let reply: { text?: string } | undefined;
    while (!reply && Date.now() < deadline) {
      const page = (await (await fetch(`${a.baseUrl}/v3/directline/conversations/${conversationId}/activities`, { headers: auth })).json()) as {
        activities: { replyToId?: string; text?: string }[];
      };
      reply = page.activities.find((x) => x.replyToId === postedId);
      if (!reply) await new Promise((r) => setTimeout(r, 25));
    }
    expect(reply?.text, 'no web chat reply read on the other instance').toBeTruthy();

    // The last six, all at once; B is SIGKILLed once a third of their turns are answered.
    const rest = conversations.slice(CONVERSATIONS / 2);
    const killAfter = Math.floor((rest.length * rest[0]!.turns.length) / 3);
    let answered = 0;
    const onAnswered = () => {
      if (++answered === killAfter) {
        victim = b;
        b.process.kill('SIGKILL');
      }
    };
    await Promise.all(rest.map((c, i) => walk(c, i, onAnswered)));
    expect(await b.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const retried = rest.reduce((n, c) => n + c.retried, 0);
    console.info(`postgres instances: ${retried} turn(s) sent again to the survivor after the SIGKILL`);

    // Nothing lost: the survivor's queue holds all twelve, one ticket per conversation.
    const survivorDesk = desks[0]!;
    const after = await survivorDesk.get('/api/desk/tickets');
    expect(after.status).toBe(200);
    const ids = (after.json.tickets as { id: string }[]).map((t) => t.id).sort();
    expect(ids).toEqual(conversations.map((c) => c.ticket).sort());
    const client = new pg.Client({ connectionString: urlIn(schema) });
    await client.connect();
    try {
      const { rows } = await client.query<{ conversation_id: string; n: string }>('SELECT conversation_id, COUNT(*) AS n FROM tickets GROUP BY conversation_id ORDER BY conversation_id');
      expect(rows.map((r) => [r.conversation_id, Number(r.n)])).toEqual(conversations.map((c) => [c.id, 1]).sort());
    } finally {
      await client.end();
    }
    // Every turn answered as the bot means it: no busy reply, no failed turn on either instance.
    expect(failedTurns(a)).toEqual([]);
    expect(failedTurns(b)).toEqual([]);
    const health = await fetch(`${a.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  }, 60_000);
});
