/**
 * The transcript's writes on a thread of their own (issue 16). Under load the bot's throughput is
 * bounded by its main thread, and writing every activity into SQLite there (the inserts, their
 * indexes, the pages of each commit) was about a tenth of it. Here the main thread only serialises
 * each activity (sanitised before, see redacting-transcript-store.ts) and posts the text; a worker
 * thread (transcript-writer-worker.ts) writes it with its own connection, in its own group commits.
 *
 * The worker writes to a database file of its own (transcript-database.ts): on the main file its
 * commits would wait for the main thread's lock and make the main thread wait for its own, and
 * every one of them would empty the state cache (sqlite-state-cache.ts). Measured on the
 * benchmark's 2-core machine: the same file gave nothing (turns/s × 0.99), a file of its own
 * × 1.09 (BENCHMARKS.md).
 *
 * What is queued here or in the worker when the process dies is lost, as before: a moment of
 * transcript, never a customer's state or ticket. Reads, deletes and the retention purge first
 * have the worker write what it holds ({@link flush}), so they see every activity appended before.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import type { TranscriptRowWriter } from './sqlite-transcript-log.js';
import { newBatch, type Batch, type PendingActivity } from './transcript-log.js';

/** What the main thread asks of the worker, in order. */
export type WriterRequest =
  | { readonly batch: number; readonly rows: readonly PendingActivity[] }
  | { readonly flush: number }
  | { readonly close: number };

/** The worker's answer for a batch: written, or the message of why not. */
export interface WriterAnswer {
  readonly batch: number;
  readonly error?: string;
}

export interface WriterData {
  /** The transcripts' database file (its schema already applied). */
  readonly file: string;
  /** Three Int32 slots, see {@link DONE}, {@link FAILED} and {@link READY}. */
  readonly signal: SharedArrayBuffer;
}

/** The slot where the worker puts the number of the last flush or close it has done. */
export const DONE = 0;
/** The slot where it puts 1 when that flush or close could not write everything, else 0. */
export const FAILED = 1;
/** The slot where it puts 1 once its database is open, -1 when it could not open it. */
export const READY = 2;

/** A worker that stopped is replaced no sooner than this (activities wait in the queue): one that cannot run is not restarted in a loop. */
const RESTART_AFTER_MS = 1_000;

/** Longest wait for the worker to write its queue: longer than SQLite's busy timeout (5 s), so a lock held by another process is waited out. */
export const FLUSH_TIMEOUT_MS = 15_000;

export class TranscriptWriterThread implements TranscriptRowWriter {
  private worker: Worker | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(12));
  private queue: PendingActivity[] = [];
  private batch: Batch | undefined;
  private scheduled = false;
  /** Batches posted and not yet answered. */
  private readonly sent = new Map<number, Batch>();
  private lastBatch = 0;
  /** Flushes and closes asked for (a count of its own: it goes through shared Int32 memory, and batches number far more). */
  private lastAsk = 0;
  private closed = false;
  /** When a worker that stopped may be replaced (performance.now()). */
  private restartAt = 0;

  /**
   * @param file the transcripts' database file, its schema applied (transcript-database.ts)
   * @param onStopped told when the worker stopped unexpectedly: its unanswered batches are refused, and the next activity starts a new one
   */
  constructor(
    private readonly file: string,
    private readonly onStopped: (err: Error) => void = () => undefined,
  ) {}

  /**
   * Starts the worker and waits until its database is open (at most {@link FLUSH_TIMEOUT_MS}), so
   * that a worker that cannot run (its module missing from a build, the file unreadable) stops the
   * start-up, not the first turns. Throws then.
   */
  start(): void {
    const worker = this.thread();
    const deadline = performance.now() + FLUSH_TIMEOUT_MS;
    while (Atomics.load(this.signal, READY) === 0) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.signal, READY, 0, left);
    }
    if (Atomics.load(this.signal, READY) !== 1) {
      this.worker = undefined;
      void worker.terminate();
      throw new Error(`the transcript writer could not open ${this.file}`);
    }
  }

  /** Queued; the queue is posted when the event loop next gets to it, so a turn's activities (and those of the turns beside it) go together. */
  append(row: PendingActivity): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the transcript writer is closed'));
    this.queue.push(row);
    const batch = (this.batch ??= newBatch());
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.post());
    }
    return batch.written;
  }

  /**
   * Has the worker write everything appended so far, and waits for it (Atomics.wait: the callers,
   * reads, the purge and shutdown, are synchronous, and they are rare). Throws when it could not.
   */
  flush(): void {
    this.post();
    if (this.closed || (this.worker === undefined && this.sent.size === 0)) return;
    this.ask('flush');
  }

  /**
   * Writes what is queued, closes the worker's connection and lets the worker end; throws when it
   * could not write everything. Appends after it are refused. The batches' promises settle when
   * the worker's answers come in; any left unanswered when it ends are refused.
   */
  close(): void {
    if (this.closed) return;
    this.post();
    try {
      if (this.worker) this.ask('close');
    } finally {
      this.closed = true;
    }
  }

  private post(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    // A worker that stopped is replaced a second later, not in a loop: the queue waits for it.
    const wait = this.worker === undefined ? this.restartAt - performance.now() : 0;
    if (wait > 0) {
      this.scheduled = true;
      setTimeout(() => this.post(), wait).unref();
      return;
    }
    const rows = this.queue;
    const batch = this.batch!;
    this.queue = [];
    this.batch = undefined;
    const id = ++this.lastBatch;
    this.sent.set(id, batch);
    this.thread().postMessage({ batch: id, rows } satisfies WriterRequest);
  }

  /**
   * Waits for the worker in Atomics.wait: its messages (and a stop) are only seen once this thread
   * returns to its event loop, so a worker that died just before waits out the timeout once; after
   * that its stop is known and nothing waits for it.
   */
  private ask(kind: 'flush' | 'close'): void {
    const id = ++this.lastAsk;
    const request = (kind === 'flush' ? { flush: id } : { close: id }) satisfies WriterRequest;
    this.thread().postMessage(request);
    const deadline = performance.now() + FLUSH_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(this.signal, DONE);
      if (done >= id) break;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`the transcript writer did not ${kind} within ${FLUSH_TIMEOUT_MS} ms`);
      Atomics.wait(this.signal, DONE, done, left);
    }
    if (Atomics.load(this.signal, FAILED) === 1) throw new Error(`the transcript writer could not write its queue (${kind})`);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    Atomics.store(this.signal, READY, 0);
    const data: WriterData = { file: this.file, signal: this.signal.buffer as SharedArrayBuffer };
    const worker = startModuleWorker(import.meta.url, 'transcript-writer-worker', { workerData: data, selfContained: true });
    // The process may end with the worker idle; shutdown closes it first (see close).
    worker.unref();
    worker.on('message', (answer: WriterAnswer) => {
      const batch = this.sent.get(answer.batch);
      this.sent.delete(answer.batch);
      if (answer.error === undefined) batch?.resolve();
      else batch?.reject(new Error(answer.error));
    });
    const stopped = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.restartAt = performance.now() + RESTART_AFTER_MS;
      for (const batch of this.sent.values()) batch.reject(err);
      this.sent.clear();
      // After close the thread ends on purpose.
      if (!this.closed) this.onStopped(err);
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`the transcript writer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
