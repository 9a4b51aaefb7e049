/**
 * The held-out test set (issue 14): written before any tuning, as customers really write, and
 * never trained on. The classifier alone, and the real bot at its menu (`npm run classify --
 * --file test/fixtures/nlu/heldout.tsv --through-bot`), must keep the figures reached.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, CONFIDENT, loadTrainingData, normalize, parseLabelledTsv } from '../../src/nlu/index.js';
import { evaluate, formatEvaluation } from '../../src/nlu/evaluate.js';
import { createReplayServices } from '../../src/replay/replayer.js';
import { formatThroughBot, ThroughBot } from '../../src/replay/through-bot.js';

const HELDOUT = parseLabelledTsv(readFileSync(new URL('../fixtures/nlu/heldout.tsv', import.meta.url), 'utf8'), 'test/fixtures/nlu/heldout.tsv');

/** The targets, per language. */
const CLASSIFIER_ACCURACY = 0.95;
const STRAIGHT_RIGHT = 0.9;
/** Straight to a wrong place: at most 1% per language (the target, reached in both). */
const STRAIGHT_WRONG = { ja: 0.01, en: 0.01 } as const;

describe('held-out test set', () => {
  const services = createReplayServices();
  afterAll(() => services.close());

  it('is never part of the training data', () => {
    const trained = new Set(loadTrainingData().map((u) => normalize(u.text)));
    expect(HELDOUT.filter((u) => trained.has(normalize(u.text))).map((u) => u.text)).toEqual([]);
  });

  it(`is classified with at least ${CLASSIFIER_ACCURACY * 100}% accuracy in each language`, () => {
    const result = evaluate(HELDOUT, classify, CONFIDENT);
    console.log(formatEvaluation(result, CONFIDENT));
    for (const lang of ['ja', 'en'] as const) {
      expect(result.byLocale[lang].total).toBeGreaterThan(80);
      expect(result.byLocale[lang].accuracy, `${lang} accuracy`).toBeGreaterThanOrEqual(CLASSIFIER_ACCURACY);
    }
  });

  it('goes straight to the right place through the bot, rarely to a wrong one, always in the customer’s language', async () => {
    const report = await new ThroughBot(services).run(HELDOUT);
    console.log(formatThroughBot(report));
    for (const lang of ['ja', 'en'] as const) {
      const t = report.byLocale[lang];
      expect(t.right / t.total, `${lang} straight right`).toBeGreaterThanOrEqual(STRAIGHT_RIGHT);
      expect(t.wrong / t.total, `${lang} straight wrong`).toBeLessThanOrEqual(STRAIGHT_WRONG[lang] + 1e-9);
      expect(t.wrongLanguage, `${lang} replies in the wrong language`).toBe(0);
    }
  }, 60_000);
});
