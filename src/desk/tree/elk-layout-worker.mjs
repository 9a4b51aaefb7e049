// Runs elkjs off the main thread: a layout of the whole tree keeps a CPU busy for a second or
// more, and on the server's thread it would stall every request meanwhile. Plain JavaScript so the
// worker starts under plain Node, tsx and vitest alike. One graph in, the laid-out graph out.
import { parentPort } from 'node:worker_threads';
import ELK from 'elkjs/lib/elk.bundled.js';

parentPort.once('message', async (graph) => {
  try {
    parentPort.postMessage({ graph: await new ELK().layout(graph) });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
