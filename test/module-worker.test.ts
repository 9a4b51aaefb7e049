/**
 * Worker threads on a TypeScript module (src/module-worker.ts): through tsx in the thread, or, for
 * a self-contained module, as one bundle named by its content and shared; both run the module and
 * its imports alike.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { startModuleWorker } from '../src/module-worker.js';

/** A caller beside the fixture worker (echo-worker.ts doubles what it gets, through an import). */
const caller = new URL('./fixtures/module-worker/caller.ts', import.meta.url).href;
const CACHE = fileURLToPath(new URL('../node_modules/.cache/module-workers/', import.meta.url));

async function ask(worker: Worker, n: number): Promise<unknown> {
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', (answer: { value: unknown }) => resolve(answer.value));
      worker.once('error', reject);
      worker.postMessage(n);
    });
  } finally {
    await worker.terminate();
  }
}

const bundlesOfTheFixture = (): string[] =>
  existsSync(CACHE) ? readdirSync(CACHE).filter((f) => f.endsWith('.mjs') && readFileSync(`${CACHE}${f}`, 'utf8').includes('the module-worker fixture')) : [];

describe('startModuleWorker from TypeScript sources', () => {
  it('runs the module with tsx registered in the thread', async () => {
    expect(await ask(startModuleWorker(caller, 'echo-worker'), 21)).toBe(42);
  });

  it('runs a self-contained module, with what it imports, as one bundle, the same file for the same code', async () => {
    expect(await ask(startModuleWorker(caller, 'echo-worker', { selfContained: true }), 4)).toBe(8);
    const [file, ...more] = bundlesOfTheFixture();
    expect(more).toEqual([]);
    expect(readFileSync(`${CACHE}${file}`, 'utf8')).toContain('n * 2');
    expect(await ask(startModuleWorker(caller, 'echo-worker', { selfContained: true }), 5)).toBe(10);
    expect(bundlesOfTheFixture()).toEqual([file]);
  });
});
