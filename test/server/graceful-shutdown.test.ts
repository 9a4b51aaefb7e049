/**
 * Issue 12, SIGTERM: the server stops accepting, finishes the turns in flight, delivers the
 * notifications already due, writes the transcript queue, closes the database and exits 0.
 * The first test runs the real entry point in a child process; the second checks the outbox
 * part in process, where a ticket change can be made without the desk's sign-in.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectLineCustomer, TEST_DIRECTLINE_SECRET } from '../e2e/support/running-app.js';
import { IDENTITY } from '../e2e/support/scenarios.js';
import { TICKET_ID } from '../e2e/support/customer.js';
import { expectRepliesActivity, postJson, replyTexts, spawnServer, type ChildServer } from '../helpers/child-server.js';
import { startApp } from '../helpers/http-app.js';
import { transcriptsFileOf } from '../../src/transcripts/index.js';

const dirs: string[] = [];
const children: ChildServer[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bot-shutdown-'));
  dirs.push(dir);
  return dir;
}

type Outcome = { readonly id: string; readonly status: number; readonly body: unknown; readonly afterSignal: boolean } | { readonly id: string; readonly error: string };

describe('SIGTERM', () => {
  it('answers every turn it accepted, refuses the rest, keeps their transcripts, checkpoints the database and exits 0', async () => {
    const file = join(tempDir(), 'bot.sqlite');
    const server = await spawnServer({ DATABASE_FILE: file });
    children.push(server);
    const url = `${server.baseUrl}/api/messages`;
    const agent = new Agent({ keepAlive: true, maxSockets: 24 });

    // 24 customers each sending turns back to back; SIGTERM once 48 turns were answered.
    const outcomes: Outcome[] = [];
    let signalled = false;
    let answered = 0;
    const customer = async (n: number) => {
      for (let i = 0; ; i++) {
        const activity = expectRepliesActivity(`shutdown-${n}`, i === 0 ? { type: 'conversationUpdate', membersAdded: [{ id: `user-shutdown-${n}` }] } : { text: 'sms' });
        const id = String(activity['id']);
        try {
          const res = await postJson(agent, url, activity);
          outcomes.push({ id, status: res.status, body: res.body, afterSignal: signalled });
          if (res.status !== 200) return;
          if (++answered === 48) {
            signalled = true;
            server.process.kill('SIGTERM');
          }
        } catch (err) {
          outcomes.push({ id, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, n) => customer(n)));
    agent.destroy();
    const exit = await server.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logs.some((l) => l['msg'] === 'stopped')).toBe(true);
    // Turns that were running when the signal came were finished and answered.
    const okAfterSignal = outcomes.filter((o) => 'status' in o && o.status === 200 && o.afterSignal);
    expect(okAfterSignal.length, JSON.stringify(outcomes.slice(-30))).toBeGreaterThan(0);
    for (const o of outcomes) {
      if ('error' in o) expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up']).toContain(o.error);
      else if (o.status === 200) expect(replyTexts(o.body).length).toBeGreaterThan(0);
      else expect(o).toMatchObject({ status: 503, body: { code: 'unavailable' } });
    }

    // The databases were closed cleanly (the main one and the transcripts' own): WAL checkpointed
    // into each file, pages intact.
    const transcriptsFile = transcriptsFileOf(file);
    for (const f of [file, transcriptsFile]) {
      expect(!existsSync(`${f}-wal`) || statSync(`${f}-wal`).size === 0, f).toBe(true);
      const check = new Database(f, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
    }
    const db = new Database(transcriptsFile, { readonly: true });
    try {
      const recorded = (db.prepare('SELECT body FROM transcript_activities').all() as { body: string }[]).map(
        (r) => JSON.parse(r.body) as { id?: string; from?: { id?: string }; conversation?: { id?: string } },
      );
      const incoming = new Set(recorded.filter((a) => a.from?.id !== 'bot').map((a) => a.id));
      const botMessages = new Map<string, number>();
      for (const a of recorded) if (a.from?.id === 'bot') botMessages.set(a.conversation!.id!, (botMessages.get(a.conversation!.id!) ?? 0) + 1);
      const answeredReplies = new Map<string, number>();
      for (const o of outcomes) {
        const conversation = o.id.replace(/-\d+$/, '');
        const ok = 'status' in o && o.status === 200;
        // Every answered turn is in the transcript (the queue was written before close); no turn
        // ran whose customer got no answer.
        expect(incoming.has(o.id), o.id).toBe(ok);
        if (ok) answeredReplies.set(conversation, (answeredReplies.get(conversation) ?? 0) + replyTexts(o.body).length);
      }
      // …with every reply the customers were sent, and none they were not.
      expect(botMessages).toEqual(answeredReplies);
    } finally {
      db.close();
    }
  }, 90_000);
});

describe('closing the app', () => {
  async function webChatTicket(deliverQueued: boolean): Promise<{ file: string; ticketId: string }> {
    const file = join(tempDir(), 'bot.sqlite');
    const running = await startApp({ DATABASE_FILE: file, DIRECTLINE_SECRET: TEST_DIRECTLINE_SECRET });
    const customer = new DirectLineCustomer(running.baseUrl, 'en');
    await customer.start();
    await customer.post({ text: 'agent' });
    // "Talk to a person" offers the support contact or an agent's review first (issue 15).
    await customer.post({ text: running.app.localizer.forLanguage('en')('identity:options.startProcedure.label') });
    const replies = await customer.post({ value: { t: 'identity', ...IDENTITY.en.typed } });
    const ticketId = replies.map((r) => String(r['text'] ?? '')).join('\n').match(TICKET_ID)?.[0];
    expect(ticketId).toBeDefined();
    // An agent's change writes a notification; the dispatcher would deliver it at its next poll.
    await running.app.agentTickets.verifyIdentity(ticketId!, 'agent-a');
    await running.app.close({ deliverQueued, graceMs: 5_000 });
    return { file, ticketId: ticketId! };
  }

  function notificationStatuses(file: string): string[] {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare("SELECT status FROM ticket_notifications WHERE kind = 'verified'").all() as { status: string }[]).map((r) => r.status);
    } finally {
      db.close();
    }
  }

  it('delivers the notifications already due when asked to (the SIGTERM path)', async () => {
    const { file } = await webChatTicket(true);
    expect(notificationStatuses(file)).toEqual(['delivered']);
  });

  it('otherwise leaves them in the outbox for the next start', async () => {
    const { file } = await webChatTicket(false);
    expect(notificationStatuses(file)).toEqual(['pending']);
  });
});
