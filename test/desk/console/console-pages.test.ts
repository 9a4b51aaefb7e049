/**
 * Issue 11, the console's pages over HTTP (the whole app on a port): what a customer typed stays
 * text on every page; who may open which page; signing in returns to the page asked for; the
 * agent's language; strict CSP with our one script and no inline script or style.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../src/desk/console/render.js';
import type { RunningApp } from '../../helpers/http-app.js';
import {
  attributeNames,
  Connector,
  getPage,
  insertTicket,
  openTicketInChat,
  RAW_MARKUP,
  signedInAgent,
  startConsoleApp,
  textOf,
  XSS,
  type SignedInAgent,
} from './console-fixtures.js';

let running: RunningApp;
let base: string;
const connector = new Connector();
let agent: SignedInAgent;
let supervisor: SignedInAgent;
let admin: SignedInAgent;
let markupAgent: SignedInAgent;
let chatTicket: string;
let rawTicket: string;

beforeAll(async () => {
  await connector.start();
  running = await startConsoleApp();
  base = running.baseUrl;
  const { app } = running;
  agent = await signedInAgent(app, 'agent', 'Kenji Agent');
  supervisor = await signedInAgent(app, 'supervisor', 'Sato Supervisor');
  admin = await signedInAgent(app, 'admin', 'Alex Admin');
  markupAgent = await signedInAgent(app, 'agent', XSS.img);
  chatTicket = await openTicketInChat(running, connector, {
    lang: 'en',
    reason: 'login_lockout',
    description: `Locked out ${XSS.img} ${XSS.link}`,
    afterwards: [XSS.script, XSS.img, XSS.link],
  });
  rawTicket = await insertTicket(app, { fullName: XSS.script, description: `${XSS.img}\n${XSS.link}` });
  // The agent whose name is markup takes the chat ticket: their name shows in the queue, history and audit.
  await app.agentTickets.assign(chatTicket, markupAgent.id, markupAgent.id);
  const note = await app.agentTickets.get(chatTicket);
  await app.agentTickets.addNote(chatTicket, markupAgent.id, `${XSS.script} ${XSS.link}`, { expectedVersion: note!.version });
}, 60_000);
afterAll(async () => {
  await running?.stop();
  await connector.stop();
});

function expectOnlyText(html: string): void {
  for (const raw of RAW_MARKUP) expect(html, `raw markup ${raw}`).not.toContain(raw);
  // Our one script, from our origin; no inline script, handler or style anywhere.
  expect(html.match(/<script/g) ?? []).toHaveLength(html.includes('/desk/assets/desk.js') ? 1 : 0);
  expect(attributeNames(html).filter((name) => name.startsWith('on') || name === 'style')).toEqual([]);
}

describe('what customers typed stays text', () => {
  it('on the queue (the assignee whose name is markup, too), with the strict CSP', async () => {
    const page = await getPage(base, '/desk?lang=en', supervisor);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expectOnlyText(page.html);
    expect(page.html).toContain(chatTicket);
    expect(page.html).toContain(rawTicket);
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('on the ticket page: name, description, transcript, notes and history', async () => {
    const raw = await getPage(base, `/desk/tickets/${rawTicket}?lang=en`, supervisor);
    expect(raw.status).toBe(200);
    expectOnlyText(raw.html);
    expect(raw.html).toContain('&lt;script>alert(1)&lt;/script>');
    expect(textOf(raw.html)).toContain(`${XSS.img} ${XSS.link}`);

    const chat = await getPage(base, `/desk/tickets/${chatTicket}?lang=en`, supervisor);
    expect(chat.status).toBe(200);
    expectOnlyText(chat.html);
    const text = textOf(chat.html);
    // The customer's chat messages are in the transcript as they typed them, on the customer's side.
    for (const typed of [XSS.script, XSS.img, XSS.link]) expect(text).toContain(typed);
    expect(chat.html).toMatch(/<li class="msg msg-customer">(?:(?!<\/li>).)*&lt;script>alert\(1\)&lt;\/script>/s);
    // The path as questions and answers, and the tree with the customer's steps highlighted.
    expect(text).toMatch(/Check 1: another service's code\? After this check, try once with a fresh code\. Were you able to log in\? → Still not working/);
    // Steps already tried are named by their check, not by the warning said before the first one.
    expect(text).toMatch(/Already tried 1\) Please check that you're not entering the code of a different service\./);
    expect(chat.html).toContain('<link rel="stylesheet" href="/desk/assets/desk-tree.css"/>');
    expect(chat.html).toMatch(/<svg[^>]*class="tree tree--path"[^>]*role="img"/);
    expect(chat.html).toMatch(/<g class="tree-node tree-node--question tree-node--path"[^>]*data-state="codeRejectedOtherService" data-path="1"/);
    // The internal note and the assignee's name in the history.
    expect(text).toContain(`Assigned to ${XSS.img}`);
    expect(text).toContain(`${XSS.script} ${XSS.link}`);
  });

  it('on the audit log (an agent whose name is markup)', async () => {
    const page = await getPage(base, `/desk/audit?lang=en&agent=${encodeURIComponent(supervisor.id)}`, supervisor);
    expect(page.status).toBe(200);
    expectOnlyText(page.html);
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)>');
    expect(textOf(page.html)).toContain('Opened a ticket');
  });

  it('on the agents pages', async () => {
    const list = await getPage(base, '/desk/agents?lang=en', admin);
    expect(list.status).toBe(200);
    expectOnlyText(list.html);
    const detail = await getPage(base, `/desk/agents/${markupAgent.id}?lang=en`, admin);
    expect(detail.status).toBe(200);
    expectOnlyText(detail.html);
  });
});

describe('who may open which page', () => {
  const pages = ['/desk', '/desk/tickets/{ticket}', '/desk/audit', '/desk/agents', '/desk/agents/{agent}'] as const;
  const least: Record<(typeof pages)[number], 'agent' | 'supervisor' | 'admin'> = {
    '/desk': 'agent',
    '/desk/tickets/{ticket}': 'agent',
    '/desk/audit': 'supervisor',
    '/desk/agents': 'admin',
    '/desk/agents/{agent}': 'admin',
  };

  it('each role gets the page or a 403 page naming the role it needs; the menu shows only what the role opens', async () => {
    const rows: string[] = [];
    for (const who of [agent, supervisor, admin]) {
      for (const path of pages) {
        const url = path.replace('{ticket}', chatTicket).replace('{agent}', agent.id);
        const page = await getPage(base, `${url}?lang=en`, who);
        const rank = ['agent', 'supervisor', 'admin'];
        const expected = rank.indexOf(who.role) >= rank.indexOf(least[path]) ? 200 : 403;
        rows.push(`${who.role} ${path}: ${page.status === expected ? 'ok' : `expected ${expected}, got ${page.status}`}`);
        if (page.status === 403) expect(textOf(page.html)).toContain(`This page needs the ${least[path] === 'admin' ? 'administrator' : least[path]} role.`);
      }
    }
    expect(rows.filter((r) => !r.endsWith(': ok'))).toEqual([]);
    const menu = (who: SignedInAgent) => getPage(base, '/desk?lang=en', who).then((p) => [...p.html.matchAll(/<nav class="sections"[^>]*>(.*?)<\/nav>/gs)].map((m) => textOf(m[1]!).trim())[0]);
    expect(await menu(agent)).toBe('Queue');
    expect(await menu(supervisor)).toBe('Queue Audit log Reports');
    expect(await menu(admin)).toBe('Queue Audit log Reports Agents');
  });

  it('an agent opening the audit log is refused and the refusal is in the audit trail', async () => {
    await getPage(base, '/desk/audit', agent);
    const entries = await running.app.desk.listAudit({ agent: { id: admin.id, role: 'admin', displayName: 'Alex Admin' }, sourceAddress: null }, { agentId: agent.id, action: 'listAudit', limit: 5 });
    expect(entries[0]).toMatchObject({ outcome: 'refused', code: 'forbidden' });
  });

  it('a ticket that does not exist, or a malformed number, is a 404 page', async () => {
    expect((await getPage(base, '/desk/tickets/TFA-ZZZZZZZZ?lang=en', agent)).status).toBe(404);
    const page = await getPage(base, '/desk/tickets/not-a-ticket?lang=en', agent);
    expect(page.status).toBe(404);
    expect(textOf(page.html)).toContain('Not found');
  });
});

describe('signing in returns to the page asked for', () => {
  it('no session: every console page redirects to sign-in with `next`; the queue without it', async () => {
    const ticket = await getPage(base, `/desk/tickets/${chatTicket}`, null);
    expect(ticket.status).toBe(302);
    expect(ticket.location).toBe(`/desk/login?next=${encodeURIComponent(`/desk/tickets/${chatTicket}`)}`);
    expect((await getPage(base, '/desk', null)).location).toBe('/desk/login');
    expect((await getPage(base, '/desk/audit?outcome=refused', null)).location).toBe(`/desk/login?next=${encodeURIComponent('/desk/audit?outcome=refused')}`);
  });

  it('a form posted after the session ended goes to sign-in and changes nothing', async () => {
    const res = await fetch(`${base}/desk/tickets/${rawTicket}/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: 'desk_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      body: new URLSearchParams({ csrf: 'x', version: '1' }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/desk/login');
    expect(res.headers.get('set-cookie')).toMatch(/^desk_session=;/);
    expect((await running.app.agentTickets.get(rawTicket))?.status).toBe('awaiting_verification');
  });

  it('the token form carries `next` and lands there; another site is never a `next`', async () => {
    const login = await getPage(base, `/desk/login?next=${encodeURIComponent(`/desk/tickets/${chatTicket}`)}`, null);
    expect(login.html).toContain(`name="next" value="/desk/tickets/${chatTicket}"`);
    const signIn = (next: string) =>
      fetch(`${base}/desk/login/token`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: agent.secret, next }).toString(),
      });
    expect((await signIn(`/desk/tickets/${chatTicket}`)).headers.get('location')).toBe(`/desk/tickets/${chatTicket}`);
    for (const evil of ['//evil.example/desk', 'https://evil.example/desk', '/desk/../evil', '/desk/login', '/deskevil', '/desk\\@evil']) {
      expect((await signIn(evil)).headers.get('location'), evil).toBe('/desk');
    }
  });
});

describe("the agent's language", () => {
  it('follows the browser until chosen; the choice is remembered in a cookie', async () => {
    const ja = await getPage(base, '/desk', agent, [], { 'Accept-Language': 'ja,en;q=0.5' });
    expect(ja.html).toContain('<html lang="ja"');
    expect(textOf(ja.html)).toContain('チケット一覧');
    const chosen = await getPage(base, '/desk?lang=en', agent, [], { 'Accept-Language': 'ja' });
    expect(chosen.html).toContain('<html lang="en"');
    expect(chosen.cookies).toContain('desk_lang=en');
    const next = await getPage(base, `/desk/tickets/${chatTicket}`, agent, ['desk_lang=en'], { 'Accept-Language': 'ja' });
    expect(next.html).toContain('<html lang="en"');
    expect(textOf(next.html)).toContain('Identity claims');
  });

  it('shows times in the zone the browser reported', async () => {
    const tokyo = await getPage(base, `/desk/tickets/${chatTicket}?lang=en`, agent, ['desk_tz=Asia%2FTokyo']);
    expect(textOf(tokyo.html)).toContain('Times are shown in Asia/Tokyo.');
    const bogus = await getPage(base, `/desk/tickets/${chatTicket}?lang=en`, agent, ['desk_tz=Not%2FAZone']);
    expect(textOf(bogus.html)).not.toContain('Not/AZone');
  });
});

describe('the queue', () => {
  it('counts per status, filters like the API, and names refused filters', async () => {
    const all = await getPage(base, '/desk?lang=en&status=all', agent);
    expect(all.html).toMatch(/data-count="all">\d+</);
    const lockouts = await getPage(base, '/desk?lang=en&reason=login_lockout', agent);
    expect(lockouts.html).toContain(chatTicket);
    expect(lockouts.html).not.toContain(rawTicket);
    const mine = await getPage(base, '/desk?lang=en&assignee=me', markupAgent);
    expect(mine.html).toContain(chatTicket);
    expect(mine.html).not.toContain(`row-${rawTicket}`);
    const search = await getPage(base, '/desk?lang=en&q=j', agent);
    expect(search.status).toBe(400);
    expect(textOf(search.html)).toContain('Please check: search (at least 2 characters).');
  });

  it('marks a ticket past the verification SLA as overdue, in words', async () => {
    const overdue = await startConsoleApp({ VERIFICATION_SLA_HOURS: '1' });
    try {
      const who = await signedInAgent(overdue.app, 'agent');
      const id = await insertTicket(overdue.app, { fullName: 'Old Ticket', description: 'waiting' });
      overdue.app.db.prepare(`UPDATE tickets SET created_at = ? WHERE id = ?`).run(new Date(Date.now() - 3 * 3_600_000).toISOString(), id);
      const page = await getPage(overdue.baseUrl, '/desk?lang=en', who);
      expect(page.html).toMatch(new RegExp(`<tr id="row-${id}"[^>]*class="overdue"`));
      expect(textOf(page.html)).toMatch(new RegExp(`${id} .*Overdue`));
    } finally {
      await overdue.stop();
    }
  });
});
