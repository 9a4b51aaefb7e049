/**
 * A customer on a Bot Framework channel walks the guide to a handoff by typing the buttons'
 * titles, answers the question asked before the procedure, and submits the identity card.
 * Shared by the desk and alert tests, which need a ticket and do not test the walk itself.
 */
import { expect } from 'vitest';
import type { HandoffReason } from '../../../flows/outcome.js';
import type { Translate } from '../../../src/i18n/i18n.js';
import { TICKET_ID, type Lang } from './customer.js';
import { textsOf, type BotFrameworkCustomer } from './running-app.js';
import { answerBeforeProcedure, HANDOFF_ROUTES, IDENTITY } from './scenarios.js';

/** Returns the ticket number and the replies to the card. */
export async function walkToTicket(customer: BotFrameworkCustomer, t: Translate, lang: Lang, reason: HandoffReason) {
  await customer.post({ type: 'conversationUpdate', membersAdded: [{ id: customer.ids.userId }] });
  for (const option of HANDOFF_ROUTES[reason].options) await customer.say(t(`options:${option}.label`));
  const answer = answerBeforeProcedure(reason);
  if (answer) await customer.say(t(`identity:options.${answer}.label`));
  const done = await customer.submitCard({ ...IDENTITY[lang].typed });
  const id = TICKET_ID.exec(textsOf(done))?.[0];
  expect(id, textsOf(done)).toBeDefined();
  return { id: id!, done };
}
