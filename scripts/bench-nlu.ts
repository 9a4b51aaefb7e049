/**
 * Benchmark of the NLU: training (load) time, then time per classification over the development
 * set, repeated. Not a test: figures depend on the machine; the goal is < 1 ms per utterance.
 *
 *   npm run bench:nlu [-- --iterations 20]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '20' }, file: { type: 'string', default: 'test/fixtures/nlu/dev.tsv' } } });
const iterations = Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 1) {
  process.stderr.write(`bench-nlu: --iterations must be a positive integer, got "${values.iterations}"\n`);
  process.exit(2);
}

const importStart = performance.now();
const nlu = await import('../src/nlu/index.js');
const importMs = performance.now() - importStart;

const trainStart = performance.now();
nlu.getClassifier();
const trainMs = performance.now() - trainStart;

const data = nlu.parseLabelledTsv(readFileSync(values.file, 'utf8'), values.file);
const texts = data.map((u) => ({ text: u.text, locale: u.locale }));

// Warm-up pass so the JIT has compiled the hot paths, as it will have in a running bot.
for (const t of texts) nlu.classify(t.text, { locale: t.locale });

const samples = new Float64Array(texts.length * iterations);
let n = 0;
const totalStart = performance.now();
for (let i = 0; i < iterations; i++) {
  for (const t of texts) {
    const start = performance.now();
    nlu.classify(t.text, { locale: t.locale });
    samples[n++] = performance.now() - start;
  }
}
const totalMs = performance.now() - totalStart;
samples.sort();
const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;

const hostile = 'ａ😀\u0000'.repeat(35_000);
const hostileStart = performance.now();
nlu.classify(hostile);
const hostileMs = performance.now() - hostileStart;

const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;
process.stdout.write(
  [
    `module import:         ${fmt(importMs)}`,
    `training (first use):  ${fmt(trainMs)}`,
    `classifications:       ${samples.length} (${texts.length} utterances × ${iterations})`,
    `average:               ${fmt(totalMs / samples.length)}`,
    `p50:                   ${fmt(at(0.5))}`,
    `p99:                   ${fmt(at(0.99))}`,
    `max:                   ${fmt(at(1))}`,
    `100 KB hostile input:  ${fmt(hostileMs)}`,
    '',
  ].join('\n'),
);
