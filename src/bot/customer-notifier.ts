import { ActivityTypes, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Localizer } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import type { TicketEvent } from '../tickets/ticket-events.js';

/** Something that can open a turn in an existing conversation of its channel. */
export interface ProactiveChannel {
  continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface NotifierDeps {
  readonly localizer: Localizer;
  readonly logger: Logger;
  /** The channel to use for a conversation reference (the Bot Framework one, or the local web chat). */
  readonly channelFor: (channelId: string) => ProactiveChannel;
  readonly resetWithdrawalHoldHours: number;
}

/** The text a ticket change sends the customer, by event kind; undefined for changes they caused themselves. */
function messageKey(event: TicketEvent): string | undefined {
  switch (event.kind) {
    case 'verified':
      return 'tickets:notify.verified';
    case 'verification_failed':
      return 'tickets:notify.verificationFailed';
    case 'reset_approved':
      return event.approvalAction === 'unlock_login' ? 'tickets:notify.unlockApproved' : 'tickets:notify.resetApproved';
    case 'resolved':
      return 'tickets:notify.resolved';
    case 'closed':
      return 'tickets:notify.closed';
    case 'opened':
    case 'claims_resubmitted':
      return undefined;
  }
}

/**
 * Tells customers, in the ticket's language, when an agent changes their ticket: a proactive
 * message into the conversation the handoff happened in, through the stored reference.
 * A failed delivery is logged and reported, never thrown at the agent's action: the ticket
 * change itself has already been saved.
 */
export class CustomerNotifier {
  constructor(private readonly deps: NotifierDeps) {}

  async notify(event: TicketEvent): Promise<'sent' | 'skipped' | 'failed'> {
    const key = messageKey(event);
    if (!key) return 'skipped';
    const t = this.deps.localizer.forLanguage(event.language);
    const text = t(key, {
      ticketId: event.ticketId,
      holdHours: this.deps.resetWithdrawalHoldHours,
      closeReason: event.closeReason ? t(`tickets:closeReason.${event.closeReason}`) : '',
    });
    const reference = event.conversationReference as Partial<ConversationReference>;
    try {
      // The adapter's turn-error handler would swallow a failed send (and try to apologise to a
      // customer it cannot reach): keep the failure here and report it.
      let failure: unknown;
      await this.deps.channelFor(event.customer.channelId).continueConversation(reference, async (context) => {
        try {
          await context.sendActivity({ type: ActivityTypes.Message, text });
        } catch (err) {
          failure = err;
        }
      });
      if (failure !== undefined) throw failure;
      this.deps.logger.info({ ticket: event.ticketId, kind: event.kind }, 'customer notified');
      return 'sent';
    } catch (err) {
      this.deps.logger.warn({ ticket: event.ticketId, kind: event.kind, err: { message: (err as Error).message } }, 'customer notification failed');
      return 'failed';
    }
  }
}
