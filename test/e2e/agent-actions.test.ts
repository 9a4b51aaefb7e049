/**
 * Issue 3, tickets and "Back to the customer", through the running app: customers open tickets
 * over /api/messages (Bot Framework channel, a fake connector as serviceUrl) or the local web
 * chat channel; agents act with app.agentActions; every change reaches the customer's
 * conversation proactively, in the ticket's language. The two-agent rule, the lockout unlock
 * and every illegal transition are refused with a stable code and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { AgentActions } from '../../src/desk/agent-actions.js';
import type { Ticket } from '../../src/tickets/ticket.js';
import { TICKET_ID, type Lang } from './support/customer.js';
import { BotFrameworkCustomer, DirectLineCustomer, FakeConnector, startApp, textsOf, type RunningApp } from './support/running-app.js';
import { IDENTITY } from './support/scenarios.js';

const NOTIFY: Readonly<Record<Lang, Record<string, string>>> = {
  ja: {
    verified: 'ご本人確認が完了しました',
    verificationFailed: 'ご本人確認ができませんでした',
    resetApproved: '2段階認証のリセットが承認されました',
    unlockApproved: 'ログイン制限の解除が承認されました',
    resolved: 'お問い合わせの対応が完了しました',
    closed: 'お問い合わせを終了しました',
  },
  en: {
    verified: 'Your identity has been verified',
    verificationFailed: 'we could not verify your identity',
    resetApproved: 'Your 2FA reset has been approved',
    unlockApproved: 'The login restriction has been lifted',
    resolved: 'Your request has been completed',
    closed: 'Your request has been closed',
  },
};

const HOLD: Readonly<Record<Lang, (hours: number) => string>> = {
  ja: (h) => `今から${h}時間は出金を停止`,
  en: (h) => `withdrawals are paused for ${h} hours`,
};

let conversations = 0;

/** Opens a ticket over /api/messages: the customer asks for an agent (or reports a lockout) and submits the card. */
async function openTicket(
  running: RunningApp,
  connector: FakeConnector,
  lang: Lang,
  kind: 'reset' | 'lockout',
): Promise<{ customer: BotFrameworkCustomer; ticket: Ticket }> {
  conversations++;
  const customer = new BotFrameworkCustomer(running.baseUrl, connector, lang, {
    channelId: 'webchat',
    userId: `customer-${conversations}`,
    conversationId: `bf-conv-${conversations}`,
  });
  await customer.post({ type: 'conversationUpdate', membersAdded: [{ id: customer.ids.userId }] });
  if (kind === 'lockout') await customer.say(lang === 'ja' ? 'ログイン制限' : 'Login locked');
  const asked = kind === 'lockout' ? await customer.say(lang === 'ja' ? 'はい' : 'yes') : await customer.say(lang === 'ja' ? '担当者' : 'agent');
  expect(asked.some((a) => Array.isArray(a.body['attachments'])), 'identity card sent').toBe(true);
  const done = await customer.submitCard({ ...IDENTITY[lang].typed });
  const id = TICKET_ID.exec(textsOf(done))?.[0];
  expect(id, textsOf(done)).toBeDefined();
  const ticket = await running.app.agentActions.get(id!);
  expect(ticket).toMatchObject({ reason: kind === 'lockout' ? 'login_lockout' : 'customer_requested', language: lang });
  return { customer, ticket: ticket! };
}

