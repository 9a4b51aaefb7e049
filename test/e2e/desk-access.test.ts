/**
 * Issue 10, who may do what at the desk, over HTTP: the authorization matrix (every route of the
 * OpenAPI document × no credential, a bad token, and each role), CSRF for console sessions,
 * versions in If-Match, problems as application/problem+json, and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_ROLES, roleAtLeast, type AgentRole } from '../../src/desk/agents/agent.js';
import { addAgent, DeskAgent } from './support/desk-client.js';
import { startApp, type RunningApp } from './support/running-app.js';
import { IDENTITY } from './support/scenarios.js';

let running: RunningApp;
let ticketId: string;
const byRole = {} as Record<AgentRole, DeskAgent>;

async function newTicket(): Promise<string> {
  const { ticket } = await running.app.tickets.openForHandoff({
    reason: 'app_lost_no_backup',
    language: 'en',
    channelId: 'webchat',
    userId: `u-${Math.random()}`,
    tenantId: null,
    conversationId: `c-${Math.random()}`,
    conversationReference: { channelId: 'webchat', serviceUrl: 'http://127.0.0.1:9', conversation: { id: 'x' } },
    activityId: null,
    claims: { ...IDENTITY.en.typed },
    path: ['appDeletedHasBackup'],
    stepsTried: [],
  });
  return ticket.id;
}

beforeAll(async () => {
  running = await startApp();
  for (const role of AGENT_ROLES) byRole[role] = await addAgent(running.app, running.baseUrl, role);
  ticketId = await newTicket();
});
afterAll(async () => running.stop());

interface Operation {
  method: string;
  path: string;
  operationId: string;
  role: AgentRole;
  ifMatch: boolean;
}

async function operations(): Promise<Operation[]> {
  const doc = (await byRole.agent.get('/api/desk/openapi.json')).json;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        role: op['x-required-role'],
        ifMatch: (op.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'If-Match'),
      });
    }
  }
  return ops;
}

/**
 * A request each operation accepts from a permitted caller, on a ticket or agent that exists. A
 * token is only ever issued to oneself, so createToken names the caller.
 */
async function requestFor(op: Operation, callerId: string): Promise<{ url: string; body?: unknown; headers: Record<string, string> }> {
  const throwaway = await running.app.deskAuth.agents.create({ displayName: 'Temp', email: `temp.${Math.random()}@desk.example`, role: 'agent' });
  const token = await running.app.deskAuth.tokens.create(throwaway.id, { label: 'temp' });
  const agentId = op.operationId === 'createToken' && callerId !== '' ? callerId : throwaway.id;
  const url = op.path
    .replace('{id}', op.path.startsWith('/api/desk/agents') ? agentId : ticketId)
    .replace('{notificationId}', '1')
    .replace('{tokenId}', token.token.id);
  const bodies: Record<string, unknown> = {
    assignTicket: { assigneeId: 'me' },
    addNote: { note: 'checked' },
    failVerification: { reason: 'other' },
    requestInfo: { message: 'Which country?' },
    closeTicket: { reason: 'duplicate' },
    addAgent: { displayName: 'New Agent', email: `new.${Math.random()}@desk.example`, role: 'agent' },
    updateAgent: { role: 'agent' },
    createToken: { label: 'cli' },
  };
  const body = op.method === 'GET' ? undefined : (bodies[op.operationId] ?? {});
  // A stale version: permitted callers get 409 and the ticket never changes during the matrix.
  return { url, body, headers: op.ifMatch ? { 'If-Match': '"999"' } : {} };
}

