import { ActivityHandler, ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import type { ConversationEngine, TurnInput } from '../conversation/conversation-engine.js';
import type { KeyedLock } from '../conversation/keyed-lock.js';
import type { FinishedTurn, TurnObserver } from '../conversation/turn-observer.js';
import type { Language } from '../i18n/i18n.js';
import { logFields, type Logger } from '../logger.js';
import { turnLogContext } from './turn-observability.js';
import { rendersAdaptiveCards, toActivity } from './activity-mapper.js';
import { redactedSecretKinds } from './redaction-middleware.js';
import type { ConversationStore } from './conversation-store.js';

export interface SupportBotDeps {
  readonly engine: ConversationEngine;
  readonly store: ConversationStore;
  readonly lock: KeyedLock;
  readonly logger: Logger;
  /**
   * What the bot says in a Teams team channel or group chat (the locale as the channel sent it).
   * It is installed there only to post new-ticket alerts for agents: customers type identity
   * details in the chat, which must never land where colleagues can read them.
   */
  readonly sharedConversationNotice?: (locale: string | undefined) => string;
  /** Told about every finished turn (reports, metrics); what they throw is logged, never shown. */
  readonly observers?: readonly TurnObserver[];
}

/** Storage key of one conversation: channel first, since ids are only unique within a channel. */
export function conversationKey(activity: Partial<Activity>): string {
  return `${activity.channelId ?? 'unknown'}/conversations/${activity.conversation?.id ?? 'unknown'}`;
}

/**
 * The Bot Framework face of the conversation engine: translate the activity, run one turn
 * under the conversation's lock, persist, then reply. Replies are sent only after the state is
 * saved, so a customer never sees a step the bot then forgets.
 */
export class SupportBot extends ActivityHandler {
  constructor(private readonly deps: SupportBotDeps) {
    super();
  }

  /**
   * A message, or the conversation update that opens a conversation, goes straight to the turn.
   * ActivityHandler would pass it through three or four chains of registered handlers (turn,
   * message or conversation update and members added, dialog), each a few promises and closures
   * deep, to reach the one handler this bot had for it: that dispatch made about a tenth of the
   * bytes the bot allocated per turn under load (heap sampling), and going around it for messages
   * cut the CPU per turn by about a tenth (issue 16, `npm run bench:ab`: x 0.88). Other activities
   * (invokes, events, reactions…) still go through ActivityHandler, which answers them as it
   * answers a bot with no handler for them. This bot registers no ActivityHandler handlers
   * (onTurn, onMessage, onMembersAdded…): one added would never see a message or a conversation
   * update; what the bot does with those belongs here.
   */
  override async run(context: TurnContext): Promise<void> {
    const activity = context?.activity;
    if (activity?.type === ActivityTypes.Message) {
      if (isSharedConversation(activity)) await this.declineShared(context);
      else await this.runTurn(context, messageInput(context));
      return;
    }
    if (activity?.type === ActivityTypes.ConversationUpdate) return this.conversationUpdated(context);
    return super.run(context);
  }

  /** Welcome once, when the customer joins; not for the bot's own arrival, and not in a team or group chat (nobody there is a customer in a private conversation). */
  private async conversationUpdated(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (isSharedConversation(activity)) return;
    const recipientId = activity.recipient?.id;
    const customerJoined = (activity.membersAdded ?? []).some((m) => m.id !== recipientId);
    if (customerJoined) await this.runTurn(context, { ...turnBasics(context), kind: 'welcome' });
  }

  /** A short notice and nothing else: no state, no flow, no identity questions. */
  private async declineShared(context: TurnContext): Promise<void> {
    const notice = this.deps.sharedConversationNotice?.(context.activity.locale);
    if (notice) await context.sendActivity(notice);
  }

  private async runTurn(context: TurnContext, input: TurnInput): Promise<void> {
    const key = conversationKey(context.activity);
    await this.deps.lock.run(key, async () => {
      const loaded = await this.deps.store.load(key);
      if (loaded.data) rememberTurnLanguage(context, loaded.data.lang);
      const result = await this.deps.engine.handle(loaded.data, input);
      // The turn's ids on every line; the ticket's too once the turn has one, before anything
      // else can fail (a refused save: the error handler's line then names the ticket opened).
      const logContext = turnLogContext(context);
      if (result.ticket && logContext) logContext.ticket = result.ticket.id;
      rememberTurnLanguage(context, result.data.lang);
      await this.deps.store.save(key, result.data, loaded.eTag);
      const ids = logFields(logContext);
      if (result.outcome) this.deps.logger.info({ ...ids, conversation: key, outcome: result.outcome }, 'flow finished');
      if (result.ticket) this.deps.logger.info({ ...ids, conversation: key, ticket: result.ticket.id }, 'handoff ticket');
      const channelId = context.activity.channelId;
      await context.sendActivities(result.replies.map((r) => toActivity(r, channelId)));
      // Ids and counts only: what a turn said is in the (redacted) transcript, never in the log.
      // Built only when debug is on: this line would otherwise cost every turn an object for nothing.
      if (this.deps.logger.isLevelEnabled('debug')) {
        this.deps.logger.debug({ ...ids, conversation: key, activityId: context.activity.id, input: input.kind, replies: result.replies.length }, 'turn');
      }
      this.tellObservers(ids, {
        conversationKey: key,
        channelId: channelId ?? 'unknown',
        language: result.data.lang,
        at: new Date(),
        inputKind: input.kind,
        fact: result.fact,
        ticketId: result.ticket?.id,
      });
    });
  }

  private tellObservers(ids: Record<string, string>, turn: FinishedTurn): void {
    for (const observer of this.deps.observers ?? []) {
      try {
        observer.turnFinished(turn);
      } catch (err) {
        this.deps.logger.warn({ ...ids, err, conversation: turn.conversationKey }, 'turn observer failed');
      }
    }
  }
}

const TURN_LANGUAGE = Symbol('turnLanguage');

/** The conversation's language, for an apology if the turn fails after this point. */
function rememberTurnLanguage(context: TurnContext, lang: Language): void {
  context.turnState.set(TURN_LANGUAGE, lang);
}

/** The language this turn speaks, if known (set once the conversation's state was read). */
export function turnLanguage(context: TurnContext): Language | undefined {
  return context.turnState.get(TURN_LANGUAGE) as Language | undefined;
}

function messageInput(context: TurnContext): TurnInput {
  const activity = context.activity;
  const text = activity.channelId === 'msteams' ? withoutOwnMention(activity) : activity.text;
  return {
    ...turnBasics(context),
    kind: 'message',
    text: typeof text === 'string' ? text : undefined,
    value: activity.value,
    secretsFound: redactedSecretKinds(context),
  };
}

/** A Teams conversation other people can read: a team channel or a group chat. */
export function isSharedConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return activity.channelId === 'msteams' && typeof type === 'string' && type !== '' && type !== 'personal';
}

