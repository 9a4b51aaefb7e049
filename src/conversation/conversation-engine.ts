import { isHandoffReason, type FlowOutcome } from '../../flows/outcome.js';
import { AppError } from '../errors.js';
import type { Language, Localizer, Translate } from '../i18n/i18n.js';
import type { ConversationData } from './conversation-data.js';
import { FlowSession, type CurrentStep, type FlowDefinition } from './flow-session.js';
import type { Interpretation, Interpreter } from './interpreter.js';
import type { Reply, ReplyButton } from './reply.js';

/** One customer turn as the engine sees it, already stripped of channel details. */
export interface TurnInput {
  readonly kind: 'message' | 'welcome';
  readonly text?: string | undefined;
  readonly value?: unknown;
  /** The channel's locale hint (activity.locale), e.g. `ja-JP`. */
  readonly locale?: string | undefined;
}

export interface TurnResult {
  readonly data: ConversationData;
  readonly replies: readonly Reply[];
  /** Set when this turn finished the flow. */
  readonly outcome?: FlowOutcome;
}

export interface EngineDeps {
  readonly flow: FlowDefinition;
  readonly localizer: Localizer;
  readonly interpreter: Interpreter;
  readonly defaultLanguage: Language;
}

/** Maps a channel locale (`ja-JP`, `en-US`, `en`) to a supported language. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  const l = locale?.trim().toLowerCase() ?? '';
  if (l.startsWith('ja')) return 'ja';
  if (l.startsWith('en')) return 'en';
  return undefined;
}

/**
 * The customer's side of a conversation, turn by turn: decide the language, restore the
 * flow, interpret the input, advance the machine and say what the new step asks. No I/O:
 * state in, state and replies out, so it runs the same behind any channel and in replay.
 */
export class ConversationEngine {
  private readonly mainMenuId: string;

  constructor(private readonly deps: EngineDeps) {
    this.mainMenuId = FlowSession.start(deps.flow).step?.id ?? '';
  }

  newData(locale?: string): ConversationData {
    return { lang: languageFromLocale(locale) ?? this.deps.defaultLanguage, langChosen: false, welcomed: false };
  }

  handle(previous: ConversationData | undefined, input: TurnInput): TurnResult {
    const data: ConversationData = { ...(previous ?? this.newData(input.locale)) };
    if (!data.langChosen) data.lang = languageFromLocale(input.locale) ?? data.lang;
    const replies: Reply[] = [];

    let session: FlowSession;
    if (data.flow) {
      const restored = FlowSession.restore(this.deps.flow, data.flow);
      if (restored.ok) {
        session = restored.session;
      } else {
        // The bot was updated under this conversation: say so and start clean rather than guess.
        replies.push({ text: this.t(data)('common:flowRestarted') });
        session = FlowSession.start(this.deps.flow);
        data.flow = session.persist();
        replies.push(...this.renderStep(data, session.step));
        return { data, replies };
      }
    } else {
      session = FlowSession.start(this.deps.flow);
    }

    if (input.kind === 'welcome') {
      data.welcomed = true;
      replies.push({ text: this.t(data)('common:welcome') });
      if (session.done) session = FlowSession.start(this.deps.flow);
      replies.push(...this.renderStep(data, session.step));
      data.flow = session.persist();
      return { data, replies };
    }

    // A finished flow: the next message starts a new one, read against the main menu.
    if (session.done) session = FlowSession.start(this.deps.flow);

    const meaning = this.deps.interpreter.interpret(input, session.step);
    const outcome = this.apply(meaning, session, data, replies);
    data.flow = session.persist();
    return outcome ? { data, replies, outcome } : { data, replies };
  }