describe('authorization matrix: every route of the OpenAPI document', () => {
  it('lists the routes the issue names', async () => {
    const ids = (await operations()).map((o) => o.operationId).sort();
    expect(ids).toEqual(
      [
        'listTickets', 'getTicket', 'assignTicket', 'addNote', 'verifyIdentity', 'failVerification', 'approveChange', 'markCarriedOut',
        'requestInfo', 'resolveTicket', 'closeTicket', 'retryNotification', 'listAudit', 'listAgents', 'addAgent', 'updateAgent',
        'listTokens', 'createToken', 'revokeToken', 'getReport',
      ].sort(),
    );
  });

  it('no credential or a bad token: 401 problem; a lower role: 403; the role or above: allowed', async () => {
    const rows: string[] = [];
    for (const op of await operations()) {
      const callers: [string, DeskAgent][] = [
        ['none', new DeskAgent(running.baseUrl, '', 'agent', {})],
        ['bad token', new DeskAgent(running.baseUrl, '', 'agent', { Authorization: 'Bearer tfa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })],
        ...AGENT_ROLES.map((r): [string, DeskAgent] => [r, byRole[r]]),
      ];
      for (const [who, agent] of callers) {
        const { url, body, headers } = await requestFor(op, agent.id);
        const answer = await agent.call(op.method, url, body, headers);
        const expected = who === 'none' || who === 'bad token' ? 401 : roleAtLeast(who as AgentRole, op.role) ? 'allowed' : 403;
        const got = answer.status === 401 || answer.status === 403 ? answer.status : 'allowed';
        rows.push(`${op.operationId} ${who}: ${got === expected ? 'ok' : `expected ${expected}, got ${answer.status} ${JSON.stringify(answer.json)}`}`);
        if (typeof got === 'number') expect(answer.contentType).toContain('application/problem+json');
      }
    }
    expect(rows.filter((r) => !r.endsWith(': ok'))).toEqual([]);
    // The ticket was never changed by the matrix (every action carried a stale version).
    expect((await byRole.admin.get(`/api/desk/tickets/${ticketId}`)).json.ticket).toMatchObject({ version: 1, status: 'awaiting_verification' });
  });

  it('nobody, not even an admin, can issue a token to someone else (it would let one person act as two)', async () => {
    const other = byRole.supervisor;
    const refused = await byRole.admin.call('POST', `/api/desk/agents/${other.id}/tokens`, { label: 'x' });
    expect(refused).toMatchObject({ status: 403, json: { code: 'forbidden', reason: 'own_tokens_only' } });
    const own = await byRole.agent.call('POST', `/api/desk/agents/${byRole.agent.id}/tokens`, { label: 'laptop', expiresInDays: 30 });
    expect(own.status).toBe(201);
    expect(own.json.secret).toMatch(/^tfa_/);
    const added = await byRole.admin.call('POST', '/api/desk/agents', { displayName: 'New', email: `new.${Date.now()}@desk.example`, role: 'supervisor' });
    expect(added.status).toBe(201);
    expect(added.json.secret).toBeUndefined();
    // The audit entry names the agent acted on.
    const entries = (await byRole.supervisor.get(`/api/desk/audit?agent=${byRole.admin.id}&action=createToken`)).json.entries;
    expect(entries[0]).toMatchObject({ subjectId: other.id, outcome: 'refused', code: 'forbidden' });
  });

  it('a ticket can only be given to an active agent', async () => {
    const id = await newTicket();
    const gone = await addAgent(running.app, running.baseUrl, 'agent');
    await running.app.deskAuth.agents.setActive(gone.id, false);
    for (const assigneeId of ['agt_nobody', gone.id]) {
      const answer = await byRole.supervisor.act(id, 'assign', { assigneeId });
      expect(answer.status).toBe(400);
    }
    expect((await byRole.supervisor.act(id, 'assign', { assigneeId: byRole.agent.id })).status).toBe(200);
  });

  it('a disabled agent’s token stops working at once', async () => {
    const agent = await addAgent(running.app, running.baseUrl, 'supervisor');
    expect((await agent.get('/api/desk/tickets')).status).toBe(200);
    const patch = await byRole.admin.call('PATCH', `/api/desk/agents/${agent.id}`, { active: false });
    expect(patch.json.agent.active).toBe(false);
    expect((await agent.get('/api/desk/tickets')).status).toBe(401);
  });

  it('an agent may put back only a ticket they hold; reassigning to someone else needs a supervisor', async () => {
    const id = await newTicket();
    expect((await byRole.agent.act(id, 'assign', { assigneeId: byRole.supervisor.id })).status).toBe(403);
    expect((await byRole.agent.act(id, 'assign', { assigneeId: 'me' })).status).toBe(200);
    expect((await byRole.supervisor.act(id, 'assign', { assigneeId: byRole.admin.id })).json.ticket.assigneeId).toBe(byRole.admin.id);
    expect((await byRole.agent.act(id, 'assign', { assigneeId: null })).status).toBe(403);
    expect((await byRole.supervisor.act(id, 'assign', { assigneeId: null })).json.ticket.assigneeId).toBeNull();
  });
});

describe('console sessions need the CSRF token on every change', () => {
  it('without it, or from another origin: 403 and nothing changes; with it: done', async () => {
    const id = await newTicket();
    const { sessionId, csrfToken } = await running.app.deskAuth.sessions.start(byRole.agent.id);
    const browser = new DeskAgent(running.baseUrl, byRole.agent.id, 'agent', { Cookie: `desk_session=${sessionId}` });
    const { etag } = await browser.get(`/api/desk/tickets/${id}`);
    expect(etag).toBe('"1"');
    const noToken = await browser.call('POST', `/api/desk/tickets/${id}/verify`, {}, { 'If-Match': etag! });
    expect(noToken.status).toBe(403);
    expect(noToken.json).toMatchObject({ code: 'forbidden', reason: 'csrf' });
    const otherOrigin = await browser.call('POST', `/api/desk/tickets/${id}/verify`, {}, { 'If-Match': etag!, 'X-CSRF-Token': csrfToken, Origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    expect((await browser.get(`/api/desk/tickets/${id}`)).json.ticket.status).toBe('awaiting_verification');
    const ok = await browser.call('POST', `/api/desk/tickets/${id}/verify`, {}, { 'If-Match': etag!, 'X-CSRF-Token': csrfToken });
    expect(ok.json.ticket.status).toBe('verified');
  });
});

describe('versions, input and problems', () => {
  it('If-Match missing: 428; stale: 409 conflict; bad body: 400 naming the field; unknown ticket: 404', async () => {
    const id = await newTicket();
    const agent = byRole.agent;
    const missing = await agent.call('POST', `/api/desk/tickets/${id}/verify`, {});
    expect(missing).toMatchObject({ status: 428, json: { code: 'precondition_required', status: 428 } });
    await agent.act(id, 'notes', { note: 'first look' });
    const stale = await agent.call('POST', `/api/desk/tickets/${id}/verify`, {}, { 'If-Match': '"1"' });
    expect(stale).toMatchObject({ status: 409, json: { code: 'conflict' } });
    const bad = await agent.call('POST', `/api/desk/tickets/${id}/fail`, { reason: 'because' }, { 'If-Match': '"2"' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toEqual(['body.reason']);
    expect((await agent.get('/api/desk/tickets/TFA-00000000')).status).toBe(404);
    expect((await agent.get('/api/desk/tickets?status=nonsense')).json.errors[0].field).toMatch(/^query\.status/);
    expect((await agent.get(`/api/desk/tickets/${id}`)).json.ticket).toMatchObject({ status: 'awaiting_verification', version: 2 });
  });

  it('the queue pages with a cursor and searches by e-mail, name and ticket number', async () => {
    const ids = [await newTicket(), await newTicket(), await newTicket()];
    const seen: string[] = [];
    let url: string | null = '/api/desk/tickets?limit=2';
    while (url) {
      const page: { tickets: { id: string }[]; next: string | null; counts: Record<string, number> } = (await byRole.agent.get(url)).json;
      seen.push(...page.tickets.map((t) => t.id));
      url = page.next ? `/api/desk/tickets?limit=2&cursor=${page.next}` : null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    const byEmail = (await byRole.agent.get(`/api/desk/tickets?q=${encodeURIComponent(IDENTITY.en.stored.email.toUpperCase())}`)).json;
    expect(byEmail.tickets.length).toBeGreaterThanOrEqual(3);
    const byNumber = (await byRole.agent.get(`/api/desk/tickets?q=${ids[1]!.toLowerCase()}`)).json;
    expect(byNumber.tickets.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
    const name = IDENTITY.en.stored.fullName.split(' ')[1]!;
    expect((await byRole.agent.get(`/api/desk/tickets?q=${encodeURIComponent(name)}`)).json.tickets.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the audit trail', () => {
  it('records reads of personal data, changes and refusals (with or without an agent), and cannot be edited', async () => {
    const id = await newTicket();
    await byRole.agent.get(`/api/desk/tickets/${id}`);
    await byRole.agent.act(id, 'approve');
    await new DeskAgent(running.baseUrl, '', 'agent', {}).call('POST', `/api/desk/tickets/${id}/verify`, {}, { 'If-Match': '"1"' });
    await byRole.agent.act(id, 'verify');
    const denied = await byRole.agent.get(`/api/desk/audit?ticket=${id}`);
    expect(denied.status).toBe(403);
    const entries = (await byRole.supervisor.get(`/api/desk/audit?ticket=${id}`)).json.entries.reverse();
    const rows = entries.map((e: { agentId: string | null; action: string; outcome: string; code: string | null }) => [e.agentId, e.action, e.outcome, e.code]);
    // Anything after /tickets/ that is not a ticket number is not recorded as one.
    await new DeskAgent(running.baseUrl, '', 'agent', {}).call('POST', '/api/desk/tickets/tfa-AAAAAAAAAAAAAAAAAAAAAAAAAAAA/verify', {}, { 'If-Match': '"1"' });
    expect((await byRole.supervisor.get('/api/desk/audit?ticket=TFA-AAAAAAAA')).status).toBe(200);
    expect(rows).toEqual([
      [byRole.agent.id, 'getTicket', 'ok', null],
      [byRole.agent.id, 'getTicket', 'ok', null],
      [byRole.agent.id, 'approveChange', 'refused', 'forbidden'],
      [null, 'verifyIdentity', 'refused', 'unauthorized'],
      [byRole.agent.id, 'getTicket', 'ok', null],
      [byRole.agent.id, 'verifyIdentity', 'ok', null],
    ]);
    expect(entries.every((e: { sourceAddress: string }) => e.sourceAddress.includes('127.0.0.1'))).toBe(true);
    const mine = (await byRole.supervisor.get(`/api/desk/audit?agent=${byRole.agent.id}&action=listAudit&outcome=refused`)).json.entries;
    // The refusal just above, and the matrix's earlier one: each request that was refused left one entry.
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine.every((e: { agentId: string; outcome: string; code: string }) => e.agentId === byRole.agent.id && e.code === 'forbidden')).toBe(true);
    expect(() => running.app.db.prepare('DELETE FROM desk_audit').run()).toThrow(/append-only/);
    expect(() => running.app.db.prepare("UPDATE desk_audit SET outcome = 'ok'").run()).toThrow(/append-only/);
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, generated from the validating schemas (enums, limits, If-Match)', async () => {
    const doc = (await byRole.agent.get('/api/desk/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    const fail = doc.paths['/api/desk/tickets/{id}/fail'].post;
    expect(fail.requestBody.content['application/json'].schema.properties.reason.enum).toEqual([
      'details_do_not_match',
      'email_not_registered',
      'details_incomplete',
      'other',
    ]);
    expect(fail.parameters.find((p: { name: string }) => p.name === 'If-Match').required).toBe(true);
    const list = doc.paths['/api/desk/tickets'].get;
    expect(list.parameters.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ minimum: 1, maximum: 100 });
    expect(list.responses['401'].content['application/problem+json']).toBeDefined();
  });
});

describe('requests without a credential cannot flood the audit trail', () => {
  it('past 60 a minute from one address they are logged, not stored; signed-in refusals are always stored', async () => {
    const fresh = await startApp();
    try {
      const count = () => (fresh.app.db.prepare('SELECT COUNT(*) AS n FROM desk_audit').get() as { n: number }).n;
      const anonymous = new DeskAgent(fresh.baseUrl, '', 'agent', {});
      for (let i = 0; i < 80; i++) expect((await anonymous.get('/api/desk/tickets')).status).toBe(401);
      expect(count()).toBe(60);
      const agent = await addAgent(fresh.app, fresh.baseUrl, 'agent');
      expect((await agent.get('/api/desk/audit')).status).toBe(403);
      expect(count()).toBe(61);
    } finally {
      await fresh.stop();
    }
  });
});
