/**
 * Who may do what at the desk, in one table, and for one ticket which actions an agent may take
 * now, each refusal with a reason the console can show ("you verified this identity, so another
 * supervisor must approve"). The lifecycle rules themselves stay in flows/ticket-lifecycle.
 */
import {
  approvalActionFor,
  canApplyTicketEvent,
  isOpenTicketStatus,
  type TicketLifecycleEvent,
} from '../../flows/ticket-lifecycle/index.js';
import { lifecycleContextOf } from '../tickets/ticket-change.js';
import type { Ticket } from '../tickets/ticket.js';
import { roleAtLeast, type Agent, type AgentRole } from './agents/agent.js';

/** Every ticket action an agent can ask for. */
export const TICKET_ACTIONS = [
  'assign',
  'note',
  'verify',
  'fail',
  'approve',
  'carry_out',
  'request_info',
  'resolve',
  'close',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** The least role for each desk capability. */
export const REQUIRED_ROLE = {
  'tickets.read': 'agent',
  'tickets.assign_self': 'agent',
  'tickets.reassign': 'supervisor',
  'tickets.note': 'agent',
  'tickets.verify': 'agent',
  'tickets.fail': 'agent',
  'tickets.approve': 'supervisor',
  'tickets.carry_out': 'agent',
  'tickets.request_info': 'agent',
  'tickets.resolve': 'agent',
  'tickets.close': 'agent',
  'tickets.notifications.retry': 'agent',
  'audit.read': 'supervisor',
  'reports.view': 'supervisor',
  'agents.manage': 'admin',
} as const satisfies Record<string, AgentRole>;
export type DeskCapability = keyof typeof REQUIRED_ROLE;

/** Why an action is not available; the console maps each to a sentence (`desk:refusal.*`). */
export type RefusalReason =
  | 'role'
  | 'status'
  | 'own_verification'
  | 'no_change_needed'
  | 'change_needed'
  | 'closed';

export type Availability = { readonly allowed: true } | { readonly allowed: false; readonly reason: RefusalReason; readonly requiredRole?: AgentRole };

export function hasCapability(agent: Pick<Agent, 'role'>, capability: DeskCapability): boolean {
  return roleAtLeast(agent.role, REQUIRED_ROLE[capability]);
}

const EVENT_OF: Partial<Record<TicketAction, (agentId: string) => TicketLifecycleEvent>> = {
  verify: (id) => ({ type: 'identity.verified', agentId: id }),
  fail: (id) => ({ type: 'identity.rejected', agentId: id, reason: 'other' }),
  approve: (id) => ({ type: 'approval.granted', agentId: id }),
  carry_out: (id) => ({ type: 'change.carried_out', agentId: id }),
  resolve: (id) => ({ type: 'ticket.resolved', agentId: id }),
  close: (id) => ({ type: 'ticket.closed', actor: { kind: 'agent', id }, reason: 'other' }),
};

const CAPABILITY_OF: Record<TicketAction, DeskCapability> = {
  assign: 'tickets.assign_self',
  note: 'tickets.note',
  verify: 'tickets.verify',
  fail: 'tickets.fail',
  approve: 'tickets.approve',
  carry_out: 'tickets.carry_out',
  request_info: 'tickets.request_info',
  resolve: 'tickets.resolve',
  close: 'tickets.close',
};

/** Whether `agent` may take `action` on `ticket` as it is now, and if not, why. */
export function availability(agent: Pick<Agent, 'id' | 'role'>, ticket: Ticket, action: TicketAction): Availability {
  const capability = CAPABILITY_OF[action];
  if (!hasCapability(agent, capability)) return { allowed: false, reason: 'role', requiredRole: REQUIRED_ROLE[capability] };
  if (!isOpenTicketStatus(ticket.status)) return { allowed: false, reason: 'closed' };
  const event = EVENT_OF[action];
  if (!event) return { allowed: true };
  if (canApplyTicketEvent(ticket.status, lifecycleContextOf(ticket), event(agent.id))) return { allowed: true };
  if (action === 'approve' && ticket.status === 'verified') {
    if (approvalActionFor(ticket.reason) === null) return { allowed: false, reason: 'no_change_needed' };
    if (ticket.verifiedBy === agent.id) return { allowed: false, reason: 'own_verification' };
  }
  if (action === 'resolve' && ticket.status === 'verified') return { allowed: false, reason: 'change_needed' };
  return { allowed: false, reason: 'status' };
}

/** Every action with its availability, for the ticket view. */
export function ticketActionsFor(agent: Pick<Agent, 'id' | 'role'>, ticket: Ticket): Record<TicketAction, Availability> {
  return Object.fromEntries(TICKET_ACTIONS.map((a) => [a, availability(agent, ticket, a)])) as Record<TicketAction, Availability>;
}
