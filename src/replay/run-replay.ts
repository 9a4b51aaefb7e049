import { readFile, writeFile } from 'node:fs/promises';
import { readTranscriptFile, writeTranscriptFile } from '../transcripts/index.js';
import { plainProgress, type Progress } from './progress.js';
import type { ReplayResult, Replayer } from './replayer.js';
import { rerecord } from './rerecord.js';

export interface RunOptions {
  /** Re-record the expected replies of transcripts that differ (customer activities are kept). */
  readonly update?: boolean;
  readonly progress?: Progress;
}

export interface RunSummary {
  readonly results: readonly ReplayResult[];
  readonly passed: number;
  readonly failed: number;
  /** Files rewritten by `update`. */
  readonly updated: readonly string[];
}

/**
 * Replays each file in order, printing one line per transcript (and the diff of a failure)
 * through `progress`. With `update`, a differing transcript is rewritten with the current
 * replies, replayed again to confirm, and then counts as passed.
 */
export async function replayFiles(replayer: Replayer, files: readonly string[], options: RunOptions = {}): Promise<RunSummary> {
  const progress = options.progress ?? plainProgress(() => undefined);
  const results: ReplayResult[] = [];
  const updated: string[] = [];
  for (const file of files) {
    progress.tick(file);
    const done = await replayOneFile(replayer, file, options.update ?? false);
    if (done.updated) updated.push(file);
    progress.log(done.line);
    results.push(done.result);
  }
  progress.stop();
  return summarize(results, updated);
}

/** One transcript replayed (and re-recorded with `update`): its result and its output line. */
export interface FileOutcome {
  readonly result: ReplayResult;
  /** What {@link replayFiles} prints for it. */
  readonly line: string;
  /** Whether `update` rewrote the file. */
  readonly updated: boolean;
}

/** Replays one file; with `update`, a differing one is rewritten and replayed again to confirm. */
export async function replayOneFile(replayer: Replayer, file: string, update: boolean): Promise<FileOutcome> {
  const result = await replayFile(replayer, file);
  if (!update || result.passed || result.error || !result.split) return { result, line: formatResult(result), updated: false };
  const original = await readFile(file);
  await writeTranscriptFile(file, rerecord(result.split, result.actualTurns));
  const again = await replayFile(replayer, file);
  if (again.passed) return { result: again, line: `UPDATED ${file} (turn ${result.difference?.turn ?? '?'} differed)`, updated: true };
  // The bot does not answer the re-recorded file the same way twice: keep the file as it was.
  await writeFile(file, original);
  return { result: again, line: `${formatResult(again)}\n  (not re-recorded: the bot answered the re-recorded file differently again; the file is unchanged)`, updated: false };
}

/** The summary of results in file order. */
export function summarize(results: readonly ReplayResult[], updated: readonly string[]): RunSummary {
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed, updated };
}

async function replayFile(replayer: Replayer, file: string): Promise<ReplayResult> {
  try {
    return await replayer.replay(await readTranscriptFile(file), file);
  } catch (err) {
    // The reader names the file in its message; the ERROR line names it already.
    const message = (err as Error).message;
    const error = message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
    return { name: file, passed: false, turns: 0, durationMs: 0, error, actualTurns: [] };
  }
}

/** `PASS file (n turns)`, `FAIL file …` with the diff below, or `ERROR file: why`. */
export function formatResult(r: ReplayResult): string {
  if (r.error) return `ERROR ${r.name}: ${r.error}`;
  if (r.passed) return `PASS ${r.name} (${r.turns} turns)`;
  const diff = r.difference ? `\n${indent(r.difference.diff)}` : '';
  return `FAIL ${r.name} (turn ${r.difference?.turn ?? '?'} of ${r.turns} differs)${diff}`;
}

/** The last line of every run. */
export function summaryLine(summary: Pick<RunSummary, 'passed' | 'failed'>): string {
  return `${summary.passed} passed, ${summary.failed} failed`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
