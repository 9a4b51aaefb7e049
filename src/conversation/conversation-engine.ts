// Longer than 250 lines because the engine reshape of issue 13 (a one-way turn pipeline, phases returning plans) has not split it yet. Temporary: do not grow it.
import type { FlowOutcome } from '../../flows/outcome.js';
import { isHandoffReason } from '../../flows/outcome.js';
import type { IdentityContext } from '../../flows/identity/index.js';
import { AppError } from '../errors.js';
import { REDACTION_MARKERS } from '../privacy/index.js';
import type { Language, Translate } from '../i18n/i18n.js';
import type { ConversationData } from './conversation-data.js';
import { FlowBrokenError, FlowSession, type FlowDefinition } from './flow-session.js';
import type { CustomerContext, HandoffPort } from './handoff-port.js';
import { parseButtonValue } from './button-value.js';
import { asTopic, route, type Understand, type Understanding } from './intent-routing.js';
import type { Interpretation, Interpreter } from './interpreter.js';
import type { Reply } from './reply.js';
import type { StepRenderer } from './step-renderer.js';
import { HandoffDialog } from './handoff-dialog.js';
import { languageFromLocale, type Turn, type TurnInput, type TurnResult } from './turn.js';

export { languageFromLocale, type TurnInput, type TurnResult } from './turn.js';


export interface EngineDeps {
  readonly troubleshooting: FlowDefinition;
  readonly identity: FlowDefinition;
  readonly renderer: StepRenderer;
  readonly interpreter: Interpreter;
  readonly defaultLanguage: Language;
  /** The ticket store; without it a handoff ends with the support contact only. */
  readonly handoff?: HandoffPort;
  /** Told to the customer: how long verification usually takes. */
  readonly verificationSlaHours: number;
  readonly resetWithdrawalHoldHours: number;
  /** Free-text understanding (NLU); without it, text that is not an answer is "not understood". */
  readonly understand?: Understand;
  /** Confidence at or above which an understood intent is acted on without asking. */
  readonly confident?: number;
}



/** Words from which typed text counts as a sentence whose language the reply follows (button labels are shorter). */
const SENTENCE_WORDS = 4;

/**
 * The customer's side of a conversation, turn by turn: decide the language, restore the
 * active flow (troubleshooting, or identity collection after a handoff), interpret the input,
 * advance the machine and say what comes next. Its only I/O is the ticket port, so it runs the
 * same behind any channel and in replay.
 */
export class ConversationEngine {
  private readonly mainMenuId: string;
  private readonly dialog: HandoffDialog;

