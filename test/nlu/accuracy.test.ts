import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classify, CONFIDENT, INTENTS, loadTrainingData, normalize, parseLabelledTsv } from '../../src/nlu/index.js';
import { evaluate, formatEvaluation } from '../../src/nlu/evaluate.js';

const DEV_FILE = new URL('../fixtures/nlu/dev.tsv', import.meta.url);
const REQUIRED_ACCURACY = 0.95;

const dev = parseLabelledTsv(readFileSync(DEV_FILE, 'utf8'), 'test/fixtures/nlu/dev.tsv');

describe('development set', () => {
  it('has at least 800 utterances covering every intent in both languages', () => {
    expect(dev.length).toBeGreaterThanOrEqual(800);
    for (const locale of ['ja', 'en'] as const) {
      for (const intent of INTENTS) {
        const n = dev.filter((u) => u.locale === locale && u.intent === intent).length;
        expect(n, `${locale} ${intent}`).toBeGreaterThanOrEqual(intent === 'greeting' || intent === 'thanks' ? 8 : 12);
      }
    }
  });

  it('is not part of the training data', () => {
    const trained = new Set(loadTrainingData().map((u) => normalize(u.text)));
    const leaked = dev.filter((u) => trained.has(normalize(u.text))).map((u) => u.text);
    expect(leaked).toEqual([]);
  });

  it(`is classified with at least ${REQUIRED_ACCURACY * 100}% accuracy in each language`, () => {
    const result = evaluate(dev, classify, CONFIDENT);
    // Printed so that a run shows the figures, not only pass or fail.
    console.log(formatEvaluation(result, CONFIDENT));
    expect(result.byLocale.ja.total).toBeGreaterThan(0);
    expect(result.byLocale.en.total).toBeGreaterThan(0);
    expect(result.byLocale.ja.accuracy, 'ja accuracy').toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
    expect(result.byLocale.en.accuracy, 'en accuracy').toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  });
});
