import { ActivityTypes, type Activity, type CloudAdapter, type ConversationAccount, type ConversationReference, type TurnContext } from 'botbuilder';
import type { DeskAlertsConfig } from '../config.js';
import type { AlertChannel, AlertMessage } from '../desk/alerts/alert-channel.js';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../desk/alerts/ticket-alert-card.js';

/** The agents' Teams channel, reached through the bot's proactive messaging. */
export type TeamsAlertTarget = Pick<DeskAlertsConfig, 'serviceUrl' | 'conversationId' | 'tenantId'>;

/**
 * Posts and updates ticket alert cards in the agents' Teams channel with the bot's CloudAdapter
 * (`continueConversationAsync` on a reference built from configuration; the bot must be installed
 * in that team).
 *
 * The reference names no user, so the transcript middleware leaves these turns alone: the agents'
 * channel is not a customer conversation.
 */
export class TeamsAlertChannel implements AlertChannel {
  readonly #reference: Partial<ConversationReference>;

  constructor(
    private readonly adapter: Pick<CloudAdapter, 'continueConversationAsync'>,
    private readonly appId: string,
    private readonly target: TeamsAlertTarget,
  ) {
    const conversation: Partial<ConversationAccount> = {
      id: target.conversationId,
      isGroup: true,
      conversationType: 'channel',
      ...(target.tenantId ? { tenantId: target.tenantId } : {}),
    };
    this.#reference = { channelId: 'msteams', serviceUrl: target.serviceUrl, conversation: conversation as ConversationAccount };
  }

  async post(message: AlertMessage): Promise<string> {
    const sent = await this.#turn((context) => context.sendActivity(this.#activity(message)));
    if (!sent?.id) throw new Error('the channel did not return an id for the posted card');
    return sent.id;
  }

  async update(activityId: string, message: AlertMessage): Promise<void> {
    await this.#turn((context) => context.updateActivity({ ...this.#activity(message), id: activityId }));
  }

  #activity(message: AlertMessage): Partial<Activity> {
    return {
      type: ActivityTypes.Message,
      summary: message.summary,
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: message.card }],
      ...(this.target.tenantId ? { channelData: { tenant: { id: this.target.tenantId } } } : {}),
    };
  }

  /**
   * Runs `send` in a proactive turn and returns its result. A failure is kept and rethrown here:
   * the adapter's turn-error handler would swallow it and apologise into the channel.
   */
  async #turn<T>(send: (context: TurnContext) => Promise<T>): Promise<T | undefined> {
    let result: T | undefined;
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, this.#reference, async (context) => {
      // The continuation event's id is made up, not a message to reply to: a card is a new post
      // (POST …/activities) and an update names its own activity only.
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) delete a.replyToId;
        return next();
      });
      context.onUpdateActivity(async (_ctx, activity, next) => {
        delete activity.replyToId;
        return next();
      });
      try {
        result = await send(context);
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure;
    return result;
  }
}
