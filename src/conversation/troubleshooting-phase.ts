import type { FlowOutcome } from '../../flows/outcome.js';
import { isHandoffReason } from '../../flows/outcome.js';
import { AppError } from '../errors.js';
import { CLARIFY_LABELS } from './clarify-labels.js';
import { FlowSession, type FlowDefinition } from './flow-session.js';
import type { HandoffPort } from './handoff-port.js';
import { asTopic } from './intent-routing.js';
import type { Handover, Phase, StepView } from './phase.js';
import { openRating, ratingButtons, ratingQuestionKey } from './satisfaction.js';
import { runSharedCommand } from './shared-commands.js';
import type { Turn } from './turn.js';
import type { Meaning, TopicReading } from './turn-meaning.js';
import { AFTER_TICKET_BUTTONS, AGENT_BUTTON, MENU_BUTTON, note, type PlannedButton } from './turn-plan.js';

export interface TroubleshootingPhaseDeps {
  readonly troubleshooting: FlowDefinition;
  /** The ticket store: a redelivered identity form is answered with its ticket. */
  readonly handoff?: HandoffPort | undefined;
  /** Ask for the optional 1–5 rating after a confirmed resolution (SATISFACTION_RATING); asked unless false. */
  readonly satisfactionRating?: boolean | undefined;
}

/**
 * The guide: answers, topics and "a person" move the troubleshooting machine; when it finishes,
 * its last words are said and the outcome is a closing (resolved) or a handover (to identity).
 */
export class TroubleshootingPhase implements Phase {
  readonly flow: FlowDefinition;
  readonly readsTopics = true;
  /** The first question: the menu of topics. */
  readonly mainMenuId: string;

  constructor(private readonly deps: TroubleshootingPhaseDeps) {
    this.flow = deps.troubleshooting;
    this.mainMenuId = FlowSession.start(deps.troubleshooting).step?.id ?? '';
  }

  async handle(turn: Turn, meaning: Meaning): Promise<Handover | void> {
    const before = turn.session.step;
    const handover = await this.decide(turn, meaning);
    const after = turn.session.step;
    // "Has this solved your problem?" answered: the reports' resolution is the customer's word.
    if (before?.meta.resolvedEnding && after?.id !== before.id && meaning.said.kind === 'answer') {
      if (meaning.said.event === 'answer.yes') turn.facts.solved = true;
      if (meaning.said.event === 'answer.no') turn.facts.solved = false;
    }
    // A resolved ending shown (reached by an answer, a jump or back): the question is on screen.
    if (after?.meta.resolvedEnding && after.id !== before?.id) turn.facts.ending = { kind: 'resolved' };
    return handover;
  }

  private async decide(turn: Turn, meaning: Meaning): Promise<Handover | void> {
    const { session, plan } = turn;
    // A clarifying question's choices hold for the next message only (the interpreter already read
    // "4" or どれでもない against them: TurnInterpreter.read's `offered`).
    turn.data.offered = undefined;
    const { said } = meaning;
    if (meaning.upset) plan.before.push(note('nlu:acknowledge'));
    switch (said.kind) {
      case 'answer':
        // A typed topic the NLU read with details ("new phone, same number") keeps those details.
        if (!(meaning.topic?.kind === 'jump' && session.send({ type: 'topic.jump', topic: meaning.topic.topic, slots: meaning.topic.slots }))) {
          session.send({ type: said.event });
        }
        return this.afterStep(turn);
      case 'command':
        if (said.command === 'agent') {
          session.send({ type: 'agent.requested' });
          return this.afterStep(turn);
        }
        if (said.command === 'outOfScope') return this.onTopic(turn, { kind: 'outOfScope' });
        return runSharedCommand(turn, said.command, said.lang, this.deps.handoff);
      case 'jump': {
        const topic = asTopic(said.topic);
        if (topic && session.send({ type: 'topic.jump', topic })) return this.afterStep(turn);
        plan.before.push(note('common:staleButton'));
        return;
      }
      case 'stale':
        plan.before.push(note('common:staleButton'));
        return;
      case 'unsure':
        if (meaning.topic) return this.onTopic(turn, meaning.topic);
        plan.before.push(note('common:unsure'));
        return;
      case 'unknown':
        if (meaning.topic) return this.onTopic(turn, meaning.topic);
        plan.before.push(note(this.hintKey(turn)));
        notUnderstood(turn);
        return;
      case 'identityForm':
        return this.repeatedForm(turn);
      case 'empty':
        plan.before.push(note(this.hintKey(turn)));
        return;
      case 'notAnOption':
        plan.before.push(note(this.hintKey(turn, 'common:pickAnOption')));
        return;
    }
  }

  view(turn: Turn): StepView {
    return { navigation: turn.session.step?.id === this.mainMenuId ? 'mainMenu' : 'question' };
  }

