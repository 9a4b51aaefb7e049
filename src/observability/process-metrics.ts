import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/**
 * The process's own figures (CPU, memory, event loop delay, garbage collection, handles), as
 * prom-client collects them. One registry per process, made on the first scrape: they describe
 * the process, not one app built in it (tests build many), and collecting them starts observers
 * (garbage collection, event loop delay) that should exist once, and only where someone scrapes.
 */
export function processMetrics(): Registry {
  if (registry === undefined) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
