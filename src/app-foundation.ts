/**
 * What the app stands on, from one backend: the stores, conversation state (botbuilder's Storage),
 * transcripts, the per-conversation lock, the health ping and how to close them. SQLite under
 * DATABASE_FILE, or PostgreSQL under DATABASE_URL. The composition root (app.ts) builds the bot's
 * services and routes on top and never asks which backend it got.
 */
import type { Storage } from 'botbuilder';
import { dirname } from 'node:path';
import { analyticsMigrations, PostgresAnalyticsStore, postgresAnalyticsMigrations, SqliteAnalyticsStore, type AnalyticsStore } from './analytics/index.js';
import { directLineMigrations, InProcessConversationSignal, PostgresConversationSignal, signalChannelFor, type ConversationSignal } from './channel/directline/index.js';
import type { Config } from './config.js';
import { InProcessKeyedLock, type KeyedLock } from './conversation/keyed-lock.js';
import { PostgresKeyedLock } from './conversation/postgres-keyed-lock.js';
import { alertMigrations } from './desk/alerts/index.js';
import { deskAuthMigrations } from './desk/agents/desk-auth-migrations.js';
import { auditMigrations } from './desk/audit/sqlite-audit-log.js';
import type { Logger } from './logger.js';
import { openDatabase, type SqliteDatabase } from './storage/database.js';
import { SqliteWriteGroup } from './storage/sqlite-write-group.js';
import { PostgresConversationStateStore, postgresStateMigrations } from './storage/postgres-conversation-state.js';
import { appliedPgMigrations, openPostgres, type PgPool } from './storage/postgres/index.js';
import { botStateMigrations, SqliteStorage } from './storage/sqlite-storage.js';
import { StateStoreStorage } from './storage/state-storage-adapter.js';
import { openPostgresStores, POSTGRES_STORE_MIGRATIONS, sqliteStores, type StoreBackend, type Stores } from './stores/index.js';
import { ticketMigrations } from './tickets/index.js';
import {
  openTranscriptDatabase,
  PostgresTranscriptLog,
  postgresTranscriptMigrations,
  SqliteTranscriptStore,
  TranscriptLogStore,
  transcriptMigrations,
  transcriptsFileOf,
  TranscriptWriterThread,
} from './transcripts/index.js';

/** Every migration the embedded database needs, in order. */
export const ALL_MIGRATIONS = [...botStateMigrations, ...ticketMigrations, ...transcriptMigrations, ...directLineMigrations, ...deskAuthMigrations, ...auditMigrations, ...alertMigrations, ...analyticsMigrations];

/** Every PostgreSQL migration the app applies at start (under the migrations' advisory lock). */
export const ALL_POSTGRES_MIGRATIONS = [...POSTGRES_STORE_MIGRATIONS, ...postgresStateMigrations, ...postgresTranscriptMigrations, ...postgresAnalyticsMigrations];

/** What the bot's services are built on, from one backend. */
export interface Foundation {
  readonly backend: StoreBackend;
  readonly stores: Stores;
  /** Conversation state (botbuilder's Storage): the conversation store and the redaction memory. */
  readonly state: () => Storage;
  readonly transcripts: TranscriptLogStore;
  readonly lock: KeyedLock;
  /** The reports' conversation sessions and not-understood messages (src/analytics). */
  readonly analytics: AnalyticsStore;
  /** Tells web chat streams of every instance about new activities (in memory; PostgreSQL LISTEN/NOTIFY). */
  readonly conversationSignal: ConversationSignal;
  /** Where the classifier's model is cached (undefined: not cached). */
  readonly nluDir: string | undefined;
  /** Throws (or rejects) when the database cannot be reached: the health check. */
  readonly ping: () => unknown;
  /** Throws (or rejects) when a migration this version needs is not recorded as applied (readiness). */
  readonly migrated: () => unknown;
  /** Writes what is queued (transcript activities; on SQLite, the group commit's state writes too) and closes the database or pools. */
  readonly close: () => void | Promise<void>;
}

