import { ActivityTypes, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { KeyedLock } from '../conversation/keyed-lock.js';
import { openRating, ratingQuestion } from '../conversation/satisfaction.js';
import { AppError } from '../errors.js';
import type { Localizer } from '../i18n/i18n.js';
import type { ServiceUrlPolicy } from '../security/service-url-allowlist.js';
import type { OutboxNotification } from '../tickets/outbox/notification.js';
import { toActivity } from './activity-mapper.js';
import type { ConversationStore } from './conversation-store.js';
import { conversationKey } from './support-bot.js';

/** Something that can open a turn in an existing conversation of its channel. */
export interface ProactiveChannel {
  continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

/**
 * The Bot Framework channels, through the CloudAdapter: refuses a reference whose service URL is
 * not on the allow-list (a stored reference is data, and the bot's token goes with every call), so
 * the outbox retries and finally marks the notification failed instead of calling that host.
 */
export function botFrameworkChannel(adapter: Pick<CloudAdapter, 'continueConversationAsync'>, appId: string, serviceUrls: ServiceUrlPolicy): ProactiveChannel {
  return {
    async continueConversation(reference, logic) {
      if (!serviceUrls.allows(reference.serviceUrl)) {
        throw new AppError('forbidden', 'The conversation reference names a service URL that is not allowed');
      }
      await adapter.continueConversationAsync(appId, reference, logic);
    },
  };
}

export interface NotifierDeps {
  readonly localizer: Localizer;
  /** The channel to use for a conversation reference (the Bot Framework one, or the local web chat). */
  readonly channelFor: (channelId: string) => ProactiveChannel;
  readonly resetWithdrawalHoldHours: number;
  /**
   * Ask for the optional 1–5 rating under the message that a ticket is done (SATISFACTION_RATING):
   * the conversation's state (under its turn lock) remembers it, so the press or a typed digit that
   * arrives later as an ordinary message is read as the rating. Undefined: never asked.
   */
  readonly satisfaction?: { readonly conversations: ConversationStore; readonly lock: KeyedLock } | undefined;
}

/** The notifications that tell the customer their ticket is done (its final, resolved status). */
const TICKET_DONE: ReadonlySet<OutboxNotification['kind']> = new Set(['resolved', 'change_carried_out']);

/** The text a notification sends the customer, in the ticket's language; `holdHours` 0: no withdrawal-hold sentence. */
export function notificationText(localizer: Localizer, n: OutboxNotification, holdHours: number): string {
  const t = localizer.forLanguage(n.language);
  const vars = { ticketId: n.ticketId, holdHours };
  const { approvalAction, closeReason, failureReason, message } = n.params;
  switch (n.kind) {
    case 'verified':
      return t('tickets:notify.verified', vars);
    case 'verification_failed':
      return t('tickets:notify.verificationFailed', { ...vars, failureReason: t(`tickets:failureReason.${failureReason ?? 'other'}`) });
    case 'change_approved':
      return t(`tickets:notify.changeApproved.${approvalAction ?? 'switch_2fa_to_sms_or_voice'}`, vars);
    case 'change_carried_out': {
      const action = approvalAction ?? 'switch_2fa_to_sms_or_voice';
      const done = t(`tickets:notify.changeCarriedOut.${action}`, vars);
      // The withdrawal hold is the exchange's setting (RESET_WITHDRAWAL_HOLD_HOURS), not the guide's: 0 leaves it out.
      return action === 'switch_2fa_to_sms_or_voice' && holdHours > 0 ? `${done}\n${t('tickets:notify.withdrawalHold', vars)}` : done;
    }
    case 'resolved':
      return t('tickets:notify.resolved', vars);
    case 'closed':
      return t('tickets:notify.closed', { ...vars, closeReason: t(`tickets:closeReason.${closeReason ?? 'other'}`) });
    case 'info_requested':
      return t('tickets:notify.infoRequested', { ...vars, message: message ?? '' });
  }
}

/**
 * Delivers the outbox's customer notifications: a proactive message, in the ticket's language, into
 * the conversation the handoff happened in, through the stored reference. Throws when the channel
 * did not take it, so the dispatcher retries; the ticket change itself is already saved. When the
 * ticket is done, the optional rating question follows (issue 18).
 */
export class CustomerNotifier {
  constructor(private readonly deps: NotifierDeps) {}

  async deliver(n: OutboxNotification): Promise<void> {
    const text = notificationText(this.deps.localizer, n, this.deps.resetWithdrawalHoldHours);
    const reference = n.conversationReference as Partial<ConversationReference>;
    // The adapter's turn-error handler would swallow a failed send (and try to apologise to a
    // customer it cannot reach): keep the failure here and rethrow it.
    let failure: unknown;
    await this.deps.channelFor(n.channelId).continueConversation(reference, async (context) => {
      try {
        await context.sendActivity({ type: ActivityTypes.Message, text });
      } catch (err) {
        failure = err;
        return;
      }
      if (TICKET_DONE.has(n.kind)) await this.askRating(context, n);
    });
    if (failure !== undefined) throw failure;
  }

  /**
   * The rating question after "your request is done". Optional: when the conversation cannot be
   * marked or the question not sent, the customer simply is not asked; the notification itself was
   * delivered and is not retried for it.
   */
  private async askRating(context: TurnContext, n: OutboxNotification): Promise<void> {
    const satisfaction = this.deps.satisfaction;
    if (!satisfaction) return;
    const key = conversationKey(context.activity);
    try {
      const marked = await satisfaction.lock.run(key, async () => {
        const loaded = await satisfaction.conversations.load(key);
        if (!loaded.data) return false;
        const data = { ...loaded.data };
        openRating(data, 'ticket', n.ticketId);
        await satisfaction.conversations.save(key, data, loaded.eTag);
        return true;
      });
      if (marked) await context.sendActivity(toActivity(ratingQuestion(this.deps.localizer.forLanguage(n.language), 'ticket'), context.activity.channelId));
    } catch {
      // Optional question: nothing to retry (see above).
    }
  }
}
