/**
 * Where the files the app reads beside its code live (locales/, public/, package.json, the
 * classifier's corpus and model, the desk tree's layout worker): under the app's root, the nearest
 * folder above this module that holds a package.json. Run from src/ (tsx, tests) that is the
 * repository; run from the build it is dist/, where scripts/build/bundle.ts copies those files. One
 * root for every module, because the build bundles the code into one file: a path relative to a
 * module's own `import.meta.url` would point elsewhere once bundled.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the app's files cannot be found`);
  }
}

/** The app's root folder (the repository, or dist/ in the build). */
export const APP_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path under {@link APP_ROOT}, e.g. `appFile('locales')`. */
export function appFile(...segments: string[]): string {
  return join(APP_ROOT, ...segments);
}
