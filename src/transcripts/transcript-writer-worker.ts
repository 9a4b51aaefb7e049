/**
 * The transcript writer's thread (see transcript-writer-thread.ts): writes the serialised
 * activities it is sent into the transcripts' database, in its own group commits, and answers
 * each batch; a flush or close request is answered through shared memory, since the main thread
 * waits for it synchronously.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type SqliteDatabase } from '../storage/database.js';
import { SqliteTranscriptLog } from './sqlite-transcript-log.js';
import { DONE, FAILED, READY, type WriterAnswer, type WriterData, type WriterRequest } from './transcript-writer-thread.js';

const port = parentPort!;
const { file, signal } = workerData as WriterData;
const answered = new Int32Array(signal);
// The schema was applied by the main thread before it started this one.
let opened: SqliteDatabase;
try {
  opened = openDatabase(file, []);
} catch (err) {
  // Told to start(), which is waiting; the error itself ends the thread and reaches its 'error' listener.
  Atomics.store(answered, READY, -1);
  Atomics.notify(answered, READY);
  throw err;
}
const db = opened;
// Appending touches the last pages of the table and its indexes, and the rows of the
// conversations in progress: 8 MB of page cache is plenty, where the 64 MB the main connection
// allows for the desk's reads would only make the process bigger as the file grows.
db.pragma('cache_size = -8192');
const log = new SqliteTranscriptLog(db);
Atomics.store(answered, READY, 1);
Atomics.notify(answered, READY);

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
