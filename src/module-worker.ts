/**
 * Starts a worker thread on a module that sits beside the caller's: `<name>.js` when the caller
 * runs compiled (the bundle in dist/src, where scripts/build/bundle.ts writes each worker entry
 * beside index.js), `<name>.ts` from TypeScript sources (tsx, vitest). There the worker first
 * registers tsx's loader (Node 20 does not run `--import` hooks from a worker's execArgv), or, for
 * a self-contained module, runs as one bundle (ModuleWorkerOptions.selfContained). A leaf: replay's
 * pool and the transcript writer use it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface ModuleWorkerOptions extends WorkerOptions {
  /**
   * The module reads no file relative to itself (no paths from import.meta.url: no locales, no
   * corpus). From TypeScript sources it then runs as one JavaScript bundle (esbuild, a development
   * dependency, built once per change of its code) instead of registering tsx in the thread and
   * loading each module through it: the thread starts in a tenth of the time (300 ms -> 30 ms
   * here; a test run starts over a hundred transcript writers). The compiled build is unaffected.
   */
  readonly selfContained?: boolean;
}

export function startModuleWorker(callerUrl: string, name: string, options: ModuleWorkerOptions = {}): Worker {
  const { selfContained, ...workerOptions } = options;
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), workerOptions);
  const worker = new URL(`./${name}.ts`, callerUrl).href;
  const bundle = selfContained ? bundledFromSources(callerUrl, fileURLToPath(worker)) : undefined;
  if (bundle) return new Worker(bundle, workerOptions);
  // `tsx` resolves to dist/loader.mjs; its ESM API (register) sits beside it.
  const tsxApi = new URL('./esm/api/index.mjs', pathToFileURL(createRequire(callerUrl).resolve('tsx'))).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(boot, { ...workerOptions, eval: true });
}

/**
 * How a module and its imports become one Node ES module, here and in the production build
 * (scripts/build/bundle.ts): better-sqlite3 (a native addon) and the optional native modules of
 * pg and restify (pg-native, dtrace-provider: absent here) stay packages resolved at run time, as
 * do the packages the server only serves as files (botframework-webchat, chart.js).
 */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg-native', 'dtrace-provider', 'botframework-webchat', 'chart.js'],
  // CommonJS packages inside an ESM bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
} as const;

/** Per cache folder and source file, its bundle's path, for this process. */
const bundles = new Map<string, string>();

/** Where the bundles go: inside node_modules, so the packages left out of them (native addons) resolve from there. */
export function moduleWorkerCache(callerUrl: string): string {
  const nodeModules = dirname(dirname(dirname(createRequire(callerUrl).resolve('esbuild'))));
  return join(nodeModules, '.cache', 'module-workers');
}

/**
 * The worker's module and everything it imports as one ES module file, named by its content, in
 * `cache` (default {@link moduleWorkerCache}). Processes that bundle the same code share the file;
 * a changed source gets a new one. Undefined when it cannot be built or written (a read-only
 * node_modules): the caller then runs the module through tsx, as without `selfContained`.
 */
export function bundledFromSources(callerUrl: string, source: string, cache = moduleWorkerCache(callerUrl)): string | undefined {
  const key = `${cache}\0${source}`;
  const known = bundles.get(key);
  // A cache folder cleaned while the process runs: build again rather than fail every restart.
  if (known && existsSync(known)) return known;
  try {
    const esbuild = createRequire(callerUrl)('esbuild') as typeof import('esbuild');
    const built = esbuild.buildSync({ ...NODE_BUNDLE, external: [...NODE_BUNDLE.external], entryPoints: [source], write: false, logLevel: 'silent' });
    const code = built.outputFiles[0]!.contents;
    const file = join(cache, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(cache, { recursive: true });
      // Written under a name of its own and renamed: no thread or process ever reads half a file.
      const partial = `${file}.${randomUUID()}.tmp`;
      writeFileSync(partial, code);
      try {
        renameSync(partial, file);
      } catch (err) {
        rmSync(partial, { force: true });
        if (!existsSync(file)) throw err;
      }
    }
    bundles.set(key, file);
    return file;
  } catch {
    return undefined;
  }
}
