/**
 * The production build (`npm run build`): the bot as one JavaScript file, dist/src/index.js,
 * with the files it reads beside it (src/app-files.ts finds them under dist/).
 *
 * One file rather than tsc's one file per module because start-up is mostly module loading:
 * botbuilder alone is several hundred CommonJS files, and Node's ESM loader reads each of our
 * modules asynchronously. Bundled, the import takes about half as long (1.1 s to 0.6 s on the
 * 2-core machine of BENCHMARKS.md). Types are not checked here (`npm run typecheck` and CI do it).
 *
 * Left out of the bundle, resolved from node_modules at run time (NODE_BUNDLE in
 * src/module-worker.ts, which bundles worker threads the same way when run from sources):
 * better-sqlite3 (a native addon), the optional native modules of pg and restify (pg-native,
 * dtrace-provider: absent here), the packages the server only serves as files
 * (botframework-webchat, chart.js), and elkjs, which the desk tree's layout worker (copied, not
 * bundled) imports. So dist/ runs with the repository's node_modules beside it.
 *
 * Bundled code has no `__dirname`: pino's transports (worker threads found through it) would
 * fail in the build only. The app writes its JSON lines to stdout without a transport; keep it so,
 * or leave pino out of the bundle. test/scripts/build/bundle.test.ts starts the bundle and walks a
 * customer, the web chat page and the desk reports (the tree worker among them).
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NODE_BUNDLE } from '../../src/module-worker.js';
import { loadOrTrainClassifier } from '../../src/nlu/index.js';

/** Worker threads the bot starts on a module of their own (src/module-worker.ts). */
const WORKERS = ['src/transcripts/transcript-writer-worker.ts'] as const;

/** What the bundled code reads at run time, copied to the same place under the output folder. */
const FILES = ['locales', 'public', 'package.json', 'src/nlu/corpus', 'src/desk/tree/elk-layout-worker.mjs'] as const;

export interface BuildOptions {
  /** Output folder (default dist). Emptied first. */
  readonly outDir?: string;
  /** Train the classifier and ship its model (default true; tests of the bundle skip it: the bot trains at start instead). */
  readonly model?: boolean;
}

export async function buildDist(options: BuildOptions = {}): Promise<{ entry: string; model: boolean }> {
  const outDir = options.outDir ?? 'dist';
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entry = join(outDir, 'src', 'index.js');
  // The bot, and beside it each worker thread's module (src/module-worker.ts finds it there).
  for (const [source, outfile] of [['src/index.ts', entry], ...WORKERS.map((w) => [w, join(outDir, 'src', `${basename(w, '.ts')}.js`)] as const)] as const) {
    await build({
      entryPoints: [source],
      outfile,
      ...NODE_BUNDLE,
      external: [...NODE_BUNDLE.external],
      sourcemap: true,
      logLevel: 'warning',
    });
  }
  for (const file of FILES) cpSync(file, join(outDir, file), { recursive: true });
  if (options.model === false) return { entry, model: false };
  // The model of the corpus just copied: the same files, so the key the built bot computes.
  const model = loadOrTrainClassifier({ dir: join(outDir, 'src', 'nlu', 'model') });
  if (model.source !== 'trained') throw new Error(`the build's model folder was not empty (${model.source})`);
  return { entry, model: true };
}
