/**
 * Which agent an OpenID identity signs in as. The provider's `sub` is the lasting link; the
 * e-mail is used once, to find the agent an administrator added, and then the subject is bound,
 * so a later change of e-mail at the provider cannot move the sign-in to someone else's agent.
 */
import { isAppError } from '../../errors.js';
import type { Agent } from '../agents/agent.js';
import type { AgentRepository } from '../agents/agent-repository.js';
import type { OidcIdentity } from './oidc-sign-in.js';

/** Why a person who signed in at the provider gets no session. */
export type OidcRefusal = 'not_an_agent' | 'disabled' | 'no_email' | 'bound_to_other_account';

export type OidcAgentMatch = { readonly ok: true; readonly agent: Agent } | { readonly ok: false; readonly reason: OidcRefusal; readonly agentId?: string };

/** Finds (and on the first sign-in binds) the active agent for an identity, or says why not. */
export async function matchOidcAgent(agents: AgentRepository, identity: Pick<OidcIdentity, 'subject' | 'email' | 'emailVerified'>): Promise<OidcAgentMatch> {
  const bound = await agents.findBySubject(identity.subject);
  if (bound) return bound.active ? { ok: true, agent: bound } : { ok: false, reason: 'disabled', agentId: bound.id };
  // An address the provider itself marks unverified proves nothing about who this is.
  if (identity.email === null || identity.emailVerified === false) return { ok: false, reason: 'no_email' };
  const byEmail = await agents.findByEmail(identity.email);
  if (!byEmail) return { ok: false, reason: 'not_an_agent' };
  if (!byEmail.active) return { ok: false, reason: 'disabled', agentId: byEmail.id };
  if (byEmail.oidcSubject !== null) return { ok: false, reason: 'bound_to_other_account', agentId: byEmail.id };
  try {
    return { ok: true, agent: await agents.bindSubject(byEmail.id, identity.subject) };
  } catch (err) {
    // Two first sign-ins at once: the other one bound first.
    if (isAppError(err) && err.code === 'conflict') return { ok: false, reason: 'bound_to_other_account', agentId: byEmail.id };
    throw err;
  }
}
