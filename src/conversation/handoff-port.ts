import type { HandoffReason } from '../../flows/outcome.js';
import type { Language } from '../i18n/i18n.js';
import type { IdentityClaims } from '../identity/identity-claims.js';

/** Who the customer is on their channel, and how to reach this conversation again later. */
export interface CustomerContext {
  readonly channelId: string;
  readonly userId: string;
  readonly conversationId: string;
  /** Teams tenant, when the channel has one. */
  readonly tenantId?: string | undefined;
  /** The Bot Framework conversation reference (ids and service URL only), for proactive messages. */
  readonly conversationReference: Readonly<Record<string, unknown>>;
  /** The incoming activity id: a redelivered activity must not open a second ticket. */
  readonly activityId?: string | undefined;
}

/** What the chat tells a customer about a ticket. */
export interface TicketView {
  readonly id: string;
  readonly status: string;
  readonly reason: HandoffReason;
  readonly updatedAt: string;
}

export interface OpenTicketRequest {
  readonly customer: CustomerContext;
  readonly reason: HandoffReason;
  readonly language: Language;
  readonly claims: IdentityClaims;
  readonly path: readonly string[];
  readonly stepsTried: readonly string[];
}

/**
 * What the conversation needs from the ticket store, and nothing more; implemented in
 * src/tickets over the ticket service, faked nowhere (tests use the in-memory repository).
 */
export interface HandoffPort {
  /**
   * The customer's open ticket for this conversation and reason, if any (the same handoff again);
   * without a reason, the most recently updated open ticket of this conversation, whatever its reason.
   */
  findOpenTicket(customer: CustomerContext, reason?: HandoffReason): Promise<TicketView | undefined>;
  /** Opens a ticket; idempotent for the same conversation+reason and the same activity id. */
  openTicket(request: OpenTicketRequest): Promise<TicketView>;
  /** The customer's own tickets, newest first. */
  customerTickets(customer: CustomerContext): Promise<readonly TicketView[]>;
}
