/**
 * The console's pages, each read through the desk API as the signed-in agent: the queue, a
 * ticket, the audit trail and agent administration. A refusal becomes the page an agent
 * understands (403 for a role too low, 404 for nothing there); other problems are shown in place.
 */
import type { Language } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { Agent } from '../agents/agent.js';
import { AgentPage, AgentsPage } from './agents-page.js';
import { AuditPage, auditApiQuery, parseAuditForm } from './audit-page.js';
import type { ConsoleSession } from './console-session.js';
import { flashText } from './flash.js';
import { problemNote } from './form-actions.js';
import { apiQuery, parseQueueForm } from './queue-filter.js';
import { QueuePage, type QueueRow } from './queue-page.js';
import type { RenderedPage } from './render.js';
import { AccessDenied, NotFoundPage } from './status-pages.js';
import { TicketPage } from './ticket-page.js';
import type { TicketTrail } from './ticket-trail.js';
import type { AgentAnswer, AuditAnswer, QueueAnswer, TicketAnswer, TokenAnswer } from './ticket-view.js';

export const QUEUE_PAGE_SIZE = 25;
export const AUDIT_PAGE_SIZE = 50;

export interface ConsolePageDeps {
  /** Every agent, for names (the console shows who, never an id). */
  readonly listAgents: () => Promise<readonly Agent[]>;
  /** A ticket's steps through the guide; called only after the audited read of the ticket. */
  readonly ticketTrail?: (ticketId: string) => Promise<TicketTrail | null>;
  /** The troubleshooting tree with the trail highlighted, as escaped SVG markup. */
  readonly drawTree?: (trail: TicketTrail, lang: Language) => Promise<string>;
  readonly logger?: Logger;
}

/** What an agent may see of another agent (not the identity provider's subject). */
function agentAnswers(agents: readonly Agent[]): AgentAnswer[] {
  return agents.map(({ oidcSubject: _s, ...a }) => a);
}

/** A refusal the page cannot show in place. */
function refusalPage(s: ConsoleSession, code: string, role: string): RenderedPage | null {
  if (code === 'forbidden') return s.render(403, <AccessDenied role={role} flash={s.flash} />);
  if (code === 'not_found') return s.render(404, <NotFoundPage flash={s.flash} />);
  return null;
}

export async function queuePage(s: ConsoleSession, query: unknown, deps: ConsolePageDeps): Promise<RenderedPage> {
  const form = parseQueueForm(query);
  const [outcome, agents] = await Promise.all([s.run('listTickets', { query: apiQuery(form, s.page.timeZone, QUEUE_PAGE_SIZE) }), deps.listAgents()]);
  const names = new Map(agents.map((a) => [a.id, a.displayName]));
  if (!outcome.ok) {
    const refused = refusalPage(s, outcome.code, 'agent');
    if (refused) return refused;
  }
  const answer = outcome.ok ? (outcome.result.body as QueueAnswer) : null;
  return s.render(
    outcome.ok ? 200 : 400,
    <QueuePage
      form={form}
      rows={(answer?.tickets ?? []) as QueueRow[]}
      counts={answer?.counts ?? null}
      slaHours={answer?.slaHours ?? 0}
      nextCursor={answer?.next ?? null}
      problem={outcome.ok ? null : flashText(problemNote(outcome.code, outcome.err), s.page.t)}
      agentNames={names}
      flash={s.flash}
    />,
  );
}

export async function ticketPage(s: ConsoleSession, ticketId: string, deps: ConsolePageDeps): Promise<RenderedPage> {
  const outcome = await s.run('getTicket', { params: { id: ticketId }, query: { lang: s.page.lang } });
  if (!outcome.ok) {
    // A malformed number names no ticket: the same page as one that does not exist.
    const refused = refusalPage(s, outcome.code === 'invalid_input' ? 'not_found' : outcome.code, 'agent');
    if (refused) return refused;
    throw outcome.err;
  }
  const view = outcome.result.body as TicketAnswer;
  const [agents, trail] = await Promise.all([deps.listAgents(), deps.ticketTrail ? deps.ticketTrail(view.ticket.id) : Promise.resolve(null)]);
  return s.render(200, <TicketPage view={view} agents={agentAnswers(agents)} treeSvg={await drawing(trail, s.page.lang, deps)} flash={s.flash} />);
}

/** The diagram, or null: a drawing that fails must not cost the agent the ticket page. */
async function drawing(trail: TicketTrail | null, lang: Language, deps: ConsolePageDeps): Promise<string | null> {
  if (!trail || !deps.drawTree) return null;
  try {
    return await deps.drawTree(trail, lang);
  } catch (err) {
    deps.logger?.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'desk console: the tree could not be drawn');
    return null;
  }
}

export async function auditPage(s: ConsoleSession, query: unknown, deps: ConsolePageDeps): Promise<RenderedPage> {
  const form = parseAuditForm(query);
  const outcome = await s.run('listAudit', { query: auditApiQuery(form, s.page.timeZone, AUDIT_PAGE_SIZE) });
  if (!outcome.ok) {
    const refused = refusalPage(s, outcome.code, 'supervisor');
    if (refused) return refused;
  }
  const agents = agentAnswers(await deps.listAgents());
  return s.render(
    outcome.ok ? 200 : 400,
    <AuditPage
      form={form}
      result={outcome.ok ? (outcome.result.body as AuditAnswer) : null}
      problem={outcome.ok ? null : flashText(problemNote(outcome.code, outcome.err), s.page.t)}
      agents={agents}
      flash={s.flash}
    />,
  );
}

/** The agents as the API lists them (admins only), or the refusal page. */
async function listedAgents(s: ConsoleSession): Promise<AgentAnswer[] | RenderedPage> {
  const outcome = await s.run('listAgents');
  if (outcome.ok) return (outcome.result.body as { agents: AgentAnswer[] }).agents;
  const refused = refusalPage(s, outcome.code, 'admin');
  if (refused) return refused;
  throw outcome.err;
}

export async function agentsPage(s: ConsoleSession): Promise<RenderedPage> {
  const agents = await listedAgents(s);
  if (!Array.isArray(agents)) return agents;
  return s.render(200, <AgentsPage agents={agents} flash={s.flash} />);
}

export async function agentPage(s: ConsoleSession, agentId: string): Promise<RenderedPage> {
  const agents = await listedAgents(s);
  if (!Array.isArray(agents)) return agents;
  const agent = agents.find((a) => a.id === agentId);
  if (!agent) return s.render(404, <NotFoundPage flash={s.flash} />);
  const tokens = await s.run('listTokens', { params: { id: agent.id } });
  if (!tokens.ok) return refusalPage(s, tokens.code, 'admin') ?? Promise.reject(tokens.err);
  return s.render(200, <AgentPage agent={agent} tokens={(tokens.result.body as { tokens: TokenAnswer[] }).tokens} flash={s.flash} />);
}
