/**
 * A worker thread of {@link ReplayPool}: its own bot services (in-memory database, middleware,
 * bot), replaying the files it is sent one at a time, each against fresh stores, exactly as
 * `replayFiles` does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Replayer } from './replayer.js';
import { replayOneFile, type FileOutcome } from './run-replay.js';

/** What the pool starts a worker with. */
export interface ReplayWorkerData {
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One file to replay. */
export interface ReplayRequest {
  readonly file: string;
  readonly update: boolean;
}

/** The answer to a {@link ReplayRequest}. */
export type ReplayResponse = { readonly ok: true; readonly outcome: FileOutcome } | { readonly ok: false; readonly message: string };

const port = parentPort;
if (!port) throw new Error('replay-worker runs as a worker thread of ReplayPool');
const replayer = Replayer.create((workerData as ReplayWorkerData).env);
port.on('message', (request: ReplayRequest) => {
  replayOneFile(replayer, request.file, request.update).then(
    (outcome) => port.postMessage({ ok: true, outcome: withoutTurns(outcome) } satisfies ReplayResponse),
    (err: unknown) => port.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ReplayResponse),
  );
});

/**
 * The recorded and replayed activities stay here: `update` has used them already, and copying
 * them to the main thread cost more than replaying (pool results carry no `split`/`actualTurns`).
 */
function withoutTurns(outcome: FileOutcome): FileOutcome {
  const { split: _split, actualTurns: _turns, ...result } = outcome.result;
  return { ...outcome, result: { ...result, actualTurns: [] } };
}
