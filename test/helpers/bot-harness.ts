import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { createBotServices, type BotServices } from '../../src/app.js';
import { turnErrorHandler } from '../../src/bot/adapter.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/logger.js';

export interface HarnessOptions {
  readonly databaseFile?: string;
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
  readonly channelId?: string;
  readonly locale?: string;
}

/** A bot reply reduced to what a customer notices. */
export interface SeenReply {
  readonly text: string;
  readonly buttons: string[];
  readonly values: unknown[];
  readonly activity: Partial<Activity>;
}

/**
 * The real bot (same services as production) behind botbuilder's TestAdapter, with helpers
 * that send one activity and return exactly the replies it produced.
 */
export class BotHarness {
  readonly services: BotServices;
  readonly adapter: TestAdapter;
  private counter = 0;

  constructor(private readonly options: HarnessOptions = {}) {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_FILE: options.databaseFile ?? ':memory:', ...options.env });
    this.services = createBotServices(config, options.logger ?? silentLogger);
    // TestAdapter copies its template over every incoming activity, so the locale stays out of
    // it: a test must be able to send an activity with another locale (see send()).
    this.adapter = new TestAdapter(async (context) => this.services.bot.run(context), {
      channelId: options.channelId ?? 'test',
    });
    this.adapter.onTurnError = turnErrorHandler(this.services.localizer, options.logger ?? silentLogger);
    if (this.services.middleware.length > 0) this.adapter.use(...this.services.middleware);
  }

  /** Sends a message (text, or a button's value) and returns the replies. */
  async say(input: string | { value: unknown; text?: string }, extra: Partial<Activity> = {}): Promise<SeenReply[]> {
    const activity: Partial<Activity> =
      typeof input === 'string'
        ? { type: ActivityTypes.Message, text: input }
        : { type: ActivityTypes.Message, text: input.text, value: input.value };
    return this.send({ ...activity, locale: this.options.locale, ...extra });
  }

  /** The customer joins: a conversationUpdate adding the user. */
  async join(extra: Partial<Activity> = {}): Promise<SeenReply[]> {
    return this.send({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: 'user1', name: 'User1' }],
      locale: this.options.locale,
      ...extra,
    });
  }

  /** Presses the button with this title on the last reply that has it. */
  async press(replies: readonly SeenReply[], title: string, extra: Partial<Activity> = {}): Promise<SeenReply[]> {
    for (let i = replies.length - 1; i >= 0; i--) {
      const r = replies[i]!;
      const index = r.buttons.indexOf(title);
      if (index >= 0) return this.say({ value: r.values[index], text: title }, extra);
    }
    throw new Error(`no button "${title}" in: ${JSON.stringify(replies.map((r) => r.buttons))}`);
  }

  /** Sends one activity (the harness's locale unless it names its own) and returns its replies. */
  async send(activity: Partial<Activity>): Promise<SeenReply[]> {
    this.counter++;
    await this.adapter.receiveActivity({ id: `a${this.counter}`, locale: this.options.locale, ...activity });
    return this.adapter.activeQueue.splice(0).map(seen);
  }

  /**
   * Sends several activities at once (as a channel delivering them concurrently) and returns each
   * one's replies, matched by `replyToId`, in the order given. Every activity gets a distinct id.
   * Do not run other sends on this harness meanwhile: they share the reply queue.
   */
  async sendConcurrently(activities: readonly Partial<Activity>[]): Promise<SeenReply[][]> {
    const withIds = activities.map((a) => {
      this.counter++;
      return { id: `a${this.counter}`, locale: this.options.locale, ...a };
    });
    await Promise.all(withIds.map((a) => this.adapter.receiveActivity(a)));
    const replies = this.adapter.activeQueue.splice(0);
    return withIds.map((a) => replies.filter((r) => r.replyToId === a.id).map(seen));
  }

  close(): void {
    this.services.close();
  }
}

export function seen(a: Partial<Activity>): SeenReply {
  const suggested = a.suggestedActions?.actions ?? [];
  const hero = (a.attachments ?? []).flatMap((att) =>
    att.contentType === 'application/vnd.microsoft.card.hero' ? ((att.content as { buttons?: { title: string; value: unknown }[] }).buttons ?? []) : [],
  );
  const actions = [...suggested, ...hero];
  const heroText = (a.attachments ?? [])
    .map((att) => (att.contentType === 'application/vnd.microsoft.card.hero' ? (att.content as { text?: string }).text ?? '' : ''))
    .join('');
  return {
    text: (a.text ?? '') + heroText,
    buttons: actions.map((x) => x.title ?? ''),
    values: actions.map((x) => x.value as unknown),
    activity: a,
  };
}

/** All the text of a set of replies, for assertions about what the customer read. */
export function allText(replies: readonly SeenReply[]): string {
  return replies.map((r) => r.text).join('\n');
}
