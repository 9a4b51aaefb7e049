/** PostgreSQL for the stores of several bot instances: the pool, transactions, migrations. */
export { openPostgres, type PgClient, type PgPool, type PgQueryable, type PostgresOptions } from './pool.js';
export { ADVISORY_LOCK, inTransaction, isForeignKeyViolation, isUniqueViolation } from './transaction.js';
export { applyPgMigrations, appliedPgMigrations, type PgMigration } from './migrations.js';
export { openMigratedPostgres } from './open-migrated.js';
