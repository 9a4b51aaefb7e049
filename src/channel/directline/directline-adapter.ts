// Longer than 250 lines because it is one BotAdapter: botbuilder's send/update/delete/continue and the channel's own posting of activities share one class and its state.
import {
  ActivityEventNames,
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ChannelAccount,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { AppError } from '../../errors.js';
import { newActivityId, type DirectLineConversation, type DirectLineStore } from './directline-store.js';

/**
 * The channel id of every activity of the local Direct Line channel. Not `directline` (Azure's
 * Direct Line channel, which /api/messages serves): a channel id of its own, which /api/messages
 * refuses, so nobody can speak in a web chat conversation through the Bot Framework endpoint.
 */
export const DIRECTLINE_CHANNEL_ID = 'local-webchat';

/** The bot's logic for one turn, e.g. `(context) => bot.run(context)`. */
export type TurnLogic = (context: TurnContext) => Promise<void>;

/** What a client may say in an activity, already validated by the route. */
export interface IncomingActivity {
  readonly type: 'message' | 'event' | 'typing';
  readonly text?: string | undefined;
  readonly textFormat?: string | undefined;
  readonly value?: unknown;
  readonly name?: string | undefined;
  readonly locale?: string | undefined;
  readonly localTimestamp?: string | undefined;
  readonly localTimezone?: string | undefined;
  readonly from?: { readonly name?: string | undefined } | undefined;
  readonly channelData?: Readonly<Record<string, unknown>> | undefined;
  readonly entities?: readonly Readonly<Record<string, unknown>>[] | undefined;
}

export interface DirectLineAdapterOptions {
  readonly store: DirectLineStore;
  /** The bot as it appears in `from`/`recipient`. */
  readonly bot: { readonly id: string; readonly name: string };
  /** `serviceUrl` stamped on this channel's activities (and thus on conversation references). */
  readonly serviceUrl: string;
  /**
   * Applied to the user's echo before it is stored (e.g. masking e-mail addresses): the stream
   * keeps the customer's messages for display only, so it keeps no more than it must.
   */
  readonly echoFilter?: (activity: Partial<Activity>) => Partial<Activity>;
  /**
   * Applied at the start of each customer turn to earlier activities containing `needle` (e.g. a
   * form the bot sent back pre-filled with an e-mail address): needed until the customer acts on
   * it, then scrubbed from the history.
   */
  readonly scrubBeforeTurn?: { readonly needle: string; readonly rewrite: (activity: Activity) => Activity | undefined };
  readonly now?: () => Date;
}

/** Turn-state key of the function that stores the user's echo (once) in the current turn. */
const ECHO_KEY = Symbol('directline.echo');
/** Longest `delay` activity honoured; a bot asking for more is capped rather than holding the request. */
const MAX_DELAY_MS = 5000;

/**
 * Runs the bot in process for the local Direct Line channel. Users' activities get an id, a
 * timestamp and the channel's identity, go through the same middleware as every other channel,
 * and are echoed into the conversation's stream; the bot's replies are stored in the same stream
 * with ids, timestamps and `replyToId`. Proactive turns (`continueConversation`) write to the
 * stream too, so messages to a stored conversation reference reach the web page.
 *
 * The user's echo is stored at the last possible moment (before the first reply, or when the
 * bot's logic starts) so that it carries whatever the middleware changed, e.g. a secret the
 * redaction middleware replaced: the raw text never reaches this channel's table.
 */
export class DirectLineAdapter extends BotAdapter {
  private readonly store: DirectLineStore;
  private readonly now: () => Date;

  constructor(private readonly options: DirectLineAdapterOptions) {
    super();
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
  }

  get botAccount(): ChannelAccount {
    return { id: this.options.bot.id, name: this.options.bot.name, role: 'bot' };
  }

  /**
   * Tells the bot a new conversation began: a conversationUpdate adding the bot and the user,
   * which is when the bot welcomes. Not stored: clients do not display it.
   */
  async startConversation(conversation: DirectLineConversation, logic: TurnLogic): Promise<void> {
    const user = userAccount(conversation);
    const activity: Partial<Activity> = {
      ...this.envelope(conversation, newActivityId(conversation.id)),
      type: ActivityTypes.ConversationUpdate,
      from: user,
      membersAdded: [this.botAccount, user],
      locale: conversation.locale,
    };
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /**
   * Runs one turn for a user's activity and returns the id it was stored under. `typing` is
   * acknowledged but neither stored nor given to the bot.
   */
  async receiveActivity(conversation: DirectLineConversation, incoming: IncomingActivity, logic: TurnLogic): Promise<ResourceResponse> {
    const id = newActivityId(conversation.id);
    if (incoming.type === ActivityTypes.Typing) return { id };
    const scrub = this.options.scrubBeforeTurn;
    if (scrub) await this.store.rewriteActivities(conversation.id, scrub.needle, scrub.rewrite);
    const activity = {
      ...stripUndefined({
        type: incoming.type,
        text: incoming.text,
        textFormat: incoming.textFormat,
        value: incoming.value,
        name: incoming.name,
        locale: incoming.locale ?? conversation.locale,
        localTimestamp: incoming.localTimestamp,
        localTimezone: incoming.localTimezone,
        channelData: incoming.channelData,
        entities: incoming.entities,
      }),
      ...this.envelope(conversation, id),
      // The token decides who speaks; a client cannot post as someone else.
      from: { ...userAccount(conversation), ...(incoming.from?.name ? { name: incoming.from.name } : {}) },
    } as Partial<Activity>;
    const context = new TurnContext(this, activity);
    let echoed = false;
    const echo = async (): Promise<void> => {
      if (echoed) return;
      echoed = true;
      const copy = JSON.parse(JSON.stringify(context.activity)) as Partial<Activity>;
      await this.store.appendActivity(conversation.id, (this.options.echoFilter ? this.options.echoFilter(copy) : copy) as Activity);
    };
    context.turnState.set(ECHO_KEY, echo);
    try {
      await this.runMiddleware(context, async (turn) => {
        await echo();
        await logic(turn);
      });
    } finally {
      // A turn that failed in middleware still echoes, or the client would show "send failed".
      await echo();
    }
    return { id };
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const outgoing of activities) {
      if (outgoing.type === 'delay') {
        const ms = typeof outgoing.value === 'number' ? outgoing.value : 1000;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, MAX_DELAY_MS))));
        responses.push({ id: '' });
        continue;
      }
      // Invoke responses and traces are not messages for the customer.
      if (outgoing.type === ActivityTypes.InvokeResponse || outgoing.type === ActivityTypes.Trace) {
        responses.push({ id: '' });
        continue;
      }
      const echo = context.turnState.get(ECHO_KEY) as (() => Promise<void>) | undefined;
      if (echo) await echo();
      const conversationId = outgoing.conversation?.id ?? context.activity.conversation?.id;
      if (!conversationId) throw new AppError('invalid_input', 'activity has no conversation');
      const id = newActivityId(conversationId);
      const stored = {
        ...outgoing,
        id,
        timestamp: this.now(),
        channelId: DIRECTLINE_CHANNEL_ID,
        serviceUrl: this.options.serviceUrl,
        conversation: { ...(outgoing.conversation ?? {}), id: conversationId },
        from: outgoing.from ?? this.botAccount,
        recipient: outgoing.recipient ?? context.activity.from,
        replyToId: outgoing.replyToId ?? context.activity.id,
      } as Activity;
      await this.store.appendActivity(conversationId, JSON.parse(JSON.stringify(stored)) as Activity);
      responses.push({ id });
    }
    return responses;
  }

  override async updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<void> {
    const conversationId = activity.conversation?.id;
    if (!conversationId || !activity.id) throw new AppError('invalid_input', 'activity needs an id and a conversation');
    const updated = await this.store.updateActivity(conversationId, JSON.parse(JSON.stringify(activity)) as Activity);
    if (!updated) throw new AppError('not_found', 'Unknown activity');
  }

  override async deleteActivity(_context: TurnContext, reference: Partial<ConversationReference>): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!conversationId || !reference.activityId) throw new AppError('invalid_input', 'reference needs an activity id and a conversation');
    await this.store.deleteActivity(conversationId, reference.activityId);
  }

  /**
   * Runs `logic` in an existing conversation of this channel (proactive messages, e.g. a ticket
   * status change); what it sends lands in the conversation's stream.
   * @throws AppError `invalid_input` for a reference of another channel, `not_found` for an unknown conversation.
   */
  override async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (reference.channelId !== DIRECTLINE_CHANNEL_ID || !conversationId) {
      throw new AppError('invalid_input', `not a ${DIRECTLINE_CHANNEL_ID} conversation reference`);
    }
    const conversation = await this.store.getConversation(conversationId);
    if (!conversation) throw new AppError('not_found', 'Unknown conversation');
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: ActivityEventNames.ContinueConversation },
      { ...reference, bot: reference.bot ?? this.botAccount, user: reference.user ?? userAccount(conversation), serviceUrl: this.options.serviceUrl },
      true,
    );
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /** CloudAdapter's signature, so callers can treat both adapters alike; the app id or claims are not needed in process. */
  override async continueConversationAsync(
    _botAppIdOrClaims: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: TurnLogic | string,
    maybeLogic?: TurnLogic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new AppError('invalid_input', 'continueConversationAsync needs a logic callback');
    await this.continueConversation(reference, logic);
  }

  /** Fields every activity of one conversation shares. */
  private envelope(conversation: DirectLineConversation, id: string): Partial<Activity> {
    return {
      id,
      timestamp: this.now(),
      channelId: DIRECTLINE_CHANNEL_ID,
      serviceUrl: this.options.serviceUrl,
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      recipient: this.botAccount,
    };
  }
}

function userAccount(conversation: DirectLineConversation): ChannelAccount {
  return { id: conversation.userId, name: '', role: 'user' };
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
