/**
 * The stores that have a backend-neutral port, as one set: what a factory per backend builds and
 * the composition root (src/app.ts) will take once every store has a PostgreSQL twin.
 */
import type { DirectLineStore } from '../channel/directline/directline-store.js';
import type { AgentRepository } from '../desk/agents/agent-repository.js';
import type { TicketAlertStore } from '../desk/alerts/alert-store.js';
import type { AuditLog } from '../desk/audit/audit-log.js';
import type { PendingOidcLoginStore } from '../desk/auth/pending-oidc-logins.js';
import type { NotificationOutbox } from '../tickets/outbox/notification-outbox.js';
import type { TicketRepository } from '../tickets/ticket-repository.js';

/** Which database the stores live in. */
export type StoreBackend = 'sqlite' | 'postgres';

export interface Stores {
  readonly backend: StoreBackend;
  readonly tickets: TicketRepository;
  /** The outbox the ticket repository writes to, in the same transaction as each change. */
  readonly outbox: NotificationOutbox;
  readonly agents: AgentRepository;
  readonly pendingOidcLogins: PendingOidcLoginStore;
  readonly audit: AuditLog;
  readonly directLine: DirectLineStore;
  /** The ticket alerter's memory for one agents' channel (its conversation id). */
  alerts(channel: string): TicketAlertStore;
  /** Closes what the factory opened (the SQLite file, or the PostgreSQL pool). */
  close(): Promise<void>;
}

/** Options every backend takes. */
export interface StoreOptions {
  /** The clock of the stores that stamp times themselves (agents, web chat); tests inject one. */
  readonly now?: () => Date;
}
