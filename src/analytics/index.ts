/** Reports (issue 18): recording conversation sessions, their outcomes, and the ReportService. */
export type { AnalyticsStore, SessionFilter } from './analytics-store.js';
export { applyTurn, type ConversationSession, type NotUnderstoodMessage, type RecordedTurn } from './conversation-session.js';
export { buildReport, type BuildReportDeps } from './build-report.js';
export { analyticsMigrations, SqliteAnalyticsStore } from './sqlite-analytics-store.js';
export { postgresAnalyticsMigrations, PostgresAnalyticsStore } from './postgres-analytics-store.js';
export { sessionOutcome } from './session-outcome.js';
export { conversationKeyHash, TurnRecorder, type TurnRecorderOptions } from './turn-recorder.js';
export type { Report, ReportQuery, ReportService } from './report.js';
