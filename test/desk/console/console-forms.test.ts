/**
 * Issue 11, the console's forms over HTTP: each action through the desk API with the session's
 * CSRF token and the ticket version the page showed, then back to the page with a message
 * (Post/Redirect/Get); actions the agent may not take are disabled and say why; a form without
 * the CSRF token changes nothing and is audited; agents and their tokens for admins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../helpers/http-app.js';
import {
  Connector,
  formVersion,
  getPage,
  insertTicket,
  openTicketInChat,
  postForm,
  signedInAgent,
  startConsoleApp,
  submit,
  textOf,
  type SignedInAgent,
} from './console-fixtures.js';

let running: RunningApp;
let base: string;
const connector = new Connector();
let agent: SignedInAgent;
let supervisor: SignedInAgent;
let supervisor2: SignedInAgent;
let admin: SignedInAgent;

/** An agent whose browser chose English (the language cookie). */
async function englishAgent(role: SignedInAgent['role'], name: string): Promise<SignedInAgent> {
  const who = await signedInAgent(running.app, role, name);
  return { ...who, cookie: `${who.cookie}; desk_lang=en` };
}

beforeAll(async () => {
  await connector.start();
  running = await startConsoleApp();
  base = running.baseUrl;
  agent = await englishAgent('agent', 'Kenji Agent');
  supervisor = await englishAgent('supervisor', 'Sato Supervisor');
  supervisor2 = await englishAgent('supervisor', 'Mori Supervisor');
  admin = await englishAgent('admin', 'Alex Admin');
}, 60_000);
afterAll(async () => {
  await running?.stop();
  await connector.stop();
});

/** The ticket page as `who` sees it, in `lang`. */
const ticketPage = (id: string, who: SignedInAgent, lang: 'ja' | 'en' = 'en') => getPage(base, `/desk/tickets/${id}?lang=${lang}`, who);

/** The button of an action and the sentence beside it. */
function button(html: string, id: string): { disabled: boolean; why: string | null } {
  const tag = new RegExp(`<button[^>]*id="do-${id}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no button do-${id}`);
  const why = new RegExp(`<span class="why" id="why-${id}">([^<]*)</span>`).exec(html)?.[1] ?? null;
  return { disabled: /\sdisabled(\s|=|>)/.test(tag), why: why === null ? null : textOf(why).trim() };
}

async function act(id: string, who: SignedInAgent, action: string, fields: Record<string, string> = {}) {
  const version = formVersion((await ticketPage(id, who)).html);
  return submit(base, `/desk/tickets/${id}/${action}`, who, { version, ...fields });
}

