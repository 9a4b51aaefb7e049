/** Ticket alerts in the agents' Teams channel (issue 11). */
export type { AlertChannel, AlertMessage } from './alert-channel.js';
export type { AlertFeedState, Delivery, DueAlert, TicketAlertStore } from './alert-store.js';
export { alertMigrations, SqliteTicketAlertStore } from './sqlite-alert-store.js';
export { ADAPTIVE_CARD_CONTENT_TYPE, alertTiming, ticketAlertCard, ticketConsoleUrl, type AlertTicket, type TicketAlert } from './ticket-alert-card.js';
export { TicketAlerts, type TicketAlertsDeps } from './ticket-alerts.js';
export { createTicketAlerts, type CreateTicketAlertsDeps } from './create-ticket-alerts.js';
