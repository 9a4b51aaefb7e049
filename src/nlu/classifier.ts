/**
 * The intent classifier: normalise → correct English typos → features → softmax model, plus
 * slots and locale. Trained from `corpus/*.tsv` once, on first use (a few hundred ms).
 */
import { readFileSync } from 'node:fs';
import { INTENTS, type Intent } from './intents.js';
import { MAX_INPUT_LENGTH, normalize } from './normalize.js';
import { detectLocale } from './locale.js';
import { extractFeatures, tokenize } from './features.js';
import { SpellCorrector } from './spelling.js';
import { SoftmaxModel, DEFAULT_TRAIN_OPTIONS, type SoftmaxModelState, type TrainOptions } from './softmax-model.js';
import { extractSlots, type Slots } from './slots.js';
import { readRomaji } from './romaji.js';
import { withoutNegatedMentions } from './negation.js';
import { soundsUpset } from './mood.js';
import { joinsTwoStatements } from './clauses.js';
import { parseTrainingTsv, type TrainingUtterance } from './dataset.js';
import type { Language } from '../i18n/language.js';
import { appFile } from '../app-files.js';

/**
 * Confidence at or above which the top intent may be acted on directly. Below it, ask a
 * clarifying question offering the first entries of `ranking`.
 */
export const CONFIDENT = 0.6;

/** How many candidates `ranking` lists. */
export const RANKING_SIZE = 3;

/**
 * Share of the input's feature weight the model must know for its probabilities to be taken at
 * face value; below it confidences shrink proportionally, so gibberish and text about things the
 * model never saw come out unsure instead of confidently wrong.
 */
export const FULL_COVERAGE = 0.55;

/** How much an ambiguous (several-intent) training line counts: a training setting, part of the model cache's key. */
export const AMBIGUOUS_WEIGHT = 2;

/**
 * Share of the confidence the model is missing (text it does not know) that goes to `out_of_scope`:
 * gibberish comes out as out of scope, but unsure (the bot asks again rather than refusing).
 */
export const UNKNOWN_TO_OUT_OF_SCOPE = 0.25;

/** Construction options of {@link Classifier}; the defaults are the tuned ones. */
export interface ClassifierOptions {
  readonly train?: TrainOptions;
  /** See {@link FULL_COVERAGE}. */
  readonly fullCoverage?: number;
}

/** The result of classifying one message. */
export interface Classification {
  /** Best intent; `out_of_scope` for empty or unreadable text. */
  intent: Intent;
  /** 0..1; compare with {@link CONFIDENT}. */
  confidence: number;
  /** Up to {@link RANKING_SIZE} candidates, best first (confidences need not sum to 1). */
  ranking: { intent: Intent; confidence: number }[];
  /** Slots stated in the text for the best intent (see `Slots`). */
  slots: Slots;
  /** Language of the text (Japanese script → ja), else the caller's locale. */
  locale: Language;
  /** The message sounds angry or desperate (see mood.ts): worth one line of acknowledgement. */
  upset: boolean;
  /** The message joins two statements (see clauses.ts): two close topics may be two problems. */
  joined: boolean;
}

/** Options of {@link Classifier.classify}. */
export interface ClassifyOptions {
  /** The conversation's language, used when the text itself does not tell (digits, "SMS", emoji). */
  locale?: Language;
}

/**
 * What a trained {@link Classifier} is made of, for the model cache (model-cache.ts): `new
 * Classifier(state)` classifies exactly like the classifier `state()` came from.
 */
export interface ClassifierState {
  readonly model: SoftmaxModelState;
  /** Words of the English training texts (see `englishWords`). */
  readonly englishWords: readonly string[];
  /** The speller's vocabulary with counts, in first-seen order. */
  readonly spellerWords: readonly (readonly [string, number])[];
}

