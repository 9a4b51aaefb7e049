/**
 * Whether this instance can take traffic: each named check throws (or rejects) when its part is
 * not ready. Checks run together, each bounded by a timeout (an unreachable database must not hang
 * the probe), and callers arriving while a round runs share it, so a burst of probes costs one
 * round. The answer names the failed checks only; the log says why, once per change.
 */
import type { Logger } from '../logger.js';

export type ReadinessCheck = () => unknown;

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, 'ok' | 'failed'>>;
}

export class Readiness {
  readonly #checks: Readonly<Record<string, ReadinessCheck>>;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #failing = new Set<string>();
  #round: Promise<ReadinessReport> | undefined;

  constructor(checks: Readonly<Record<string, ReadinessCheck>>, logger: Logger, options: { readonly timeoutMs?: number } = {}) {
    this.#checks = checks;
    this.#logger = logger;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
  }

  check(): Promise<ReadinessReport> {
    this.#round ??= this.#run().finally(() => {
      this.#round = undefined;
    });
    return this.#round;
  }

  async #run(): Promise<ReadinessReport> {
    const names = Object.keys(this.#checks);
    const results = await Promise.all(names.map((name) => this.#one(name)));
    const checks: Record<string, 'ok' | 'failed'> = {};
    names.forEach((name, i) => (checks[name] = results[i] === undefined ? 'ok' : 'failed'));
    return { ready: results.every((r) => r === undefined), checks };
  }

  /** undefined when the check passed, else why it failed. */
  async #one(name: string): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(this.#checks[name]), timeout]);
      if (this.#failing.delete(name)) this.#logger.info({ check: name }, 'readiness: check passes again');
      return undefined;
    } catch (err) {
      const why = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'failed';
      if (!this.#failing.has(name)) this.#logger.warn({ check: name, err: { message: why } }, 'readiness: check failed');
      this.#failing.add(name);
      return why;
    } finally {
      clearTimeout(timer);
    }
  }
}
