import type { Language } from '../i18n/i18n.js';
import type { ConversationData } from './conversation-data.js';
import { FlowBrokenError, FlowSession, type FlowDefinition } from './flow-session.js';
import type { HandoffPort } from './handoff-port.js';
import { IdentityPhase } from './identity-phase.js';
import type { Understand } from './intent-routing.js';
import type { Interpreter } from './interpreter.js';
import type { Phase } from './phase.js';
import { readRating } from './satisfaction.js';
import type { StepRenderer } from './step-renderer.js';
import { TroubleshootingPhase } from './troubleshooting-phase.js';
import { languageFromLocale, type Turn, type TurnInput, type TurnResult } from './turn.js';
import { followTextLanguage, TurnInterpreter } from './turn-meaning.js';
import type { TurnFact } from './turn-fact.js';
import { emptyPlan, MENU_BUTTON, note } from './turn-plan.js';
import { TurnRenderer } from './turn-renderer.js';

export { languageFromLocale, type TurnInput, type TurnResult } from './turn.js';

export interface EngineDeps {
  readonly troubleshooting: FlowDefinition;
  readonly identity: FlowDefinition;
  readonly renderer: StepRenderer;
  readonly interpreter: Interpreter;
  readonly defaultLanguage: Language;
  /** The ticket store; without it a handoff ends with the support contact only. */
  readonly handoff?: HandoffPort;
  /** Told to the customer: how long verification usually takes (0: not told). */
  readonly verificationSlaHours: number;
  /** Told to the customer: how long withdrawals are usually paused after a 2FA switch (0: not told). */
  readonly resetWithdrawalHoldHours: number;
  /** Youngest age an identity claim's date of birth may show (0: not checked; default 18). */
  readonly minCustomerAge?: number;
  /** Free-text understanding (NLU); without it, text that is not an answer is "not understood". */
  readonly understand?: Understand;
  /** Confidence at or above which an understood intent is acted on without asking. */
  readonly confident?: number;
  /** The optional 1–5 rating after a confirmed resolution (SATISFACTION_RATING): asked unless false. */
  readonly satisfactionRating?: boolean;
}

/**
 * The customer's side of a conversation, one turn at a time and one way:
 *
 *   restore -> rating? -> interpret (once) -> phase.handle(meaning) -> render once -> persist
 *
 * The active phase (troubleshooting, or identity collection after a handoff) decides and fills
 * the turn's plan; a troubleshooting flow that ends in a handoff is handed over to identity.
 * Its only I/O is the ticket port, so it runs the same behind any channel and in replay.
 */
export class ConversationEngine {
  private readonly troubleshooting: TroubleshootingPhase;
  private readonly identity: IdentityPhase;
  private readonly interpreter: TurnInterpreter;
  private readonly renderer: TurnRenderer;

  constructor(private readonly deps: EngineDeps) {
    this.troubleshooting = new TroubleshootingPhase(deps);
    this.identity = new IdentityPhase(deps);
    this.interpreter = new TurnInterpreter({
      interpreter: deps.interpreter,
      understand: deps.understand,
      confident: deps.confident ?? 0.6,
      mainMenuId: this.troubleshooting.mainMenuId,
    });
    this.renderer = new TurnRenderer(deps.renderer);
  }

  newData(locale?: string): ConversationData {
    return {
      lang: languageFromLocale(locale) ?? this.deps.defaultLanguage,
      langChosen: false,
      langFromText: false,
      welcomed: false,
      secretsNoticeShown: false,
    };
  }

  async handle(previous: ConversationData | undefined, input: TurnInput): Promise<TurnResult> {
    const { turn, restarted } = this.restore(previous, input);
    if (restarted) {
      // The bot was updated under this conversation: apologise and start clean rather than guess.
      turn.plan.before.push(note('common:flowRestarted'));
    } else if (input.kind === 'welcome') {
      this.welcome(turn);
    } else {
      await this.decide(turn);
    }
    const replies = this.renderer.render(turn, this.phaseOf(turn).view(turn));
    turn.data.flow = turn.session.persist();
    const fact = this.factOf(turn);
    return { data: turn.data, replies, ...(turn.outcome ? { outcome: turn.outcome } : {}), ...(turn.ticket ? { ticket: turn.ticket } : {}), fact };
  }