/** A trained classifier. Immutable after construction; safe to share between conversations. */
export class Classifier {
  private readonly speller: SpellCorrector;
  private readonly model: SoftmaxModel;
  private readonly fullCoverage: number;
  /** Words of the English training texts: a Latin word among them is English, not romaji. */
  private readonly englishWords: ReadonlySet<string>;

  /**
   * Trains on labelled utterances (texts are normalised here), or rebuilds a trained classifier from
   * its {@link ClassifierState} (throws when the state is inconsistent; `options.train` is then unused).
   */
  constructor(training: readonly TrainingUtterance[] | ClassifierState, options: ClassifierOptions = {}) {
    this.fullCoverage = options.fullCoverage ?? FULL_COVERAGE;
    if (isState(training)) {
      const state = training;
      if (!Array.isArray(state.englishWords) || !state.englishWords.every((w) => typeof w === 'string')) throw new Error('classifier state: bad English words');
      this.englishWords = new Set(state.englishWords);
      this.speller = SpellCorrector.fromCounts(state.spellerWords);
      this.model = SoftmaxModel.fromState(state.model);
      if (this.model.classCount !== INTENTS.length) throw new Error('classifier state: wrong number of intents');
      return;
    }
    this.englishWords = new Set(training.filter((u) => u.locale === 'en').flatMap((u) => normalize(u.text).match(/[a-z]+/g) ?? []));
    // English lines are English by their label: only Japanese ones may be romaji.
    const normalized = training.map((u) => withoutNegatedMentions(u.locale === 'en' ? normalize(u.text) : this.read(u.text).text));
    this.speller = new SpellCorrector(normalized.flatMap((t) => t.match(/[a-z]+/g) ?? []));
    const examples = training.map((u, i) => ({
      features: extractFeatures(tokenize(normalized[i] ?? '')),
      labels: u.intents.map((intent) => INTENTS.indexOf(intent)),
      // Ambiguous texts are few against many one-intent sentences sharing their words; counting
      // them double keeps a lone "SMS" or "スマホ" unsure.
      weight: u.intents.length > 1 ? AMBIGUOUS_WEIGHT : 1,
    }));
    this.model = SoftmaxModel.train(examples, INTENTS.length, options.train ?? DEFAULT_TRAIN_OPTIONS);
  }

  /** The state `new Classifier(state)` rebuilds this classifier from (copies). */
  state(): ClassifierState {
    return { model: this.model.state(), englishWords: [...this.englishWords], spellerWords: this.speller.wordCounts() };
  }

  /** Normalised text, romaji Japanese in kana (`romaji` tells that it was typed in Latin letters). */
  private read(text: string): { text: string; romaji: boolean } {
    const kana = readRomaji(text.slice(0, MAX_INPUT_LENGTH), (w) => this.englishWords.has(w));
    return { text: normalize(kana ?? text), romaji: kana !== undefined };
  }

  /** Normalised text with English typos corrected: what slots are read from (features also drop negated mentions). */
  prepare(text: string): string {
    return this.read(text).text.replace(/[a-z]{4,}/g, (w) => this.speller.correct(w));
  }

