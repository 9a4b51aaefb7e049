/**
 * `npm run build`: the production build in dist/, run with `npm run start:prod`
 * (node dist/src/index.js: one bundled file, no TypeScript at start-up; see scripts/build/bundle.ts).
 */
import { buildDist } from './build/bundle.js';

const started = performance.now();
await buildDist();
console.log(`dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s: npm run start:prod`);
