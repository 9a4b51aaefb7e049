/**
 * A ticket's trail through the guide as an agent reads it, in the agent's language: each question
 * the bot asked and the answer that led on, and the checks the customer says they already tried.
 */
import type { AnyStateMachine } from 'xstate';
import { describePath } from '../../flows/troubleshooting/path-answers.js';
import { HANDOFF_STATE_IDS } from '../../flows/troubleshooting/index.js';
import type { Localizer } from '../i18n/i18n.js';
import type { Ticket } from '../tickets/ticket.js';
import type { PathStepView } from './desk-service.js';
import type { Language } from '../i18n/language.js';

/** `options:<id>.label`, or `<namespace:key>.label` for an option id that names its namespace. */
function optionLabelKey(id: string): string {
  return id.includes(':') ? `${id}.label` : `options:${id}.label`;
}

export function ticketPathView(localizer: Localizer, machine: AnyStateMachine) {
  return (ticket: Ticket, lang: Language): { path: PathStepView[]; stepsTried: { stepId: string; title: string }[] } => {
    const t = localizer.forLanguage(lang);
    const path = describePath(machine, ticket.path, HANDOFF_STATE_IDS[ticket.reason]).map((step) => {
      const key = step.messageKeys[step.messageKeys.length - 1];
      return {
        stepId: step.stepId,
        question: key ? t(key) : step.stepId,
        answer: step.answerId ? t(optionLabelKey(step.answerId)) : null,
      };
    });
    const stepsTried = describePath(machine, ticket.stepsTried).map((step) => {
      // The check itself names the step ("1) Check that …"), not a warning or introduction said before it.
      const key = step.messageKeys.find((k) => k.endsWith('.check')) ?? step.messageKeys[0];
      return { stepId: step.stepId, title: key ? t(key) : step.stepId };
    });
    return { path, stepsTried };
  };
}
