/**
 * Worker threads on a TypeScript module (src/module-worker.ts): through tsx in the thread, or, for
 * a self-contained module, as one bundle named by its content and shared; both run the module and
 * its imports alike.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledFromSources, moduleWorkerCache, startModuleWorker } from '../src/module-worker.js';

/** A caller beside the fixture worker (echo-worker.ts doubles what it gets, through an import). */
const caller = new URL('./fixtures/module-worker/caller.ts', import.meta.url).href;
const source = fileURLToPath(new URL('./fixtures/module-worker/echo-worker.ts', import.meta.url));
/** A cache folder of this test's own, beside the real one (inside node_modules, as bundles need). */
const cacheParent = join(moduleWorkerCache(caller), '..');
const dirs: string[] = [];
const freshCache = (): string => {
  const dir = mkdtempSync(join(cacheParent, 'module-workers-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

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

describe('startModuleWorker from TypeScript sources', () => {
  it('runs the module with tsx registered in the thread', async () => {
    expect(await ask(startModuleWorker(caller, 'echo-worker'), 21)).toBe(42);
  });

  it('runs a self-contained module, with what it imports, as one bundle', async () => {
    expect(await ask(startModuleWorker(caller, 'echo-worker', { selfContained: true }), 4)).toBe(8);
  });

  it('writes the bundle once, named by its content, and finds it again; rebuilds it when it was deleted', () => {
    const cache = freshCache();
    const file = bundledFromSources(caller, source, cache)!;
    expect(readdirSync(cache)).toEqual([file.split('/').at(-1)]);
    expect(readFileSync(file, 'utf8')).toContain('the module-worker fixture');
    expect(bundledFromSources(caller, source, cache)).toBe(file);
    // Deleted while the process runs (a cleaned cache): built again, under the same content name.
    rmSync(file);
    expect(bundledFromSources(caller, source, cache)).toBe(file);
    expect(readdirSync(cache)).toEqual([file.split('/').at(-1)]);
  });

  it('gives no bundle when it cannot write one (the caller then uses tsx)', () => {
    const cache = freshCache();
    const blocked = join(cache, 'a-file');
    writeFileSync(blocked, '');
    expect(bundledFromSources(caller, source, join(blocked, 'inside'))).toBeUndefined();
  });
});