describe('ticket actions', () => {
  it('the whole approval path by forms: assign, verify, approve by another supervisor, carry out; each with its message and history line', async () => {
    const id = await openTicketInChat(running, connector, { lang: 'ja', reason: 'app_lost_no_backup' });
    let page = await ticketPage(id, agent);
    expect(button(page.html, 'assign-self')).toEqual({ disabled: false, why: null });
    expect(button(page.html, 'approve')).toEqual({ disabled: true, why: 'Needs the supervisor role.' });

    page = await act(id, agent, 'assign', { assignee: 'me' });
    expect(textOf(page.html)).toContain('The ticket is assigned to you.');
    expect(textOf(page.html)).toContain('Assigned to Kenji Agent');

    page = await act(id, supervisor, 'verify', { note: 'Matched the KYC record' });
    expect(page.html).toContain('role="status" id="flash"');
    expect(textOf(page.html)).toContain('Identity verified. The customer is being told in their chat');
    expect(textOf(page.html)).toContain('Matched the KYC record');
    // The supervisor who verified may not approve, and is told why, in English and Japanese.
    expect(button(page.html, 'approve')).toEqual({ disabled: true, why: 'You verified this identity, so another supervisor must approve.' });
    expect(button((await ticketPage(id, supervisor, 'ja')).html, 'approve').why).toBe('ご自身で本人確認を行ったため、承認は別の監督者が行う必要があります。');
    expect(button((await ticketPage(id, supervisor2)).html, 'approve')).toEqual({ disabled: false, why: null });

    page = await act(id, supervisor2, 'approve');
    expect(textOf(page.html)).toContain('Change approved. The customer is being told in their chat');
    expect(textOf(page.html)).toContain('Approved: switch 2FA to SMS or phone call');
    page = await act(id, agent, 'carry-out');
    expect(textOf(page.html)).toContain('Marked as done.');
    expect(page.html).toContain('class="status status-resolved"');
    // Finished: nothing more to do, and each disabled action says so.
    for (const action of ['verify', 'carry-out', 'resolve', 'assign-self']) {
      expect(button(page.html, action)).toEqual({ disabled: true, why: 'The ticket is finished (“Resolved”).' });
    }
    expect(button(page.html, 'approve').why).toBe('Needs the supervisor role.');
    await running.app.notifications.flush();
    const delivered = await getPage(base, `/desk/tickets/${id}?lang=en`, agent);
    expect(textOf(delivered.html)).toMatch(/Identity verified Delivered.*Change approved Delivered.*Change carried out Delivered/);
  });

  it('a stale version (someone else acted first) changes nothing and says so', async () => {
    const id = await insertTicket(running.app, { fullName: 'Stale Form', description: 'two tabs' }, connector.serviceUrl);
    const before = formVersion((await ticketPage(id, agent)).html);
    await act(id, supervisor, 'assign', { assignee: 'me' });
    const posted = await postForm(base, `/desk/tickets/${id}/verify`, agent, { version: before });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe(`/desk/tickets/${id}`);
    const page = await getPage(base, posted.location!, agent, posted.cookies);
    expect(page.html).toContain('role="alert" id="flash"');
    expect(textOf(page.html)).toContain('Someone else changed this ticket; the page shows the latest version.');
    expect(page.html).toContain('class="status status-awaiting_verification"');
    // The message is shown once.
    expect(textOf((await ticketPage(id, agent)).html)).not.toContain('Someone else changed this ticket');
  });

  it('notes, questions to the customer, failed verification and closing, with their messages; an empty note is refused by name', async () => {
    const id = await insertTicket(running.app, { fullName: 'Many Forms', description: 'forms' }, connector.serviceUrl);
    let page = await act(id, agent, 'note', { note: 'Called the customer back' });
    expect(textOf(page.html)).toContain('Internal note added.');
    expect(textOf(page.html)).toContain('Called the customer back');
    page = await act(id, agent, 'note', { note: '   ' });
    expect(textOf(page.html)).toContain('Please check: note.');
    page = await act(id, agent, 'request-info', { message: 'Which prefecture do you live in?' });
    expect(textOf(page.html)).toContain('Your question was sent to the customer.');
    expect(textOf(page.html)).toContain('Sent to the customer Which prefecture do you live in?');
    page = await act(id, agent, 'fail', { reason: 'details_do_not_match', note: 'DOB differs' });
    expect(textOf(page.html)).toContain('Identity not verified: Details do not match our records');
    page = await act(id, agent, 'close', { reason: 'duplicate' });
    expect(textOf(page.html)).toContain('Ticket closed.');
    expect(textOf(page.html)).toContain('Closed: Duplicate');
  });

  it('a supervisor reassigns and puts back; an agent may not reassign to someone else', async () => {
    const id = await insertTicket(running.app, { fullName: 'Reassigned', description: 'r' }, connector.serviceUrl);
    let page = await act(id, supervisor, 'assign', { assignee: agent.id });
    expect(textOf(page.html)).toContain('The ticket was reassigned.');
    expect(textOf(page.html)).toContain('Assigned to Kenji Agent');
    expect(page.html).toContain('id="reassign-to"');
    expect((await ticketPage(id, agent)).html).not.toContain('id="reassign-to"');
    page = await act(id, agent, 'assign', { assignee: supervisor.id });
    expect(textOf(page.html)).toContain('Your role may not do this.');
    page = await act(id, supervisor, 'assign', { assignee: '' });
    expect(textOf(page.html)).toContain('The ticket is back in the queue.');
  });

  it('a notification that could not be delivered can be sent again', async () => {
    // No deliveries while the test plays the dispatcher's last failed attempt.
    await running.app.notifications.stop();
    try {
      const id = await insertTicket(running.app, { fullName: 'Unreachable', description: 'bot removed' }, connector.serviceUrl);
      await act(id, agent, 'verify');
      const { outbox } = running.app;
      const [claimed] = (await outbox.claimDue(new Date(), 10, 60_000)).filter((n) => n.ticketId === id);
      await outbox.markAttemptFailed(claimed!.id, 'Error: connector answered 403', null);
      let page = await ticketPage(id, agent);
      expect(textOf(page.html)).toContain('Not delivered');
      expect(textOf(page.html)).toContain('Error: connector answered 403');
      const queue = await getPage(base, '/desk?lang=en', agent);
      expect(textOf(queue.html)).toMatch(new RegExp(`${id} .*1 not delivered`));
      const posted = await postForm(base, `/desk/tickets/${id}/notifications/${claimed!.id}/retry`, agent, {});
      page = await getPage(base, posted.location!, agent, posted.cookies);
      expect(textOf(page.html)).toContain('The notification will be sent again.');
      expect((await outbox.listForTicket(id as never))[0]!.status).toBe('pending');
    } finally {
      running.app.notifications.start();
    }
  });
});

