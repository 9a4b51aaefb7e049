import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type Middleware,
  type ResourceResponse,
} from 'botbuilder';
import { AppError } from '../errors.js';

const OUTBOX = Symbol('replay outbox');

/**
 * An in-process adapter: runs one activity through the same middleware as the real channels and
 * the bot, and returns what the bot sent. No HTTP, no serviceUrl, no credentials, no timers,
 * which is what makes replay fast. Turns of different conversations may run concurrently: each
 * turn collects its replies in its own context.
 */
export class ReplayAdapter extends BotAdapter {
  private sent = 0;

  constructor(middleware: readonly Middleware[], onTurnError?: (context: TurnContext, error: Error) => Promise<void>) {
    super();
    if (middleware.length > 0) this.use(...middleware);
    if (onTurnError) this.onTurnError = onTurnError;
  }

  /** Runs one incoming activity through middleware and `logic`; resolves to the activities sent in reply. */
  async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const context = new TurnContext(this, activity);
    const outbox: Partial<Activity>[] = [];
    context.turnState.set(OUTBOX, outbox);
    await this.runMiddleware(context, logic);
    return outbox;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const outbox = context.turnState.get(OUTBOX) as Partial<Activity>[] | undefined;
    return activities.map((activity) => {
      const id = `replay-${++this.sent}`;
      // `delay` pauses a real channel and `invokeResponse` answers an invoke: neither is a reply.
      if (activity.type !== 'delay' && activity.type !== 'invokeResponse') outbox?.push({ ...activity, id });
      return { id };
    });
  }

  async updateActivity(): Promise<void> {
    throw new AppError('internal', 'replay does not support updating an activity');
  }

  async deleteActivity(): Promise<void> {
    throw new AppError('internal', 'replay does not support deleting an activity');
  }

  override async continueConversation(_reference: Partial<ConversationReference>): Promise<void> {
    throw new AppError('internal', 'replay does not support proactive messages');
  }
}