  constructor(private readonly deps: EngineDeps) {
    this.mainMenuId = FlowSession.start(deps.troubleshooting).step?.id ?? '';
    this.dialog = new HandoffDialog(deps, {
      render: (turn) => this.render(turn),
      t: (data) => this.t(data),
      menuButton: (lang) => this.menuButton(lang),
      afterTicketButtons: (lang) => this.afterTicketButtons(lang),
      sharedCommand: (turn, meaning) => this.sharedCommand(turn, meaning),
    });
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
    const data: ConversationData = { ...(previous ?? this.newData(input.locale)) };
    // An explicit choice, then the language the customer writes in, then the channel's locale.
    if (!data.langChosen && !data.langFromText) data.lang = languageFromLocale(input.locale) ?? data.lang;
    const restored = this.restore(data);
    const turn: Turn = { input, data, replies: [], session: restored.session };

    if (restored.restarted) {
      // The bot was updated under this conversation: apologise and start clean rather than guess.
      turn.replies.push({ text: this.t(data)('common:flowRestarted') });
      turn.replies.push(...this.render(turn));
    } else if (input.kind === 'welcome') {
      data.welcomed = true;
      turn.replies.push({ text: this.t(data)('common:welcome') });
      if (turn.session.done) turn.session = FlowSession.start(this.deps.troubleshooting);
      turn.replies.push(...this.render(turn));
    } else {
      // Channels that send no conversationUpdate (or a customer who writes first): greet once.
      if (!data.welcomed) {
        data.welcomed = true;
        turn.greeted = true;
      }
      // A finished flow: the next message starts a new one, read against the main menu.
      if (turn.session.done) turn.session = FlowSession.start(this.deps.troubleshooting);
      const meaning = this.deps.interpreter.interpret(input, turn.session.step);
      try {
        if (this.inIdentity(turn)) await this.dialog.identityTurn(turn, meaning);
        else if (!(await this.dialog.repeatedForm(turn))) await this.troubleshootingTurn(turn, meaning);
      } catch (err) {
        if (!(err instanceof FlowBrokenError)) throw err;
        // A stored state that loaded but does not fit this release: start clean, politely.
        data.handoff = undefined;
        turn.session = FlowSession.start(this.deps.troubleshooting);
        turn.replies.splice(0, turn.replies.length, { text: this.t(data)('common:flowRestarted') }, ...this.render(turn));
      }
    }

    // Said first, but in the language the turn ended in (free text may have switched it).
    const preface: Reply[] = [];
    if (turn.greeted) preface.push({ text: this.t(data)('common:welcome') });
    if (input.secretsFound && input.secretsFound.length > 0) preface.push({ text: this.t(data)('common:secretRedacted') });
    turn.replies.unshift(...preface);

    data.flow = turn.session.persist();
    return { data, replies: turn.replies, ...(turn.outcome ? { outcome: turn.outcome } : {}), ...(turn.ticket ? { ticket: turn.ticket } : {}) };
  }

  /** Restores the active flow; an incompatible snapshot restarts politely instead of crashing. */
  private restore(data: ConversationData): { session: FlowSession; restarted: boolean } {
    if (!data.flow) return { session: FlowSession.start(this.deps.troubleshooting), restarted: false };
    const definition = data.flow.name === this.deps.identity.name ? this.deps.identity : this.deps.troubleshooting;
    const restored = FlowSession.restore(definition, data.flow);
    if (restored.ok) return { session: restored.session, restarted: false };
    data.handoff = undefined;
    return { session: FlowSession.start(this.deps.troubleshooting), restarted: true };
  }

  private inIdentity(turn: Turn): boolean {
    return turn.session.definition.name === this.deps.identity.name;
  }

  // --- troubleshooting -------------------------------------------------------------------

  private async troubleshootingTurn(turn: Turn, meaning: Interpretation): Promise<void> {
    const { session, data, replies } = turn;
    const t = this.t(data);
    switch (meaning.kind) {
      case 'answer':
        if (!this.topicWithSlots(turn, meaning.event)) session.send({ type: meaning.event });
        return this.afterTroubleshootingStep(turn);
      case 'command':
        if (meaning.command === 'agent') {
          session.send({ type: 'agent.requested' });
          return this.afterTroubleshootingStep(turn);
        }
        return this.sharedCommand(turn, meaning);
      case 'jump': {
        const topic = asTopic(meaning.topic);
        if (topic && session.send({ type: 'topic.jump', topic })) return this.afterTroubleshootingStep(turn);
        replies.push({ text: t('common:staleButton') });
        break;
      }
      case 'stale':
        replies.push({ text: t('common:staleButton') });
        break;
      case 'unsure':
        // At the menu it may still name a topic ("I don't know why the SMS doesn't come").
        if (session.step?.id === this.mainMenuId && this.deps.understand) return this.freeText(turn, meaning.text);
        replies.push({ text: t('common:unsure') });
        break;
      case 'unknown':
        if (this.deps.understand) return this.freeText(turn, meaning.text);
        replies.push({ text: t(this.hintKey(session)) });
        break;
      case 'empty':
        replies.push({ text: t(this.hintKey(session)) });
        break;
      case 'notAnOption':
        replies.push({ text: t(this.hintKey(session, 'common:pickAnOption')) });
        break;
    }
    replies.push(...this.render(turn));
  }

