/**
 * Natural-language understanding for the 2FA support bot: what a customer's free text is about
 * (intent, with a confidence and runners-up), the slots it states, and its language.
 *
 * ```ts
 * const c = classify('SMSからアプリに変えたい');
 * // { intent: 'change_method', confidence: 0.9, slots: { from: 'sms', to: 'app' }, locale: 'ja', ... }
 * if (c.confidence < CONFIDENT) askWhichOf(c.ranking);
 * ```
 */
import { getClassifier, type Classification, type ClassifyOptions } from './classifier.js';

export { INTENTS, isIntent, type Intent, type Method } from './intents.js';
export { CONFIDENT, RANKING_SIZE, Classifier, getClassifier, loadTrainingData, type Classification, type ClassifierState, type ClassifyOptions } from './classifier.js';
export { warmUpClassifier, loadOrTrainClassifier, BUNDLED_MODEL_DIR, modelCacheKey, modelCacheFile, FEATURE_CODE_VERSION, type ModelCacheOptions } from './model-cache.js';
export { detectLocale } from './locale.js';
export { normalize, MAX_INPUT_LENGTH } from './normalize.js';
export type { Slots } from './slots.js';
export { parseLabelledTsv, parseTrainingTsv, DatasetError, type LabelledUtterance, type TrainingUtterance } from './dataset.js';

/**
 * Classifies one customer message. The model is trained on the first call (call it once at
 * start-up to warm up); later calls take well under a millisecond. Never throws.
 */
export function classify(text: string, opts?: ClassifyOptions): Classification {
  return getClassifier().classify(text, opts);
}
