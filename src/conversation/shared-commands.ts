import type { Language } from '../i18n/language.js';
import type { Command } from './button-value.js';
import type { HandoffPort } from './handoff-port.js';
import type { Turn } from './turn.js';
import { note, type Note } from './turn-plan.js';

/** The commands that do the same in every phase ("a person" means something different in each). */
export type SharedCommand = Exclude<Command, 'agent'>;

/**
 * Start over, back, language, help and status, for whichever flow is active: each changes the
 * flow or the conversation and adds its note before the step, which is shown again. Called by
 * the phases; calls none of them.
 */
export async function runSharedCommand(turn: Turn, command: SharedCommand, lang: Language | undefined, tickets: HandoffPort | undefined): Promise<void> {
  const { session, data, plan, input } = turn;
  switch (command) {
    case 'restart':
      session.send({ type: 'flow.restart' });
      plan.before.push(note('common:restarted'));
      return;
    case 'back': {
      const before = session.step?.id;
      session.send({ type: 'flow.back' });
      if (session.step?.id === before) plan.before.push(note('common:cannotGoBack'));
      return;
    }
    case 'language':
      data.lang = lang ?? (data.lang === 'ja' ? 'en' : 'ja');
      data.langChosen = true;
      plan.before.push(note('common:languageChanged'));
      return;
    case 'help':
      plan.before.push(note('common:help'));
      return;
    case 'outOfScope':
      // "It's about something else" (a clarifying question's option): what this chat does not do.
      plan.before.push(note('nlu:outOfScope'));
      return;
    case 'status': {
      const found = input.customer && tickets ? await tickets.customerTickets(input.customer) : [];
      plan.before.push(statusNote(found));
      return;
    }
  }
}

/** The customer's tickets, one line each under a header; or that there are none. */
function statusNote(tickets: Awaited<ReturnType<HandoffPort['customerTickets']>>): Note {
  if (tickets.length === 0) return note('common:noTickets');
  const lines = tickets.map((k) => ({
    key: 'tickets:statusLine',
    values: { ticketId: k.id, status: { key: `tickets:status.${k.status}` }, reason: { key: `tickets:reason.${k.reason}` }, updated: k.updatedAt.slice(0, 10) },
  }));
  return { lines: [{ key: 'tickets:statusHeader' }, ...lines] };
}
