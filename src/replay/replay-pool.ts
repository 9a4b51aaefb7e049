import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import { plainProgress } from './progress.js';
import type { ReplayRequest, ReplayResponse, ReplayWorkerData } from './replay-worker.js';
import { formatResult, summarize, type FileOutcome, type RunOptions, type RunSummary } from './run-replay.js';

export interface ReplayPoolOptions {
  /** Worker threads (default: `os.availableParallelism()`). */
  readonly size?: number;
  /** Configuration of every worker's bot services, as for `Replayer.create`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Replay across worker threads, each with its own bot services: transcripts share nothing (each
 * replays against fresh stores, see `Replayer.isolated`), so they can run side by side, one per
 * core, and which worker gets which file does not change any result. The output is the
 * same as {@link replayFiles}: lines in file order, the same results, summary and `update`;
 * only the results leave out the activities (`split`, `actualTurns`), which stay in the worker.
 */
export class ReplayPool {
  private readonly slots: WorkerSlot[];

  constructor(options: ReplayPoolOptions = {}) {
    const size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
    const data: ReplayWorkerData = { env: { ...(options.env ?? {}) } };
    this.slots = Array.from({ length: size }, () => new WorkerSlot(() => startWorker(data)));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Replays `files`, each on whichever worker is free; prints and returns in file order. */
  async run(files: readonly string[], options: RunOptions = {}): Promise<RunSummary> {
    const progress = options.progress ?? plainProgress(() => undefined);
    const update = options.update ?? false;
    const outcomes: (FileOutcome | undefined)[] = new Array<FileOutcome | undefined>(files.length);
    let next = 0;
    let printed = 0;
    // A line is printed once every file before it is done, so the order never depends on timing.
    const print = () => {
      for (let o = outcomes[printed]; o !== undefined; o = outcomes[printed]) {
        progress.tick(files[printed]!);
        progress.log(o.line);
        printed++;
      }
    };
    await Promise.all(
      this.slots.map(async (slot) => {
        while (next < files.length) {
          const index = next++;
          const file = files[index]!;
          outcomes[index] = await slot.replay({ file, update }).catch((err: unknown) => failedOutcome(file, err));
          print();
        }
      }),
    );
    progress.stop();
    const done = outcomes as FileOutcome[];
    return summarize(
      done.map((o) => o.result),
      done.flatMap((o, i) => (o.updated ? [files[i]!] : [])),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()));
  }
}

/** One worker with at most one file in flight; a worker that dies is replaced. */
class WorkerSlot {
  private worker: Worker;
  private pending: { resolve: (o: FileOutcome) => void; reject: (err: Error) => void } | undefined;
  private closing = false;

  constructor(private readonly spawn: () => Worker) {
    this.worker = this.start();
  }

  replay(request: ReplayRequest): Promise<FileOutcome> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private start(): Worker {
    const worker = this.spawn();
    const settle = (response: ReplayResponse | Error) => {
      const pending = this.pending;
      this.pending = undefined;
      if (response instanceof Error) pending?.reject(response);
      else if (response.ok) pending?.resolve(response.outcome);
      else pending?.reject(new Error(response.message));
    };
    const died = (err: Error) => {
      if (this.worker !== worker || this.closing) return;
      this.worker = this.start();
      settle(err);
    };
    worker.on('message', (response: ReplayResponse) => settle(response));
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`replay worker stopped (exit code ${code})`)));
    return worker;
  }
}

/** The worker module next to this one (src/module-worker.ts: compiled, or from TypeScript through tsx). */
function startWorker(data: ReplayWorkerData): Worker {
  return startModuleWorker(import.meta.url, 'replay-worker', { workerData: data });
}

/** A file whose worker failed is reported like a transcript that could not be replayed. */
function failedOutcome(file: string, err: unknown): FileOutcome {
  const result = { name: file, passed: false, turns: 0, durationMs: 0, error: err instanceof Error ? err.message : String(err), actualTurns: [] };
  return { result, line: formatResult(result), updated: false };
}