  /** Free text read for a topic: a confident topic jumps there (slots applied); an unsure one asks. */
  private async onTopic(turn: Turn, topic: TopicReading): Promise<Handover | void> {
    const { session, plan } = turn;
    switch (topic.kind) {
      case 'secretOnly':
        return;
      case 'jump':
        session.send({ type: 'topic.jump', topic: topic.topic, slots: topic.slots });
        // Two problems in one message: the main one now, the other offered afterwards.
        if (topic.also && !session.done) plan.after.push(note('nlu:alsoOffer', undefined, [{ topic: topic.also }]));
        return this.afterStep(turn);
      case 'agent':
        session.send({ type: 'agent.requested' });
        return this.afterStep(turn);
      case 'status':
        return runSharedCommand(turn, 'status', undefined, this.deps.handoff);
      case 'clarify': {
        plan.showStep = false;
        const buttons: PlannedButton[] = [
          ...topic.topics.map((t) => ({ topic: t })),
          ...(topic.status ? [{ command: 'status', label: CLARIFY_LABELS.status! } as const] : []),
          ...(topic.outOfScope ? [{ command: 'outOfScope', label: CLARIFY_LABELS.outOfScope! } as const] : []),
          { command: 'restart', label: CLARIFY_LABELS.restart! },
          AGENT_BUTTON,
        ];
        turn.data.offered = buttons.flatMap((b) => ('topic' in b ? [`topic:${b.topic}`] : 'command' in b ? [`command:${b.command}`] : []));
        plan.after.push(note('nlu:clarify', undefined, buttons));
        notUnderstood(turn);
        return;
      }
      case 'outOfScope':
        plan.showStep = false;
        plan.after.push(note('nlu:outOfScope', undefined, [MENU_BUTTON, AGENT_BUTTON]));
        turn.facts.ending = { kind: 'out_of_scope' };
        if (topic.unrecognised) notUnderstood(turn);
        return;
      case 'smallTalk':
        if (!(topic.intent === 'greeting' && turn.greeted)) plan.before.push(note(`nlu:${topic.intent}`));
        return;
      case 'notUnderstood':
        plan.before.push(note(this.hintKey(turn)));
        notUnderstood(turn);
        return;
    }
  }

  /** After the machine moved: a finished flow says its last words, then closes or hands over. */
  private afterStep(turn: Turn): Handover | void {
    const { session, plan } = turn;
    if (!session.done) return;
    // The ending is said as notes: a handover replaces this flow before the turn is rendered.
    plan.before.push(...(session.step?.meta.messages ?? []).map((key) => note(key)));
    plan.showStep = false;
    const outcome = toOutcome(session.output);
    turn.outcome = outcome;
    if (outcome.kind === 'handoff') {
      // Identity takes over this turn: the reports see where the guide ended.
      turn.facts.endedAt = { flow: this.flow.name, step: session.step?.id ?? '' };
      return { reason: outcome.reason, trail: trailOf(session.context) };
    }
    // An informational topic's ending names its own closing ("anything else?"); a fix gets "glad that's sorted".
    const closing = session.step?.meta.closing ?? 'common:resolvedClosing';
    if (this.deps.satisfactionRating === false) {
      plan.after.push(note(closing, undefined, [MENU_BUTTON]));
      return;
    }
    // Optional: the rating comes last, its buttons beside the way back to the menu, and may be ignored.
    openRating(turn.data, 'resolution');
    plan.after.push(note(closing), note(ratingQuestionKey('resolution'), undefined, [...ratingButtons('resolution'), MENU_BUTTON]));
  }

  /**
   * An identity form that arrives after its ticket was opened: the channel redelivered the
   * activity, or the customer pressed submit again because the reply was lost (a crash, a
   * dropped connection). The answer is the ticket's number, not "I didn't catch that"; without
   * an open ticket it is an old card, and the step is asked again.
   */
  private async repeatedForm(turn: Turn): Promise<void> {
    const { input, plan } = turn;
    const ticket = this.deps.handoff && input.customer ? await this.deps.handoff.findOpenTicket(input.customer) : undefined;
    if (!ticket) {
      plan.before.push(note(this.hintKey(turn)));
      return;
    }
    plan.showStep = false;
    plan.after.push(note('handoff:detailsAlreadyReceived', { ticketId: ticket.id, status: { key: `tickets:status.${ticket.status}` } }, AFTER_TICKET_BUTTONS));
  }

  /** What to say to input the step cannot use: at the menu, how to pick a topic; elsewhere `otherwise`. */
  private hintKey(turn: Turn, otherwise = 'common:notUnderstood'): string {
    return turn.session.step?.id === this.mainMenuId ? 'common:notUnderstoodMenu' : otherwise;
  }
}

/** Free text the bot could not place, as the middleware left it (redacted); never a button press. */
function notUnderstood(turn: Turn): void {
  const text = turn.input.text;
  if (turn.input.value !== undefined || typeof text !== 'string' || text.trim() === '') return;
  turn.facts.notUnderstood = [...text].slice(0, NOT_UNDERSTOOD_MAX_CHARS).join('');
}

/** Characters of a not-understood message kept for the reports (a pasted log must not fill them). */
const NOT_UNDERSTOOD_MAX_CHARS = 1000;

function trailOf(context: unknown): readonly string[] {
  const trail = (context as { trail?: unknown } | undefined)?.trail;
  return Array.isArray(trail) ? trail.filter((s): s is string => typeof s === 'string') : [];
}

function toOutcome(output: unknown): FlowOutcome {
  const o = output as { kind?: unknown; reason?: unknown } | undefined;
  if (o?.kind === 'handoff' && isHandoffReason(o.reason)) return { kind: 'handoff', reason: o.reason };
  if (o?.kind === 'resolved') return { kind: 'resolved' };
  throw new AppError('internal', 'flow finished without a valid outcome');
}