describe('CSRF', () => {
  it('every console form without the session’s token is refused, changes nothing, and is audited', async () => {
    const id = await insertTicket(running.app, { fullName: 'Csrf Target', description: 'csrf' }, connector.serviceUrl);
    const version = formVersion((await ticketPage(id, admin)).html);
    const forms: [string, Record<string, string>][] = [
      [`/desk/tickets/${id}/assign`, { assignee: 'me', version }],
      [`/desk/tickets/${id}/note`, { note: 'x', version }],
      [`/desk/tickets/${id}/verify`, { version }],
      [`/desk/tickets/${id}/fail`, { reason: 'other', version }],
      [`/desk/tickets/${id}/approve`, { version }],
      [`/desk/tickets/${id}/carry-out`, { version }],
      [`/desk/tickets/${id}/request-info`, { message: 'x', version }],
      [`/desk/tickets/${id}/resolve`, { version }],
      [`/desk/tickets/${id}/close`, { reason: 'duplicate', version }],
      [`/desk/tickets/${id}/notifications/1/retry`, {}],
      ['/desk/agents', { displayName: 'Csrf', email: 'csrf@desk.example', role: 'admin' }],
      [`/desk/agents/${agent.id}`, { role: 'admin' }],
      [`/desk/agents/${agent.id}/tokens`, { label: 'csrf' }],
      [`/desk/agents/${agent.id}/tokens/tok_x/revoke`, {}],
    ];
    for (const [path, fields] of forms) {
      for (const csrf of [null, 'not-the-token']) {
        const res = await postForm(base, path, admin, fields, csrf);
        expect(res.status, `${path} csrf=${csrf}`).toBe(403);
        expect(textOf(res.html)).toContain('This form is no longer valid');
      }
    }
    const after = await running.app.agentTickets.get(id);
    expect(after).toMatchObject({ version: Number(version), status: 'awaiting_verification', assigneeId: null });
    expect((await running.app.deskAuth.agents.get(agent.id)).role).toBe('agent');
    expect(await running.app.deskAuth.agents.findByEmail('csrf@desk.example')).toBeNull();
    const refused = await running.app.desk.listAudit({ agent: { id: admin.id, role: 'admin', displayName: 'a' }, sourceAddress: null }, { agentId: admin.id, outcome: 'refused', limit: 100 });
    expect(refused.filter((e) => e.code === 'forbidden').map((e) => e.action)).toEqual(
      expect.arrayContaining(['assignTicket', 'addNote', 'verifyIdentity', 'closeTicket', 'retryNotification', 'addAgent', 'updateAgent', 'createToken', 'revokeToken']),
    );
  });

  it('a form posted from another origin is refused even with the token', async () => {
    const id = await insertTicket(running.app, { fullName: 'Cross Site', description: 'origin' }, connector.serviceUrl);
    const version = formVersion((await ticketPage(id, agent)).html);
    const res = await fetch(`${base}/desk/tickets/${id}/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: agent.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: new URLSearchParams({ csrf: agent.csrf, version }).toString(),
    });
    expect(res.status).toBe(403);
    expect((await running.app.agentTickets.get(id))?.status).toBe('awaiting_verification');
  });
});

describe('agents and tokens (admins)', () => {
  it('adds an agent without making a token for them: they sign in themselves; the page says how', async () => {
    const res = await submit(base, '/desk/agents', admin, { displayName: 'New Hire', email: 'new.hire@desk.example', role: 'agent' });
    const hire = await running.app.deskAuth.agents.findByEmail('new.hire@desk.example');
    expect(hire).toMatchObject({ displayName: 'New Hire', role: 'agent', active: true });
    expect(textOf(res.html)).toContain('Agent added.');
    expect(res.html).not.toMatch(/tfa_[A-Za-z0-9_-]{20}/);
    expect(await running.app.deskAuth.tokens.list(hire!.id)).toEqual([]);
    // Someone else's page offers no token form, only who can make one and how.
    const detail = await getPage(base, `/desk/agents/${hire!.id}?lang=en`, admin);
    expect(detail.html).not.toContain(`action="/desk/agents/${hire!.id}/tokens"`);
    expect(textOf(detail.html)).toContain('npm run desk -- agent token create --email new.hire@desk.example');
    const duplicate = await submit(base, '/desk/agents', admin, { displayName: 'Again', email: 'new.hire@desk.example', role: 'agent' });
    expect(duplicate.html).toContain('role="alert" id="flash"');
  });

  it('changes a role, disables and enables, creates and revokes tokens', async () => {
    const who = await englishAgent('agent', 'Role Change');
    let page = await submit(base, `/desk/agents/${who.id}`, admin, { role: 'supervisor' });
    expect(textOf(page.html)).toContain('Role changed.');
    expect((await running.app.deskAuth.agents.get(who.id)).role).toBe('supervisor');
    page = await submit(base, `/desk/agents/${who.id}`, admin, { active: 'false' });
    expect(textOf(page.html)).toContain('Agent disabled.');
    expect((await getPage(base, '/desk', who)).status).toBe(302);
    page = await submit(base, `/desk/agents/${who.id}`, admin, { active: 'true' });
    expect(textOf(page.html)).toContain('Agent enabled.');

    // A token for someone else is refused, even to an admin; an agent makes their own.
    const before = (await running.app.deskAuth.tokens.list(who.id)).length;
    const refused = await submit(base, `/desk/agents/${who.id}/tokens`, admin, { label: 'laptop', expiresInDays: '30' });
    expect(textOf(refused.html)).toContain('Your role may not do this.');
    expect(await running.app.deskAuth.tokens.list(who.id)).toHaveLength(before);
    const created = await postForm(base, `/desk/agents/${admin.id}/tokens`, admin, { label: 'laptop', expiresInDays: '30' });
    expect(created.status).toBe(201);
    const secret = /value="(tfa_[^"]+)"/.exec(created.html)?.[1];
    expect((await running.app.deskAuth.tokens.verify(secret!))?.agent.id).toBe(admin.id);
    const laptop = (await running.app.deskAuth.tokens.list(admin.id)).find((t) => t.label === 'laptop')!;
    expect(laptop.expiresAt).not.toBeNull();
    // Never again: the agent's page lists the token by its prefix only.
    const detail = await getPage(base, `/desk/agents/${admin.id}?lang=en`, admin);
    expect(detail.html).not.toContain(secret!);
    expect(detail.html).toContain(secret!.slice(0, 8));
    page = await submit(base, `/desk/agents/${admin.id}/tokens/${laptop.id}/revoke`, admin, {});
    expect(textOf(page.html)).toContain('Token revoked.');
    expect((await running.app.deskAuth.tokens.list(admin.id)).find((t) => t.id === laptop.id)?.revokedAt).not.toBeNull();
    const bad = await submit(base, `/desk/agents/${admin.id}/tokens`, admin, { label: 'x', expiresInDays: 'soon' });
    expect(textOf(bad.html)).toContain('Please check: expiry in days.');
  });

  it('a supervisor cannot use the agents forms', async () => {
    const res = await submit(base, `/desk/agents/${agent.id}`, supervisor, { role: 'admin' });
    expect(textOf(res.html)).toContain('Your role may not do this.');
    expect((await running.app.deskAuth.agents.get(agent.id)).role).toBe('agent');
  });
});