  /**
   * Text that answers no option of the current step: what is it about? A confident topic
   * jumps there (slots applied); an unsure one gets a question with the likely topics.
   */
  private async freeText(turn: Turn, text: string): Promise<void> {
    const { session, data, replies } = turn;
    // Nothing but a pasted secret: the warning is the answer; it says nothing about a topic.
    if (text.replace(REDACTION_MARKERS, ' ').trim() === '') {
      replies.push(...this.render(turn));
      return;
    }
    const understanding = this.deps.understand!(text, data.lang);
    // Answer in the language the customer writes in, unless they chose one explicitly.
    this.followTextLanguage(data, this.languageOf(text, understanding, data.lang));
    const t = this.t(data);
    const routing = route(understanding, this.deps.confident ?? 0.6);
    switch (routing.kind) {
      case 'jump':
        session.send({ type: 'topic.jump', topic: routing.topic, slots: routing.slots });
        return this.afterTroubleshootingStep(turn);
      case 'agent':
        session.send({ type: 'agent.requested' });
        return this.afterTroubleshootingStep(turn);
      case 'status':
        return this.sharedCommand(turn, { kind: 'command', command: 'status' });
      case 'clarify':
        replies.push({
          text: t('nlu:clarify'),
          buttons: [
            ...routing.topics.map((topic) => ({ title: t(`options:${topic}.label`), value: { t: 'jump' as const, topic } })),
            this.deps.renderer.commandButton(data.lang, 'restart', 'nlu:noneOfThese'),
            this.deps.renderer.commandButton(data.lang, 'agent', 'common:buttons.agent'),
          ],
        });
        return;
      case 'outOfScope':
        replies.push({
          text: t('nlu:outOfScope'),
          buttons: [this.menuButton(data.lang), this.deps.renderer.commandButton(data.lang, 'agent', 'common:buttons.agent')],
        });
        return;
      case 'smallTalk':
        if (!(routing.intent === 'greeting' && turn.greeted)) replies.push({ text: t(`nlu:${routing.intent}`) });
        break;
      case 'notUnderstood':
        replies.push({ text: t(this.hintKey(session)) });
        break;
    }
    replies.push(...this.render(turn));
  }

  /**
   * A sentence typed at the main menu that names a topic by one of its words ("I got a new phone,
   * same number, I use SMS"): when the NLU confidently reads the same topic, jump with the slots
   * the matched word alone would lose. The language stays the conversation's, as for any typed option.
   */
  private topicWithSlots(turn: Turn, event: string): boolean {
    const { session, data, input } = turn;
    if (!this.deps.understand || session.step?.id !== this.mainMenuId) return false;
    if (typeof input.text !== 'string' || parseButtonValue(input.value) !== undefined) return false;
    const topic = event.startsWith('topic.') ? asTopic(event.slice('topic.'.length)) : undefined;
    if (!topic) return false;
    const understanding = this.deps.understand(input.text, data.lang);
    const routing = route(understanding, this.deps.confident ?? 0.6);
    if (routing.kind !== 'jump' || routing.topic !== topic) return false;
    // A whole sentence says which language the customer writes; a word or two ("sms") does not.
    if (input.text.trim().split(/\s+/).length >= SENTENCE_WORDS) this.followTextLanguage(data, this.languageOf(input.text, understanding, data.lang));
    return session.send({ type: 'topic.jump', topic, slots: routing.slots });
  }

  /** What to say to input the step cannot use: at the menu, how to pick a topic; elsewhere `otherwise`. */
  private hintKey(session: FlowSession, otherwise = 'common:notUnderstood'): string {
    return session.step?.id === this.mainMenuId ? 'common:notUnderstoodMenu' : otherwise;
  }

  private followTextLanguage(data: ConversationData, lang: Language): void {
    if (data.langChosen) return;
    if (lang !== data.lang) data.langFromText = true;
    data.lang = lang;
  }

