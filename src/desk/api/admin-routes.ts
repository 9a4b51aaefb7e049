/** The desk API's audit trail (supervisors) and agent administration (admins). */
import { AppError } from '../../errors.js';
import type { Agent } from '../agents/agent.js';
import type { AgentRepository } from '../agents/agent-repository.js';
import type { ApiTokens } from '../auth/api-tokens.js';
import type { DeskService } from '../desk-service.js';
import { defineRoute, type DeskRoute } from './route.js';
import {
  AgentIdParams,
  AgentPatchBody,
  AgentSchema,
  AuditQuery,
  AuditResponse,
  IssuedTokenResponse,
  NewAgentBody,
  NewTokenBody,
  TokenInfoSchema,
  TokenParams,
} from './schemas.js';
import { z } from 'zod';

export interface AdminRoutesDeps {
  readonly desk: DeskService;
  readonly agents: AgentRepository;
  readonly tokens: ApiTokens;
  readonly now?: () => Date;
}

/** What the API shows of an agent (not the identity provider's subject). */
function agentView(a: Agent) {
  const { oidcSubject: _subject, ...rest } = a;
  return rest;
}

export function adminRoutes({ desk, agents, tokens, now = () => new Date() }: AdminRoutesDeps): DeskRoute[] {
  const expiry = (days: number | undefined) => (days === undefined ? null : new Date(now().getTime() + days * 86_400_000));
  return [
    defineRoute({
      method: 'get',
      path: '/api/desk/audit',
      operationId: 'listAudit',
      summary: 'The audit trail, newest first, with filters (supervisor)',
      tag: 'audit',
      role: 'supervisor',
      query: AuditQuery,
      response: AuditResponse,
      handle: async ({ caller, query }) => {
        const entries = await desk.listAudit(caller, {
          ...(query.agent ? { agentId: query.agent } : {}),
          ...(query.action ? { action: query.action } : {}),
          ...(query.ticket ? { ticketId: query.ticket.toUpperCase() } : {}),
          ...(query.outcome ? { outcome: query.outcome } : {}),
          ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
          ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
          ...(query.cursor ? { beforeId: query.cursor } : {}),
          limit: query.limit,
        });
        const last = entries[entries.length - 1];
        return { body: { entries, next: entries.length === query.limit && last ? last.id : null } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/desk/agents',
      operationId: 'listAgents',
      summary: 'Every agent (admin)',
      tag: 'agents',
      role: 'admin',
      response: z.object({ agents: z.array(AgentSchema) }),
      handle: async ({ caller }) => ({ body: { agents: (await desk.guarded(caller, 'agents.manage', () => agents.list())).map(agentView) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/desk/agents',
      operationId: 'addAgent',
      summary:
        'Add an agent (admin). No token is issued here: the agent signs in through the identity provider, or the server’s operator issues a token with `npm run desk -- agent token create`',
      tag: 'agents',
      role: 'admin',
      body: NewAgentBody,
      response: z.object({ agent: AgentSchema }),
      handle: async ({ caller, body }) =>
        desk.guarded(caller, 'agents.manage', async () => ({ status: 201, body: { agent: agentView(await agents.create(body)) } })),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/desk/agents/{id}',
      operationId: 'updateAgent',
      summary: 'Change an agent’s role, or disable / enable them (admin)',
      tag: 'agents',
      role: 'admin',
      params: AgentIdParams,
      body: AgentPatchBody,
      response: z.object({ agent: AgentSchema }),
      handle: async ({ caller, params, body }) =>
        desk.guarded(caller, 'agents.manage', async () => {
          let agent = await agents.get(params.id);
          if (body.role !== undefined) agent = await agents.setRole(params.id, body.role);
          if (body.active !== undefined) agent = await agents.setActive(params.id, body.active);
          return { body: { agent: agentView(agent) } };
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/desk/agents/{id}/tokens',
      operationId: 'listTokens',
      summary: 'An agent’s API tokens, without their secrets (admin)',
      tag: 'agents',
      role: 'admin',
      params: AgentIdParams,
      response: z.object({ tokens: z.array(TokenInfoSchema) }),
      handle: async ({ caller, params }) => ({
        body: { tokens: await desk.guarded(caller, 'agents.manage', async () => (await agents.get(params.id), tokens.list(params.id))) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/desk/agents/{id}/tokens',
      operationId: 'createToken',
      summary: 'Issue yourself an API token, optionally with an expiry (the secret is shown once); nobody may issue one for someone else',
      tag: 'agents',
      role: 'agent',
      params: AgentIdParams,
      body: NewTokenBody,
      response: IssuedTokenResponse,
      handle: async ({ caller, params, body }) => {
        // A token for someone else would let its maker act as them, and so verify a customer and
        // then approve the change "as" a second person: the two-agent rule would mean nothing.
        if (params.id !== caller.agent.id) {
          throw new AppError('forbidden', 'An API token can only be issued to yourself; the server’s operator issues first tokens with npm run desk -- agent token create', { reason: 'own_tokens_only' });
        }
        return { status: 201, body: await tokens.create(params.id, { label: body.label, expiresAt: expiry(body.expiresInDays) }) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/desk/agents/{id}/tokens/{tokenId}/revoke',
      operationId: 'revokeToken',
      summary: 'Revoke an API token (admin)',
      tag: 'agents',
      role: 'admin',
      params: TokenParams,
      response: z.object({ token: TokenInfoSchema }),
      handle: async ({ caller, params }) =>
        desk.guarded(caller, 'agents.manage', async () => {
          const own = (await tokens.list(params.id)).some((t) => t.id === params.tokenId);
          if (!own) throw new AppError('not_found', 'token not found');
          return { body: { token: await tokens.revoke(params.tokenId) } };
        }),
    }),
  ];
}