/**
 * In Teams channels and group chats the text starts with "<at>Bot</at>": drop our own mention.
 * Not botbuilder's removeRecipientMention: it throws on a mention entity without `mentioned` and
 * on a button press that carries the entity but no text, and a customer would get an error.
 */
function withoutOwnMention(activity: Activity): string | undefined {
  const text = activity.text;
  const botId = activity.recipient?.id;
  if (typeof text !== 'string' || botId === undefined) return text;
  let out = text;
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type?: unknown; mentioned?: { id?: unknown }; text?: unknown };
    if (mention.type === 'mention' && mention.mentioned?.id === botId && typeof mention.text === 'string' && mention.text !== '') {
      out = out.replace(mention.text, '');
    }
  }
  return out === text ? text : out.trim();
}

/** What every turn carries: locale, who the customer is, what the channel can render. */
function turnBasics(context: TurnContext): Omit<TurnInput, 'kind'> {
  const activity = context.activity;
  let reference: Record<string, unknown> | undefined;
  const tenantId = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id ?? activity.conversation?.tenantId;
  return {
    locale: activity.locale,
    cards: rendersAdaptiveCards(activity.channelId),
    customer: {
      channelId: activity.channelId ?? 'unknown',
      userId: activity.from?.id ?? 'unknown',
      conversationId: activity.conversation?.id ?? 'unknown',
      tenantId: typeof tenantId === 'string' ? tenantId : undefined,
      // Ids, the service URL and the names the channel gave the accounts: never message text.
      // Only a handoff keeps it (once per ticket, read within this turn), so it is copied when
      // first read instead of on every turn.
      get conversationReference(): Record<string, unknown> {
        reference ??= JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>;
        return reference;
      },
      activityId: activity.id,
    },
  };
}
