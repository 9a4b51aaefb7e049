/**
 * The transcript writer's thread (see transcript-writer-thread.ts): writes the serialised
 * activities it is sent into the transcripts' database, in its own group commits, and answers
 * each batch; a flush or close request is answered through shared memory, since the main thread
 * waits for it synchronously.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../storage/database.js';
import { SqliteTranscriptLog } from './sqlite-transcript-log.js';
import { DONE, FAILED, type WriterAnswer, type WriterData, type WriterRequest } from './transcript-writer-thread.js';

const port = parentPort!;
const { file, signal } = workerData as WriterData;
const answered = new Int32Array(signal);
// The schema was applied by the main thread before it started this one.
const db = openDatabase(file, []);
const log = new SqliteTranscriptLog(db);

port.on('message', (request: WriterRequest) => {
  if ('rows' in request) {
    Promise.all(request.rows.map((row) => log.appendRow(row))).then(
      () => port.postMessage({ batch: request.batch } satisfies WriterAnswer),
      (err: unknown) => port.postMessage({ batch: request.batch, error: err instanceof Error ? err.message : String(err) } satisfies WriterAnswer),
    );
    return;
  }
  let failed = 0;
  try {
    log.flush();
  } catch {
    // The batch's own answer carries the reason.
    failed = 1;
  }
  const answer = () => {
    Atomics.store(answered, FAILED, failed);
    Atomics.store(answered, DONE, 'flush' in request ? request.flush : request.close);
    Atomics.notify(answered, DONE);
  };
  if ('flush' in request) return answer();
  // Closing: once the batches' answers are posted (their promises settle in the microtasks before
  // setImmediate), the connection is closed and the port too, which lets the thread end.
  setImmediate(() => {
    try {
      db.close();
    } catch {
      failed = 1;
    }
    answer();
    port.close();
  });
});
