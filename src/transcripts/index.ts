/** Transcripts: every activity in and out of the bot, sanitised, stored per conversation. */
export { transcriptMigrations } from './migrations.js';
export { SqliteTranscriptStore, readWholeTranscript } from './sqlite-transcript-store.js';
export {
  listAllConversations,
  readWholeConversation,
  type PurgeResult,
  type StoredActivity,
  type TranscriptListFilter,
  type TranscriptLog,
  type TranscriptPage,
  type TranscriptSummary,
} from './transcript-log.js';
export { SqliteTranscriptLog, type SqliteTranscriptStoreOptions, type TranscriptRowWriter } from './sqlite-transcript-log.js';
export { holdsLegacyTranscripts, moveLegacyTranscripts, openTranscriptDatabase, transcriptsFileOf } from './transcript-database.js';
export { TranscriptWriterThread } from './transcript-writer-thread.js';
export { PostgresTranscriptLog, postgresTranscriptMigrations, type PostgresTranscriptLogOptions } from './postgres-transcript-log.js';
export { TranscriptLogStore } from './transcript-store-adapter.js';
export {
  ActivitySanitizer,
  ATTACHMENT_MARKER,
  DEFAULT_TRANSCRIPT_MAX_TEXT_CHARS,
  TRUNCATION_MARKER,
  type ActivityAuthor,
  type ActivitySanitizerOptions,
} from './activity-sanitizer.js';
export { isOwnButtonValue, stepsAskingForDigits } from './trusted-button-values.js';
export {
  RedactingTranscriptStore,
  createTranscriptMiddleware,
  type TranscriptMiddlewareOptions,
} from './redacting-transcript-store.js';
export {
  parseTranscript,
  serializeTranscript,
  readTranscriptFile,
  writeTranscriptFile,
  type TranscriptActivity,
} from './transcript-file.js';
export { exportTranscript, type ExportedTranscript } from './export.js';
export { purgeExpiredTranscripts, purgeTranscriptLog, retentionCutoff, type RetentionTarget } from './retention.js';
