/**
 * `npm run build`: the production build in dist/, run with `npm run start:prod`
 * (node dist/src/index.js; no TypeScript compiler at start-up, which costs seconds with tsx).
 *
 * tsc emits src/ and flows/ without checking types (`--noCheck`: `npm run typecheck` and CI do
 * that), then the files the code reads next to itself are copied so that dist/ mirrors the repo:
 * locales/, public/, package.json, the classifier's corpus and the desk tree's layout worker.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

const started = performance.now();
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noCheck'], { stdio: 'inherit' });
for (const [from, to] of [
  ['locales', 'dist/locales'],
  ['public', 'dist/public'],
  ['package.json', 'dist/package.json'],
  ['src/nlu/corpus', 'dist/src/nlu/corpus'],
  ['src/desk/tree/elk-layout-worker.mjs', 'dist/src/desk/tree/elk-layout-worker.mjs'],
] as const) {
  cpSync(from, to, { recursive: true });
}
console.log(`dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s: npm run start:prod`);