  /** What the turn tells the reports: where it ended, and what the phases noted. */
  private factOf(turn: Turn): TurnFact {
    const { endedAt, ...noted } = turn.facts;
    const at = endedAt ?? { flow: turn.session.definition.name, step: turn.session.step?.id ?? '' };
    return { ...at, ...noted };
  }

  /** The conversation's data and its active flow; an incompatible snapshot restarts instead of crashing. */
  private restore(previous: ConversationData | undefined, input: TurnInput): { turn: Turn; restarted: boolean } {
    const data: ConversationData = { ...(previous ?? this.newData(input.locale)) };
    // An explicit choice, then the language the customer writes in, then the channel's locale.
    if (!data.langChosen && !data.langFromText) data.lang = languageFromLocale(input.locale) ?? data.lang;
    const fresh = (): Turn => ({ input, data, session: FlowSession.start(this.deps.troubleshooting), plan: emptyPlan(), facts: {} });
    if (!data.flow) return { turn: fresh(), restarted: false };
    const definition = data.flow.name === this.deps.identity.name ? this.deps.identity : this.deps.troubleshooting;
    const restored = FlowSession.restore(definition, data.flow);
    if (restored.ok) return { turn: { input, data, session: restored.session, plan: emptyPlan(), facts: {} }, restarted: false };
    data.handoff = undefined;
    return { turn: fresh(), restarted: true };
  }

  /** The customer opened the chat: greet, and show where they are (a finished flow starts anew). */
  private welcome(turn: Turn): void {
    turn.data.welcomed = true;
    turn.plan.before.push(note('common:welcome'));
    if (turn.session.done) turn.session = FlowSession.start(this.deps.troubleshooting);
  }

  /** A message: interpret it once, let the active phase decide, hand a handoff over to identity. */
  private async decide(turn: Turn): Promise<void> {
    // Channels that send no conversationUpdate (or a customer who writes first): greet once.
    if (!turn.data.welcomed) turn.data.welcomed = turn.greeted = true;
    if (await this.rate(turn)) return;
    // A finished flow: the next message starts a new one, read against the main menu.
    if (turn.session.done) turn.session = FlowSession.start(this.deps.troubleshooting);
    const phase = this.phaseOf(turn);
    try {
      const offered = phase.readsTopics ? turn.data.offered : undefined;
      const meaning = this.interpreter.read(turn.input, turn.session.step, turn.data.lang, phase.readsTopics, offered);
      followTextLanguage(turn.data, meaning.writtenIn);
      const handover = await phase.handle(turn, meaning);
      if (handover) await this.identity.enter(turn, handover);
    } catch (err) {
      if (!(err instanceof FlowBrokenError)) throw err;
      // A stored state that loaded but does not fit this release: start clean, politely.
      turn.data.handoff = undefined;
      turn.session = FlowSession.start(this.deps.troubleshooting);
      turn.plan = emptyPlan();
      turn.plan.before.push(note('common:flowRestarted'));
    }
  }

  /**
   * A rating of the help or of a ticket (satisfaction.ts): recorded and thanked for, whatever flow
   * is active, which goes on where it was (its step shown again; a finished one only offers the
   * menu). True when the message was a rating; anything else leaves the open rating's typed digit
   * behind: from the next message on, only its buttons count.
   */
  private async rate(turn: Turn): Promise<boolean> {
    const { data, plan } = turn;
    const reading = readRating(turn.input, data.rating);
    if (data.rating) data.rating = { ...data.rating, typed: false };
    if (!reading) return false;
    if (reading.kind === 'rated') {
      turn.facts.rating = { value: reading.value, about: reading.about };
      data.rating = undefined;
      // The reports attach a ticket's rating to the conversation that opened it, by the ticket's id.
      const customer = turn.input.customer;
      if (reading.ticketId !== undefined && customer && this.deps.handoff) {
        turn.ticket = (await this.deps.handoff.customerTickets(customer)).find((k) => k.id === reading.ticketId);
      }
    }
    const key = reading.kind === 'rated' ? 'common:rating.thanks' : 'common:rating.alreadyReceived';
    if (turn.session.done) {
      plan.showStep = false;
      plan.before.push(note(key, undefined, [MENU_BUTTON]));
    } else {
      plan.before.push(note(key));
    }
    return true;
  }

  private phaseOf(turn: Turn): Phase {
    return turn.session.definition.name === this.identity.flow.name ? this.identity : this.troubleshooting;
  }
}
