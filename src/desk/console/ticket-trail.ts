/**
 * A ticket's trail through the guide read off the troubleshooting machine: each step with what the
 * bot said there (locale keys) and the answer that led on, and the final state it ended in. The
 * desk's ticket view carries the questions and answers as text; the console also wants each step's
 * own title and the diagram, which need the step ids. Read only after the audited ticket read.
 */
import type { AnyStateMachine } from 'xstate';
import { HANDOFF_STATE_IDS } from '../../../flows/troubleshooting/index.js';
import { describePath, type PathStep } from '../../../flows/troubleshooting/path-answers.js';
import type { Ticket } from '../../tickets/ticket.js';

export interface TicketTrail {
  readonly steps: readonly PathStep[];
  /** The final state the conversation reached (the handoff of the ticket's reason). */
  readonly endedAt: string;
}

/** Reads the trail of a ticket, or null when there is no such ticket. */
export function ticketTrailReader(machine: AnyStateMachine, getTicket: (id: string) => Promise<Ticket | undefined>) {
  return async (ticketId: string): Promise<TicketTrail | null> => {
    const ticket = await getTicket(ticketId);
    if (!ticket) return null;
    const endedAt = HANDOFF_STATE_IDS[ticket.reason];
    return { steps: describePath(machine, ticket.path, endedAt), endedAt };
  };
}
