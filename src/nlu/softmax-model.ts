/**
 * Multinomial logistic regression over sparse features, trained in process.
 *
 * Chosen over naive Bayes because its probabilities are usable as confidences after mild L2
 * regularisation, and over a neural model because a few thousand sparse weights train in well
 * under a second at start-up and score an utterance in microseconds.
 */

/** Training hyper-parameters; the defaults are what the development set was tuned with. */
export interface TrainOptions {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty, applied to the weights an example touches. */
  readonly l2: number;
  readonly seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 30, learningRate: 1.5, l2: 1e-3, seed: 7 };

/**
 * A labelled feature vector. `labels` with several classes is a soft target split evenly among
 * them: how the model learns that a lone "SMS" or "2段階認証" could mean any of a few intents.
 */
export interface TrainingExample {
  readonly features: ReadonlyMap<string, number>;
  readonly labels: readonly number[];
  /** How much the example counts (default 1). */
  readonly weight?: number;
}

/** Class probabilities plus how much of the input the model knew. */
export interface ModelOutput {
  readonly probabilities: Float64Array;
  /** Share (0..1) of the input's squared feature weight carried by features seen in training. */
  readonly knownShare: number;
}

/**
 * Everything `predict` needs, for a model cache (see model-cache.ts): `features[i]` owns
 * `weights[i * classCount .. (i + 1) * classCount)`.
 */
export interface SoftmaxModelState {
  readonly classCount: number;
  readonly features: readonly string[];
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** Deterministic PRNG (mulberry32) so that training gives the same model on every start. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp((scores[k] ?? 0) - max);
    scores[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] ?? 0) / sum;
}

export class SoftmaxModel {
  private constructor(
    private readonly vocabulary: ReadonlyMap<string, number>,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    readonly classCount: number,
  ) {}

  /** Number of distinct features the model knows. */
  get featureCount(): number {
    return this.vocabulary.size;
  }

  /** The model's state (copies), from which {@link SoftmaxModel.fromState} builds the same model. */
  state(): SoftmaxModelState {
    return { classCount: this.classCount, features: [...this.vocabulary.keys()], weights: this.weights.slice(), bias: this.bias.slice() };
  }

  /** The model of a {@link SoftmaxModel.state}; throws on an inconsistent or non-finite state. */
  static fromState(state: SoftmaxModelState): SoftmaxModel {
    const C = state.classCount;
    if (!Number.isInteger(C) || C < 1) throw new Error('model state: bad class count');
    if (state.bias.length !== C || state.weights.length !== state.features.length * C) throw new Error('model state: sizes do not match');
    const vocabulary = new Map<string, number>();
    for (const f of state.features) {
      if (typeof f !== 'string' || vocabulary.has(f)) throw new Error('model state: bad or repeated feature');
      vocabulary.set(f, vocabulary.size);
    }
    for (const w of state.weights) if (!Number.isFinite(w)) throw new Error('model state: non-finite weight');
    for (const b of state.bias) if (!Number.isFinite(b)) throw new Error('model state: non-finite bias');
    return new SoftmaxModel(vocabulary, Float64Array.from(state.weights), Float64Array.from(state.bias), C);
  }

  /** Trains a model by stochastic gradient descent with a decaying step. */
  static train(examples: readonly TrainingExample[], classCount: number, options: TrainOptions = DEFAULT_TRAIN_OPTIONS): SoftmaxModel {
    const vocabulary = new Map<string, number>();
    const data: { x: SparseVector; y: Float64Array; weight: number }[] = examples.map((ex) => {
      const indices: number[] = [];
      const values: number[] = [];
      for (const [key, value] of ex.features) {
        let index = vocabulary.get(key);
        if (index === undefined) {
          index = vocabulary.size;
          vocabulary.set(key, index);
        }
        indices.push(index);
        values.push(value);
      }
      const y = new Float64Array(classCount);
      for (const label of ex.labels) y[label] = (y[label] ?? 0) + 1 / ex.labels.length;
      return { x: { indices: Int32Array.from(indices), values: Float64Array.from(values) }, y, weight: ex.weight ?? 1 };
    });
    const C = classCount;
    const weights = new Float64Array(vocabulary.size * C);
    const bias = new Float64Array(C);
    const scores = new Float64Array(C);
    const rand = random(options.seed);
    const order = data.map((_, i) => i);
    const totalSteps = options.epochs * data.length;
    let step = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const tmp = order[i] ?? 0;
        order[i] = order[j] ?? 0;
        order[j] = tmp;
      }
      for (const n of order) {
        const example = data[n];
        if (example === undefined) continue;
        const lr = options.learningRate / (1 + (4 * step) / totalSteps);
        step++;
        const { indices, values } = example.x;
        const count = indices.length;
        scores.set(bias);
        for (let f = 0; f < count; f++) {
          const base = indices[f]! * C;
          const v = values[f]!;
          for (let k = 0; k < C; k++) scores[k]! += weights[base + k]! * v;
        }
        softmaxInPlace(scores);
        // scores now holds the gradient of the loss with respect to the logits.
        for (let k = 0; k < C; k++) scores[k] = (scores[k]! - example.y[k]!) * example.weight;
        const decay = 1 - lr * options.l2;
        for (let k = 0; k < C; k++) bias[k]! -= lr * scores[k]! * 0.1;
        for (let f = 0; f < count; f++) {
          const base = indices[f]! * C;
          const rate = lr * values[f]!;
          for (let k = 0; k < C; k++) weights[base + k] = weights[base + k]! * decay - rate * scores[k]!;
        }
      }
    }
    return new SoftmaxModel(vocabulary, weights, bias, C);
  }

  /** Class probabilities for one feature vector; unknown features are ignored but counted. */
  predict(features: ReadonlyMap<string, number>): ModelOutput {
    const C = this.classCount;
    const scores = Float64Array.from(this.bias);
    let known = 0;
    let total = 0;
    for (const [key, value] of features) {
      total += value * value;
      const index = this.vocabulary.get(key);
      if (index === undefined) continue;
      known += value * value;
      const base = index * C;
      for (let k = 0; k < C; k++) scores[k] = (scores[k] ?? 0) + (this.weights[base + k] ?? 0) * value;
    }
    softmaxInPlace(scores);
    return { probabilities: scores, knownShare: total > 0 ? known / total : 0 };
  }
}
