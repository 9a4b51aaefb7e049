/** The ticket alert store contract on PostgreSQL (claims from several instances included). */
import { describe } from 'vitest';
import { PostgresTicketAlertStore, postgresAlertMigrations } from '../../../src/desk/alerts/postgres-alert-store.js';
import { skipPostgres, usePostgresSchema } from '../../helpers/postgres.js';
import { alertStoreContract } from './alert-store.contract.js';

describe.skipIf(skipPostgres())('PostgresTicketAlertStore', () => {
  const db = usePostgresSchema(postgresAlertMigrations);
  alertStoreContract('PostgreSQL', (channel) => new PostgresTicketAlertStore(db.pool, channel));
});
