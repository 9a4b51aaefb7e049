/**
 * What happens when a console form is posted (the CSRF check has passed): the desk API runs the
 * action as the signed-in agent, and the answer is a redirect back with a message (Post/Redirect/
 * Get), or, for a new API token, the one page that shows its secret.
 */
import { SecretPage } from './agents-page.js';
import type { ConsoleSession } from './console-session.js';
import { field } from './console-http.js';
import { problemNote, ticketFormAction, agentUpdateAction, tokenBody, type FormAction } from './form-actions.js';
import type { FlashNote } from './flash.js';
import type { RenderedPage } from './render.js';
import type { AgentAnswer, TokenAnswer } from './ticket-view.js';

export type FormResult =
  | { readonly kind: 'redirect'; readonly location: string; readonly flash: FlashNote }
  | { readonly kind: 'page'; readonly page: RenderedPage }
  | { readonly kind: 'not_found' };

/** A path segment that can go back into a Location header as is. */
function segment(value: string): string {
  return encodeURIComponent(value.slice(0, 64));
}

async function runAction(s: ConsoleSession, action: FormAction, back: string): Promise<FormResult> {
  const outcome = await s.run(action.operationId, { params: action.params, body: action.body, version: action.version });
  return { kind: 'redirect', location: back, flash: outcome.ok ? action.success : problemNote(outcome.code, outcome.err) };
}

/** `POST /desk/tickets/:id/:action`. */
export async function ticketForm(s: ConsoleSession, ticketId: string, actionName: string, form: unknown): Promise<FormResult> {
  const action = ticketFormAction(ticketId, actionName, form, s.auth.agent.id);
  if (!action) return { kind: 'not_found' };
  return runAction(s, action, `/desk/tickets/${segment(ticketId)}`);
}

/** `POST /desk/tickets/:id/notifications/:notificationId/retry`. */
export async function retryForm(s: ConsoleSession, ticketId: string, notificationId: string): Promise<FormResult> {
  const action: FormAction = {
    operationId: 'retryNotification',
    params: { id: ticketId, notificationId },
    body: undefined,
    version: null,
    success: { kind: 'ok', key: 'retryQueued' },
  };
  return runAction(s, action, `/desk/tickets/${segment(ticketId)}#notifications`);
}

/**
 * `POST /desk/agents`: adds the agent and opens their page. No token is made for them here: they
 * sign in through the identity provider, or the server's operator issues their first token.
 */
export async function addAgentForm(s: ConsoleSession, form: unknown): Promise<FormResult> {
  const body = { displayName: field(form, 'displayName') ?? '', email: (field(form, 'email') ?? '').trim(), role: field(form, 'role') };
  const outcome = await s.run('addAgent', { body });
  if (!outcome.ok) return { kind: 'redirect', location: '/desk/agents', flash: problemNote(outcome.code, outcome.err) };
  const added = outcome.result.body as { agent: AgentAnswer };
  return { kind: 'redirect', location: `/desk/agents/${segment(added.agent.id)}`, flash: { kind: 'ok', key: 'agentAdded' } };
}

/** `POST /desk/agents/:id`: role, or disable / enable. */
export async function updateAgentForm(s: ConsoleSession, agentId: string, form: unknown): Promise<FormResult> {
  return runAction(s, agentUpdateAction(agentId, form), `/desk/agents/${segment(agentId)}`);
}

/** `POST /desk/agents/:id/tokens`: issues a token to the signed-in agent themself and shows its secret once. */
export async function createTokenForm(s: ConsoleSession, agentId: string, form: unknown): Promise<FormResult> {
  const back = `/desk/agents/${segment(agentId)}`;
  const outcome = await s.run('createToken', { params: { id: agentId }, body: tokenBody(form) });
  if (!outcome.ok) return { kind: 'redirect', location: back, flash: problemNote(outcome.code, outcome.err) };
  const issued = outcome.result.body as { token: TokenAnswer; secret: string };
  const listed = await s.run('listAgents');
  // The secret is shown now or never: without the name, the id stands in.
  const agent = (listed.ok ? (listed.result.body as { agents: AgentAnswer[] }).agents.find((a) => a.id === agentId) : undefined) ?? { id: agentId, displayName: agentId };
  return { kind: 'page', page: s.render(201, <SecretPage agent={agent} token={issued.token} secret={issued.secret} />) };
}

/** `POST /desk/agents/:id/tokens/:tokenId/revoke`. */
export async function revokeTokenForm(s: ConsoleSession, agentId: string, tokenId: string): Promise<FormResult> {
  const action: FormAction = { operationId: 'revokeToken', params: { id: agentId, tokenId }, body: undefined, version: null, success: { kind: 'ok', key: 'tokenRevoked' } };
  return runAction(s, action, `/desk/agents/${segment(agentId)}`);
}