  /** The language of what the customer wrote; secret markers and bare digits say nothing about it. */
  private languageOf(text: string, understanding: Understanding, current: Language): Language {
    const own = text.replace(REDACTION_MARKERS, ' ').trim();
    if (own === text) return understanding.locale;
    return own === '' ? current : this.deps.understand!(own, current).locale;
  }

  private async afterTroubleshootingStep(turn: Turn): Promise<void> {
    const { session, data, replies } = turn;
    replies.push(...this.render(turn));
    if (!session.done) return;
    const outcome = toOutcome(session.output);
    turn.outcome = outcome;
    const trail = trailOf(session.context);
    if (outcome.kind === 'resolved') {
      replies.push({ text: this.t(data)('common:resolvedClosing'), buttons: [this.menuButton(data.lang)] });
      return;
    }
    await this.dialog.begin(turn, outcome.reason, trail);
  }


  // --- commands every phase shares ----------------------------------------------------------

  private async sharedCommand(turn: Turn, meaning: Extract<Interpretation, { kind: 'command' }>): Promise<void> {
    const { session, data, replies, input } = turn;
    switch (meaning.command) {
      case 'restart':
        session.send({ type: 'flow.restart' });
        replies.push({ text: this.t(data)('common:restarted') });
        break;
      case 'back': {
        const before = session.step?.id;
        session.send({ type: 'flow.back' });
        if (session.step?.id === before) replies.push({ text: this.t(data)('common:cannotGoBack') });
        break;
      }
      case 'language':
        data.lang = meaning.lang ?? (data.lang === 'ja' ? 'en' : 'ja');
        data.langChosen = true;
        replies.push({ text: this.t(data)('common:languageChanged') });
        break;
      case 'help':
        replies.push({ text: this.t(data)('common:help') });
        break;
      case 'status':
        replies.push(...(await this.statusReplies(data.lang, input.customer)));
        break;
      case 'agent':
        // Handled by each phase before it gets here.
        break;
    }
    replies.push(...this.render(turn));
  }

  private async statusReplies(lang: Language, customer: CustomerContext | undefined): Promise<Reply[]> {
    const t = this.t(lang);
    const tickets = customer && this.deps.handoff ? await this.deps.handoff.customerTickets(customer) : [];
    if (tickets.length === 0) return [{ text: t('common:noTickets') }];
    const lines = tickets.map((k) =>
      t('tickets:statusLine', { ticketId: k.id, status: t(`tickets:status.${k.status}`), reason: t(`tickets:reason.${k.reason}`), updated: k.updatedAt.slice(0, 10) }),
    );
    return [{ text: [t('tickets:statusHeader'), ...lines].join('\n') }];
  }

  // --- rendering ------------------------------------------------------------------------------

  private render(turn: Turn): Reply[] {
    const { session, data, input } = turn;
    const step = session.step;
    if (this.inIdentity(turn)) {
      const context = session.context as IdentityContext;
      // One question at a time: a reason belongs to the answer just given, not to a later turn
      // (an empty answer, "help"). The card keeps its reasons beside the values it shows.
      const errors = context.mode === 'form' || turn.identityAnswered ? context.errors : [];
      return this.deps.renderer.render(data.lang, step, {
        navigation: 'none',
        cards: input.cards ?? false,
        identity: { values: context.values, errors },
      });
    }
    return this.deps.renderer.render(data.lang, step, {
      navigation: step?.id === this.mainMenuId ? 'mainMenu' : 'question',
      cards: input.cards ?? false,
    });
  }

  private menuButton(lang: Language) {
    return this.deps.renderer.commandButton(lang, 'restart', 'common:buttons.menu');
  }

  private afterTicketButtons(lang: Language) {
    return [this.deps.renderer.commandButton(lang, 'status', 'common:buttons.status'), this.menuButton(lang)];
  }



  private t(dataOrLang: ConversationData | Language): Translate {
    return this.deps.renderer.t(typeof dataOrLang === 'string' ? dataOrLang : dataOrLang.lang);
  }
}

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
