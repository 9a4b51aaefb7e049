/**
 * Accuracy of a classifier on labelled utterances: per language, overall, and which intents are
 * confused with which. Shared by `npm run classify -- --file` and the accuracy test.
 */
import type { Intent } from './intents.js';
import type { LabelledUtterance } from './dataset.js';
import type { Classification, ClassifyOptions } from './classifier.js';
import type { Language } from '../i18n/language.js';

/** Correct / total for one slice of the data. */
export interface Score {
  readonly correct: number;
  readonly total: number;
  /** correct / total, or 0 for an empty slice. */
  readonly accuracy: number;
}

/** Utterances of one intent classified as another. */
export interface Confusion {
  readonly expected: Intent;
  readonly got: Intent;
  readonly count: number;
  readonly examples: readonly { text: string; confidence: number; line: number }[];
}

/** The result of {@link evaluate}. */
export interface Evaluation {
  readonly byLocale: Readonly<Record<Language, Score>>;
  readonly overall: Score;
  /** Misclassifications grouped by (expected, got), most frequent first. */
  readonly confusions: readonly Confusion[];
  /** Correct answers whose confidence is below the threshold, and wrong ones at or above it. */
  readonly unsureCorrect: number;
  readonly confidentWrong: number;
}

function score(correct: number, total: number): Score {
  return { correct, total, accuracy: total === 0 ? 0 : correct / total };
}

/** Classifies every utterance (with its own locale as the conversation's) and scores the answers. */
export function evaluate(
  data: readonly LabelledUtterance[],
  classify: (text: string, opts?: ClassifyOptions) => Classification,
  threshold: number,
  maxExamples = 3,
): Evaluation {
  const counts = { ja: { correct: 0, total: 0 }, en: { correct: 0, total: 0 } };
  const confusions = new Map<string, { expected: Intent; got: Intent; count: number; examples: { text: string; confidence: number; line: number }[] }>();
  let unsureCorrect = 0;
  let confidentWrong = 0;
  for (const u of data) {
    const result = classify(u.text, { locale: u.locale });
    const slot = counts[u.locale];
    slot.total++;
    if (result.intent === u.intent) {
      slot.correct++;
      if (result.confidence < threshold) unsureCorrect++;
      continue;
    }
    if (result.confidence >= threshold) confidentWrong++;
    const key = `${u.intent}\u0000${result.intent}`;
    const entry = confusions.get(key) ?? { expected: u.intent, got: result.intent, count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < maxExamples) entry.examples.push({ text: u.text, confidence: result.confidence, line: u.line });
    confusions.set(key, entry);
  }
  return {
    byLocale: { ja: score(counts.ja.correct, counts.ja.total), en: score(counts.en.correct, counts.en.total) },
    overall: score(counts.ja.correct + counts.en.correct, counts.ja.total + counts.en.total),
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)),
    unsureCorrect,
    confidentWrong,
  };
}

/** Human-readable report of an evaluation. */
export function formatEvaluation(e: Evaluation, threshold: number): string {
  const pct = (s: Score): string => `${(s.accuracy * 100).toFixed(1)}% (${s.correct}/${s.total})`;
  const lines = [`accuracy ja: ${pct(e.byLocale.ja)}`, `accuracy en: ${pct(e.byLocale.en)}`, `accuracy overall: ${pct(e.overall)}`];
  lines.push(`below threshold ${threshold} but correct: ${e.unsureCorrect}; wrong at or above it: ${e.confidentWrong}`);
  if (e.confusions.length === 0) lines.push('confusions: none');
  else {
    lines.push('confusions (expected → got: count):');
    for (const c of e.confusions) {
      lines.push(`  ${c.expected} → ${c.got}: ${c.count}`);
      for (const x of c.examples) lines.push(`      line ${x.line} (${x.confidence.toFixed(2)}): ${x.text}`);
    }
  }
  return lines.join('\n');
}