  private apply(meaning: Interpretation, session: FlowSession, data: ConversationData, replies: Reply[]): FlowOutcome | undefined {
    const t = () => this.t(data);
    switch (meaning.kind) {
      case 'answer':
        session.send({ type: meaning.event });
        return this.afterTransition(session, data, replies);
      case 'command':
        return this.command(meaning, session, data, replies);
      case 'stale':
        replies.push({ text: t()('common:staleButton') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
      case 'empty':
      case 'unknown':
        replies.push({ text: t()(session.step?.id === this.mainMenuId ? 'common:notUnderstoodMenu' : 'common:notUnderstood') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
    }
  }

  private command(
    meaning: Extract<Interpretation, { kind: 'command' }>,
    session: FlowSession,
    data: ConversationData,
    replies: Reply[],
  ): FlowOutcome | undefined {
    switch (meaning.command) {
      case 'restart':
        session.send({ type: 'flow.restart' });
        replies.push({ text: this.t(data)('common:restarted') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
      case 'back': {
        const before = session.step?.id;
        session.send({ type: 'flow.back' });
        if (session.step?.id === before) replies.push({ text: this.t(data)('common:cannotGoBack') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
      }
      case 'agent':
        session.send({ type: 'agent.requested' });
        return this.afterTransition(session, data, replies);
      case 'language':
        data.lang = meaning.lang ?? (data.lang === 'ja' ? 'en' : 'ja');
        data.langChosen = true;
        replies.push({ text: this.t(data)('common:languageChanged') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
      case 'help':
        replies.push({ text: this.t(data)('common:help') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
      case 'status':
        // Until tickets exist there is nothing to look up; say so honestly and carry on.
        replies.push({ text: this.t(data)('common:noTickets') });
        replies.push(...this.renderStep(data, session.step));
        return undefined;
    }
  }

  private afterTransition(session: FlowSession, data: ConversationData, replies: Reply[]): FlowOutcome | undefined {
    replies.push(...this.renderStep(data, session.step));
    if (!session.done) return undefined;
    const outcome = toOutcome(session.output);
    const t = this.t(data);
    if (outcome.kind === 'resolved') {
      replies.push({ text: t('common:resolvedClosing'), buttons: [this.commandButton(data, 'restart', 'common:buttons.menu')] });
    } else {
      replies.push({ text: t('common:handoff.noTicketYet'), buttons: [this.commandButton(data, 'restart', 'common:buttons.menu')] });
    }
    return outcome;
  }

  /** The step's messages; the last carries the step's options and the navigation buttons. */
  renderStep(data: ConversationData, step: CurrentStep | undefined): Reply[] {
    if (!step) return [];
    const t = this.t(data);
    const texts = step.meta.messages.map((key) => t(key));
    if (step.meta.options.length === 0) return texts.map((text) => ({ text }));
    const buttons: ReplyButton[] = step.meta.options.map((o) => ({
      title: t(`options:${o.id}.label`),
      value: { t: 'answer', step: step.id, event: o.event },
    }));
    if (step.id === this.mainMenuId) {
      buttons.push(this.commandButton(data, 'agent', 'common:buttons.agent'));
      const other: Language = data.lang === 'ja' ? 'en' : 'ja';
      buttons.push({ title: t('common:buttons.otherLanguage'), value: { t: 'command', command: 'language', lang: other } });
    } else {
      buttons.push(this.commandButton(data, 'back', 'common:buttons.back'));
      buttons.push(this.commandButton(data, 'restart', 'common:buttons.menu'));
    }
    const last = texts.pop() ?? '';
    return [...texts.map((text) => ({ text })), { text: last, buttons }];
  }

  private commandButton(data: ConversationData, command: 'agent' | 'back' | 'restart', key: string): ReplyButton {
    return { title: this.t(data)(key), value: { t: 'command', command } };
  }

  private t(data: ConversationData): Translate {
    return this.deps.localizer.forLanguage(data.lang);
  }
}

function toOutcome(output: unknown): FlowOutcome {
  const o = output as { kind?: unknown; reason?: unknown } | undefined;
  if (o?.kind === 'handoff' && isHandoffReason(o.reason)) return { kind: 'handoff', reason: o.reason };
  if (o?.kind === 'resolved') return { kind: 'resolved' };
  throw new AppError('internal', 'flow finished without a valid outcome');
}
