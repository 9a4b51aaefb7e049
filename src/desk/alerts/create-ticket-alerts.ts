/** Builds the ticket alerter over the bot's database from configuration (the composition root calls it). */
import type { DeskAlertsConfig } from '../../config.js';
import type { Localizer } from '../../i18n/i18n.js';
import type { Logger } from '../../logger.js';
import type { SqliteDatabase } from '../../storage/database.js';
import { SqliteTicketRepository } from '../../tickets/sqlite-ticket-repository.js';
import { TicketFeed } from '../../tickets/ticket-feed.js';
import type { AlertChannel } from './alert-channel.js';
import { SqliteTicketAlertStore } from './sqlite-alert-store.js';
import { ticketAlertCard } from './ticket-alert-card.js';
import type { TicketRepository } from '../../tickets/ticket-repository.js';
import type { TicketAlertStore } from './alert-store.js';
import { TicketAlerts } from './ticket-alerts.js';

export interface CreateTicketAlertsDeps {
  /** The SQLite database, or give `stores` (the configured backend's tickets and alert store). */
  readonly db?: SqliteDatabase;
  readonly stores?: { readonly tickets: TicketRepository; alerts(channel: string): TicketAlertStore };
  readonly settings: DeskAlertsConfig;
  readonly channel: AlertChannel;
  readonly localizer: Localizer;
  readonly verificationSlaHours: number;
  readonly publicBaseUrl: string;
  readonly logger: Logger;
}

export function createTicketAlerts(deps: CreateTicketAlertsDeps): TicketAlerts {
  const { db, settings, logger } = deps;
  const stores = deps.stores ?? (db ? { tickets: new SqliteTicketRepository(db), alerts: (channel: string) => new SqliteTicketAlertStore(db, channel) } : undefined);
  if (!stores) throw new Error('createTicketAlerts needs a database or stores');
  const t = deps.localizer.forLanguage(settings.language);
  return new TicketAlerts({
    store: stores.alerts(settings.conversationId),
    // Its own feed from the stored position: changes made while the bot was down are not missed.
    openFeed: (from) => new TicketFeed({ repository: deps.stores ? stores.tickets : new SqliteTicketRepository(db!), logger, from }),
    channel: deps.channel,
    render: (ticket, now) =>
      ticketAlertCard(ticket, { t, verificationSlaHours: deps.verificationSlaHours, publicBaseUrl: deps.publicBaseUrl, now }),
    logger,
  });
}