/** SQLite under DATABASE_FILE: every store on the one database, the in-process lock. */
export function sqliteFoundation(config: Config, logger: Logger): Foundation & { readonly db: SqliteDatabase; readonly transcripts: SqliteTranscriptStore; readonly close: () => void } {
  const db = openDatabase(config.databaseFile, ALL_MIGRATIONS);
  // A file: the transcripts in a file of their own, written on a thread of their own (src/transcripts/transcript-writer-thread.ts).
  const transcriptDb = openTranscriptDatabase(config.databaseFile, db);
  const ownFile = transcriptDb !== db;
  const writer = ownFile
    ? new TranscriptWriterThread(transcriptsFileOf(config.databaseFile), (err) =>
        logger.warn({ err: { name: err.name, message: err.message } }, 'the transcript writer stopped; a new one takes the next activities'),
      )
    : undefined;
  // Started now: a writer that cannot run stops the start-up rather than the first turns.
  try {
    writer?.start();
  } catch (err) {
    if (ownFile) transcriptDb.close();
    db.close();
    throw err;
  }
  const transcripts = new SqliteTranscriptStore(transcriptDb, writer ? { writer } : {});
  return {
    backend: 'sqlite',
    db,
    stores: sqliteStores(db),
    state: () => new SqliteStorage(db),
    transcripts,
    lock: new InProcessKeyedLock(),
    analytics: new SqliteAnalyticsStore(db),
    conversationSignal: new InProcessConversationSignal(),
    nluDir: config.databaseFile === ':memory:' ? undefined : dirname(config.databaseFile),
    ping: () => {
      db.prepare('SELECT 1').get();
      if (ownFile) transcriptDb.prepare('SELECT 1').get();
    },
    migrated: () => requireMigrations(ALL_MIGRATIONS, (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id)),
    close: () => {
      try {
        // A turn cut off at shutdown may still have its save queued for the group commit.
        SqliteWriteGroup.of(db).flush();
      } finally {
        try {
          // The writer's close writes its queue first: one wait, at most its timeout.
          if (writer) writer.close();
          else transcripts.flush();
        } catch (err) {
          logger.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'could not write the last transcript activities');
        } finally {
          if (ownFile) transcriptDb.close();
          db.close();
        }
      }
    },
  };
}

/** Options of the PostgreSQL backend (tests give each file its own schema). */
export interface PostgresAppOptions {
  /** The schema every connection uses (search_path); default: the URL's database default. */
  readonly schema?: string;
  /** Connections of the stores' pool (default 10). */
  readonly max?: number;
  /** Connections of the turn lock's own pool: conversations with a turn running or waiting (default 20). */
  readonly lockMax?: number;
  /** The longest a turn waits for its conversation held by another turn (default 10 s). */
  readonly lockWaitMs?: number;
}

/**
 * PostgreSQL under DATABASE_URL: the stores, conversation state and transcripts on one pool
 * (migrations applied at start under the advisory lock), the per-conversation lock on a small pool
 * of its own, so turns waiting for their conversation never take the running turns' connections.
 */
export async function postgresFoundation(config: Config, logger: Logger, options: PostgresAppOptions): Promise<Foundation> {
  const url = config.databaseUrl;
  if (url === undefined) throw new Error('postgresFoundation without DATABASE_URL');
  // Never the URL in a log line: it may hold a password.
  const onPoolError = (err: Error) => logger.warn({ err: { message: err.message } }, 'an idle PostgreSQL connection failed; the pool replaces it');
  const schema = options.schema !== undefined ? { schema: options.schema } : {};
  const stores = await openPostgresStores(url, { ...schema, max: options.max ?? config.databasePools.stores, onPoolError, migrations: ALL_POSTGRES_MIGRATIONS });
  const pool: PgPool = stores.pool;
  const lockPool = openPostgres(url, { ...schema, max: options.lockMax ?? config.databasePools.lock, applicationName: 'tfa-support-bot-lock' }, onPoolError);
  const log = new PostgresTranscriptLog(pool);
  const stateStore = new PostgresConversationStateStore(pool);
  // One connection held for LISTEN, in a pool of its own so it never takes a store's.
  const listenPool = openPostgres(url, { max: 1, applicationName: 'tfa-support-bot-listen' }, onPoolError);
  const conversationSignal = new PostgresConversationSignal({ pool, listenPool, channel: signalChannelFor(options.schema), logger });
  await conversationSignal.start();
  const nluDir = config.databaseFile === ':memory:' ? undefined : dirname(config.databaseFile);
  return {
    backend: 'postgres',
    stores,
    state: () => new StateStoreStorage(stateStore),
    transcripts: new TranscriptLogStore(log),
    lock: new PostgresKeyedLock(lockPool, options.lockWaitMs !== undefined ? { maxWaitMs: options.lockWaitMs } : {}),
    analytics: new PostgresAnalyticsStore(pool),
    conversationSignal,
    nluDir,
    ping: () => pool.query('SELECT 1'),
    migrated: async () => requireMigrations(ALL_POSTGRES_MIGRATIONS, await appliedPgMigrations(pool)),
    close: async () => {
      try {
        await log.drain();
      } catch (err) {
        logger.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'could not write the last transcript activities');
      } finally {
        await Promise.allSettled([conversationSignal.close(), lockPool.end(), pool.end()]);
      }
    },
  };
}


/** Throws naming how many of `expected` are not among the `applied` ids (another version's extra ones are fine). */
function requireMigrations(expected: readonly { readonly id: string }[], applied: readonly string[]): void {
  const done = new Set(applied);
  const missing = expected.filter((m) => !done.has(m.id)).length;
  if (missing > 0) throw new Error(`${missing} of ${expected.length} migrations not applied`);
}
