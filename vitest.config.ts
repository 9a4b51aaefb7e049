import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Forks, not threads: better-sqlite3's native handles and the child processes some tests start
    // stay in a process of their own, away from vitest's main thread.
    pool: 'forks',
    // One module graph per worker instead of one per test file (issue 13): importing botbuilder,
    // restify and the app is 1-2 s a file, about a quarter of the suite's time when every file paid
    // it again; with isolate false each worker pays it once. Measured on 54 files here: 74 s -> 25 s
    // wall, 51 s -> 25 s CPU, same results. Safe because no test mocks modules (vi.mock), stubs
    // globals or changes process.env, and src/ keeps no module state beyond caches of pure
    // results (translations, the tree's layout, the classifier). A test that needs a fresh module
    // graph must go in a vitest project of its own with isolate: true; don't turn this off for it.
    isolate: false,
    // Two workers on this two-core machine (vitest's default is cores - 1, one): many files wait on
    // Chromium, child processes or sockets, and the other worker uses that time.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
