import type { Logger } from '../logger.js';
import type { PurgeResult, TranscriptLog } from './transcript-log.js';

/** A store that can forget activities older than a date. */
export interface RetentionTarget {
  deleteOlderThan(cutoff: Date): PurgeResult;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant before which transcripts are deleted when keeping `days` days. */
export function retentionCutoff(days: number, now: Date = new Date()): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Applies the retention period (TRANSCRIPT_RETENTION_DAYS): run at start-up and by
 * `npm run transcripts -- purge`. Logs the counts, never content.
 */
export function purgeExpiredTranscripts(
  store: RetentionTarget,
  days: number,
  logger?: Logger,
  now: Date = new Date(),
): PurgeResult & { readonly cutoff: Date } {
  const cutoff = retentionCutoff(days, now);
  const result = store.deleteOlderThan(cutoff);
  logger?.info({ retentionDays: days, cutoff: cutoff.toISOString(), ...result }, 'transcript retention purge');
  return { ...result, cutoff };
}

/** {@link purgeExpiredTranscripts} on any {@link TranscriptLog} (PostgreSQL included). */
export async function purgeTranscriptLog(
  log: Pick<TranscriptLog, 'purgeOlderThan'>,
  days: number,
  logger?: Logger,
  now: Date = new Date(),
): Promise<PurgeResult & { readonly cutoff: Date }> {
  const cutoff = retentionCutoff(days, now);
  const result = await log.purgeOlderThan(cutoff);
  logger?.info({ retentionDays: days, cutoff: cutoff.toISOString(), ...result }, 'transcript retention purge');
  return { ...result, cutoff };
}