  /** Classifies one message. Never throws; long input is capped (see `MAX_INPUT_LENGTH`). */
  classify(text: string, options: ClassifyOptions = {}): Classification {
    const raw = typeof text === 'string' ? text : '';
    let read = this.read(raw);
    // One Latin word in an English conversation ("heya", "yo") is English, whatever kana it spells.
    if (read.romaji && options.locale === 'en' && !/\s/.test(raw.trim())) read = { text: normalize(raw), romaji: false };
    const prepared = read.text.replace(/[a-z]{4,}/g, (w) => this.speller.correct(w));
    const locale = read.romaji ? 'ja' : chooseLocale(raw, prepared, options.locale);
    // What the customer says they did not do counts against a topic, not for it (negation.ts).
    const features = extractFeatures(tokenize(withoutNegatedMentions(prepared)));
    if (features.size === 0) {
      return { intent: 'out_of_scope', confidence: 0, ranking: [{ intent: 'out_of_scope', confidence: 0 }], slots: {}, locale, upset: false, joined: false };
    }
    const { probabilities, knownShare } = this.model.predict(features);
    const factor = Math.min(1, knownShare / this.fullCoverage);
    // What the model does not know of the text speaks for "not about 2FA": nothing recognised at
    // all is out of scope, not the first intent with confidence 0.
    const unknown = (1 - factor) * UNKNOWN_TO_OUT_OF_SCOPE;
    const ranking = INTENTS.map((intent, k) => ({ intent, confidence: round((probabilities[k] ?? 0) * factor + (intent === 'out_of_scope' ? unknown : 0)) }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, RANKING_SIZE);
    const best = ranking[0] ?? { intent: 'out_of_scope' as const, confidence: 0 };
    return { intent: best.intent, confidence: best.confidence, ranking, slots: extractSlots(prepared, best.intent), locale, upset: soundsUpset(raw, prepared), joined: joinsTwoStatements(prepared) };
  }
}

function isState(x: readonly TrainingUtterance[] | ClassifierState): x is ClassifierState {
  return !Array.isArray(x);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * Japanese script means Japanese. Latin text means English, except a word or two ("SMS", "OK",
 * "sms code") in a Japanese conversation, which customers type without switching language; and a
 * Japanese term inside an English sentence ("my 認証アプリ code doesn't work") in an English
 * conversation stays English.
 */
function chooseLocale(raw: string, prepared: string, hint: Language | undefined): Language {
  const detected = detectLocale(raw);
  if (detected === 'en' && hint === 'ja' && prepared.split(' ').length < 3) return 'ja';
  if (detected === 'ja' && hint === 'en') {
    const latinWords = prepared.match(/[a-z]{2,}/g)?.length ?? 0;
    const japanese = prepared.match(/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu)?.length ?? 0;
    const latin = prepared.match(/[a-z]/g)?.length ?? 0;
    if (latinWords >= 3 && japanese * 3 <= latin) return 'en';
  }
  return detected ?? hint ?? 'ja';
}

/**
 * The training data (kept apart from the development set in test/fixtures): `train.tsv` has one
 * intent per line, `ambiguous.tsv` short texts that could mean several (soft targets), `customers.tsv`
 * lines written the way customers really write (romaji, hiragana only, stories, negations).
 */
export const TRAINING_FILES = ['train.tsv', 'ambiguous.tsv', 'customers.tsv'] as const;

/** One training file's name and contents. */
export interface TrainingFile {
  readonly name: string;
  readonly text: string;
}

/** Reads the bundled training files (the model cache's key hashes their contents). */
export function readTrainingFiles(): TrainingFile[] {
  return TRAINING_FILES.map((name) => ({ name, text: readFileSync(appFile('src', 'nlu', 'corpus', name), 'utf8') }));
}

/** Parses training files (see {@link readTrainingFiles}). */
export function parseTrainingFiles(files: readonly TrainingFile[]): TrainingUtterance[] {
  return files.flatMap((f) => parseTrainingTsv(f.text, `src/nlu/corpus/${f.name}`));
}

/** Reads and parses the bundled training data. */
export function loadTrainingData(): TrainingUtterance[] {
  return parseTrainingFiles(readTrainingFiles());
}

let shared: Classifier | undefined;

/** The shared classifier: the one given to {@link setSharedClassifier}, else trained from the bundled data on first call. */
export function getClassifier(): Classifier {
  shared ??= new Classifier(loadTrainingData());
  return shared;
}

/** True once the shared classifier exists (trained or loaded). */
export function hasSharedClassifier(): boolean {
  return shared !== undefined;
}

/** Makes `classifier` the shared one (start-up: the cached model, see model-cache.ts). */
export function setSharedClassifier(classifier: Classifier): void {
  shared = classifier;
}
