/**
 * Starts a worker thread on a module that sits beside the caller's: `<name>.js` when the caller
 * runs compiled (the bundle in dist/src, where scripts/build/bundle.ts writes each worker entry
 * beside index.js), `<name>.ts` from TypeScript sources (tsx, vitest). There the worker first
 * registers tsx's loader: Node 20 does not run `--import` hooks from a worker's execArgv. A leaf:
 * replay's pool and the transcript writer use it.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const worker = new URL(`./${name}.ts`, callerUrl).href;
  // `tsx` resolves to dist/loader.mjs; its ESM API (register) sits beside it.
  const tsxApi = new URL('./esm/api/index.mjs', pathToFileURL(createRequire(callerUrl).resolve('tsx'))).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