async function expectRefused(promise: Promise<unknown>, code: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `refused with ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

describe('agent actions tell the customer proactively (Bot Framework channel, fake connector)', () => {
  const connector = new FakeConnector();
  let running: RunningApp;
  let actions: AgentActions;

  beforeAll(async () => {
    await connector.start();
    running = await startApp();
    actions = running.app.agentActions;
  });
  afterAll(async () => {
    await running.stop();
    await connector.stop();
  });

  it.each(['en', 'ja'] as const)('2FA reset (%s): verify → same agent refused → approve by another → resolve', async (lang) => {
    const { customer, ticket } = await openTicket(running, connector, lang, 'reset');
    const conversationId = customer.ids.conversationId;
    expect(ticket.conversationReference).toMatchObject({ serviceUrl: connector.serviceUrl, conversation: { id: conversationId } });
    let seen = connector.messagesTo(conversationId).length;
    const next = () => {
      const all = connector.messagesTo(conversationId);
      const fresh = all.slice(seen);
      seen = all.length;
      return fresh;
    };

    const verified = await actions.verifyIdentity(ticket.id, 'agent-a', 'documents match');
    expect(verified.notification).toBe('sent');
    expect(verified.ticket.status).toBe('verified');
    let got = next();
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toMatch(new RegExp(`^/v3/conversations/${conversationId}/activities`));
    expect(got[0]!.body).toMatchObject({ type: 'message', conversation: { id: conversationId }, recipient: { id: customer.ids.userId } });
    expect(String(got[0]!.body['text'])).toContain(ticket.id);
    expect(String(got[0]!.body['text'])).toContain(NOTIFY[lang]['verified']);

    // The verifier cannot also approve: refused, nothing changes, nobody is told.
    await expectRefused(actions.approveReset(ticket.id, 'agent-a'), 'same_agent');
    const unchanged = await actions.get(ticket.id);
    expect(unchanged).toEqual(verified.ticket);
    expect(next()).toEqual([]);

    const approved = await actions.approveReset(ticket.id, 'agent-b');
    expect(approved.ticket).toMatchObject({ status: 'reset_approved', approvalAction: 'reset_2fa', verifiedBy: 'agent-a', approvedBy: 'agent-b' });
    got = next();
    expect(got).toHaveLength(1);
    const text = String(got[0]!.body['text']);
    expect(text).toContain(NOTIFY[lang]['resetApproved']);
    expect(text).toContain(HOLD[lang](24));

    const resolved = await actions.resolve(ticket.id, 'agent-b');
    expect(resolved.ticket.status).toBe('resolved');
    got = next();
    expect(got).toHaveLength(1);
    expect(String(got[0]!.body['text'])).toContain(NOTIFY[lang]['resolved']);

    const history = (await actions.get(ticket.id))!.history;
    expect(history.map((h) => [h.actor.id, h.from, h.to])).toEqual([
      [customer.ids.userId, null, 'awaiting_verification'],
      ['agent-a', 'awaiting_verification', 'verified'],
      ['agent-b', 'verified', 'reset_approved'],
      ['agent-b', 'reset_approved', 'resolved'],
    ]);
    expect(history[1]!.note).toBe('documents match');
  });

  it.each(['ja', 'en'] as const)('lockout (%s): the approval unlocks the login, with no withdrawal hold', async (lang) => {
    const { customer, ticket } = await openTicket(running, connector, lang, 'lockout');
    const before = connector.messagesTo(customer.ids.conversationId).length;
    await actions.verifyIdentity(ticket.id, 'agent-a');
    const approved = await actions.approveReset(ticket.id, 'agent-b');
    expect(approved.ticket).toMatchObject({ status: 'reset_approved', approvalAction: 'unlock_login' });
    const got = connector.messagesTo(customer.ids.conversationId).slice(before);
    expect(got).toHaveLength(2);
    const text = String(got[1]!.body['text']);
    expect(text).toContain(NOTIFY[lang]['unlockApproved']);
    expect(text).not.toContain(NOTIFY[lang]['resetApproved']);
    expect(text).not.toContain(HOLD[lang](24));
    expect(text).not.toContain(lang === 'ja' ? '出金' : 'withdraw');
  });

  it.each(['en', 'ja'] as const)('failed verification and closing are told too (%s)', async (lang) => {
    const { customer, ticket } = await openTicket(running, connector, lang, 'reset');
    const before = connector.messagesTo(customer.ids.conversationId).length;
    await actions.failVerification(ticket.id, 'agent-a', 'name does not match');
    await actions.close(ticket.id, 'agent-b', 'identity_not_confirmed');
    const got = connector.messagesTo(customer.ids.conversationId).slice(before).map((a) => String(a.body['text']));
    expect(got).toHaveLength(2);
    expect(got[0]).toContain(NOTIFY[lang]['verificationFailed']);
    expect(got[1]).toContain(NOTIFY[lang]['closed']);
    expect(got[1]).toContain(lang === 'ja' ? 'ご本人確認ができなかったため' : 'identity could not be confirmed');
    // The agent's note is for agents, never sent to the customer.
    expect(got.join('\n')).not.toContain('name does not match');
  });

  it('a customer who cannot be reached does not stop the change: saved, reported as failed, no apology attempted', async () => {
    const { customer, ticket } = await openTicket(running, connector, 'en', 'reset');
    // The customer removed the bot: the channel refuses messages to the conversation.
    connector.refused.add(customer.ids.conversationId);
    const result = await actions.verifyIdentity(ticket.id, 'agent-a');
    expect(result.notification).toBe('failed');
    expect((await actions.get(ticket.id))!.status).toBe('verified');
    // One attempt: the notification. Not a second one apologising for a "failed turn".
    expect(connector.refusedAttempts.filter((p) => p.includes(customer.ids.conversationId))).toHaveLength(1);
  });

  describe('illegal transitions are refused and change nothing', () => {
    type Action = 'verify' | 'fail' | 'approve' | 'resolve' | 'close';
    const run = (ticketId: string, action: Action) => {
      switch (action) {
        case 'verify':
          return actions.verifyIdentity(ticketId, 'agent-x');
        case 'fail':
          return actions.failVerification(ticketId, 'agent-x');
        case 'approve':
          return actions.approveReset(ticketId, 'agent-x');
        case 'resolve':
          return actions.resolve(ticketId, 'agent-x');
        case 'close':
          return actions.close(ticketId, 'agent-x', 'other');
      }
    };
    /** How to bring a new ticket to each status, and what is not allowed there. */
    const CASES: readonly { status: string; reach: Action[]; illegal: Action[] }[] = [
      { status: 'awaiting_verification', reach: [], illegal: ['approve', 'resolve'] },
      { status: 'verification_failed', reach: ['fail'], illegal: ['verify', 'fail', 'approve', 'resolve'] },
      { status: 'verified', reach: ['verify'], illegal: ['verify', 'fail', 'resolve'] },
      { status: 'reset_approved', reach: ['verify', 'approve'], illegal: ['verify', 'fail', 'approve'] },
      { status: 'resolved', reach: ['verify', 'approve', 'resolve'], illegal: ['verify', 'fail', 'approve', 'resolve', 'close'] },
      { status: 'closed', reach: ['close'], illegal: ['verify', 'fail', 'approve', 'resolve', 'close'] },
    ];

    it.each(CASES)('from $status: $illegal', async ({ status, reach, illegal }) => {
      const { customer, ticket } = await openTicket(running, connector, 'en', 'reset');
      const agentFor: Record<Action, string> = { verify: 'agent-a', fail: 'agent-a', approve: 'agent-b', resolve: 'agent-b', close: 'agent-b' };
      for (const step of reach) {
        if (step === 'verify') await actions.verifyIdentity(ticket.id, agentFor.verify);
        else if (step === 'fail') await actions.failVerification(ticket.id, agentFor.fail);
        else if (step === 'approve') await actions.approveReset(ticket.id, agentFor.approve);
        else if (step === 'resolve') await actions.resolve(ticket.id, agentFor.resolve);
        else await actions.close(ticket.id, agentFor.close, 'duplicate');
      }
      const before = await actions.get(ticket.id);
      expect(before!.status).toBe(status);
      const sent = connector.messagesTo(customer.ids.conversationId).length;
      for (const action of illegal) await expectRefused(run(ticket.id, action), 'illegal_transition');
      expect(await actions.get(ticket.id)).toEqual(before);
      expect(connector.messagesTo(customer.ids.conversationId)).toHaveLength(sent);
    });

    it('an unknown ticket id is not found; an empty agent id is invalid', async () => {
      await expectRefused(actions.verifyIdentity('TFA-00000000', 'agent-a'), 'not_found');
      await expectRefused(actions.verifyIdentity('not-a-ticket', 'agent-a'), 'not_found');
      const { ticket } = await openTicket(running, connector, 'en', 'reset');
      await expectRefused(actions.verifyIdentity(ticket.id, '  '), 'invalid_input');
      expect((await actions.get(ticket.id))!.status).toBe('awaiting_verification');
    });
  });
});

describe('the withdrawal hold follows configuration (RESET_WITHDRAWAL_HOLD_HOURS=48)', () => {
  const connector = new FakeConnector();
  let running: RunningApp;
  beforeAll(async () => {
    await connector.start();
    running = await startApp({ RESET_WITHDRAWAL_HOLD_HOURS: '48' });
  });
  afterAll(async () => {
    await running.stop();
    await connector.stop();
  });

  it.each(['en', 'ja'] as const)('the chat and the approval message both say 48 hours (%s)', async (lang) => {
    const { customer, ticket } = await openTicket(running, connector, lang, 'reset');
    // Told at handoff already.
    expect(textsOf(connector.messagesTo(customer.ids.conversationId))).toContain(lang === 'ja' ? '48時間は出金を停止' : 'withdrawals are paused for 48 hours');
    await running.app.agentActions.verifyIdentity(ticket.id, 'agent-a');
    await running.app.agentActions.approveReset(ticket.id, 'agent-b');
    const last = connector.messagesTo(customer.ids.conversationId).at(-1)!;
    expect(String(last.body['text'])).toContain(HOLD[lang](48));
    expect(String(last.body['text'])).not.toContain(HOLD[lang](24));
  });
});

describe('agent actions reach a local web chat conversation (Direct Line stream)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(async () => running.stop());

  it.each(['ja', 'en'] as const)('the notification lands in the conversation’s activity stream (%s)', async (lang) => {
    const customer = new DirectLineCustomer(running.baseUrl, lang);
    const welcome = await customer.start();
    expect(welcome.length).toBeGreaterThan(0);
    const card = await customer.post({ text: lang === 'ja' ? '担当者' : 'agent' });
    expect(card.some((a) => Array.isArray(a['attachments']))).toBe(true);
    const done = await customer.post({ value: { t: 'identity', ...IDENTITY[lang].typed } });
    const id = TICKET_ID.exec(done.map((a) => String(a['text'] ?? '')).join('\n'))?.[0];
    expect(id).toBeDefined();
    const ticket = await running.app.agentActions.get(id!);
    expect(ticket).toMatchObject({ channelId: 'directline', userId: customer.userId, conversationId: customer.conversationId, language: lang });

    const result = await running.app.agentActions.verifyIdentity(id!, 'agent-a');
    expect(result.notification).toBe('sent');
    const stream = await customer.poll();
    expect(stream).toHaveLength(1);
    expect(stream[0]).toMatchObject({ type: 'message', from: { role: 'bot' }, conversation: { id: customer.conversationId } });
    expect(String(stream[0]!['text'])).toContain(id);
    expect(String(stream[0]!['text'])).toContain(NOTIFY[lang]['verified']);

    await running.app.agentActions.approveReset(id!, 'agent-b');
    const approved = await customer.poll();
    expect(approved.map((a) => String(a['text']))).toEqual([expect.stringContaining(HOLD[lang](24))]);
  });

  it('once the ticket exists, the web chat history keeps neither the e-mail nor the phone number of a rejected card', async () => {
    const customer = new DirectLineCustomer(running.baseUrl, 'en');
    await customer.start();
    await customer.post({ text: 'agent' });
    const email = 'leaky.person@example.com';
    const phone = '090-2718-2818';
    const typed = { ...IDENTITY.en.typed, email, description: `call me on ${phone}` };
    // Rejected (future date): the card comes back pre-filled with what was typed.
    const again = await customer.post({ value: { t: 'identity', ...typed, dateOfBirth: '2030-01-01' } });
    expect(JSON.stringify(again)).toContain(email);
    const done = await customer.post({ value: { t: 'identity', ...typed } });
    const id = TICKET_ID.exec(done.map((a) => String(a['text'] ?? '')).join('\n'))?.[0];
    expect(id).toBeDefined();
    expect((await running.app.agentActions.get(id!))!.claims.email).toBe(email);
    const rows = (running.app.db.prepare('SELECT * FROM directline_activities').all() as Record<string, unknown>[]).map((r) => JSON.stringify(r));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.includes(email))).toEqual([]);
    expect(rows.filter((r) => r.includes(phone))).toEqual([]);
  });
});
