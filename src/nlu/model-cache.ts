/**
 * The trained classifier cached in a JSON file, so that a start-up loads it (tens of ms) instead
 * of training (about a second on a busy machine).
 *
 * The file is `<dir>/nlu-model-<key prefix>.json`, keyed by a SHA-256 of everything the model
 * depends on: the training files' contents, the training settings, the intents, the byte order
 * and {@link FEATURE_CODE_VERSION}. A file whose key does not match, or that cannot be read or
 * parsed, is ignored and the model retrained; a cache that cannot be written (read-only folder)
 * is warned about and skipped. Never fatal. Written atomically (temporary file, then rename).
 *
 * `npm run build` also trains once and ships the model in dist/ ({@link BUNDLED_MODEL_DIR}), read
 * only: a compiled bot with a fresh data folder (first start, a new container) loads it instead
 * of training, which is most of the start-up's second.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { appFile } from '../app-files.js';
import { INTENTS } from './intents.js';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from './softmax-model.js';
import {
  AMBIGUOUS_WEIGHT,
  Classifier,
  hasSharedClassifier,
  parseTrainingFiles,
  readTrainingFiles,
  setSharedClassifier,
  type TrainingFile,
} from './classifier.js';

/**
 * Version of the code that turns a text into the model's features and the speller's words:
 * features.ts, and normalize.ts, romaji.ts, negation.ts, spelling.ts as far as training reads them.
 * BUMP IT WHENEVER features.ts (or one of those) CHANGES: a model cached by the old code would
 * otherwise be loaded with features the new code no longer produces.
 */
export const FEATURE_CODE_VERSION = 1;

/** Version of the file's layout (below). */
const FORMAT = 1;

const PREFIX = 'nlu-model-';

interface CacheFile {
  readonly format: number;
  readonly key: string;
  readonly classCount: number;
  readonly features: string[];
  /** Float64Array bytes in the machine's byte order (part of the key), base64: exact and compact. */
  readonly weights: string;
  readonly bias: string;
  readonly englishWords: string[];
  readonly spellerWords: [string, number][];
}

/**
 * Where `npm run build` puts the model it trained: dist/src/nlu/model/. Running from src/ (tsx)
 * the folder (src/nlu/model/) does not exist and nothing is read from it.
 */
export const BUNDLED_MODEL_DIR = appFile('src', 'nlu', 'model');

/** Options of {@link loadOrTrainClassifier}. */
export interface ModelCacheOptions {
  /** Folder of the cache file; none: train, read and write nothing. */
  readonly dir?: string;
  /**
   * A read-only folder looked in when `dir` has no model of the key (the build's, by default
   * {@link BUNDLED_MODEL_DIR}): never written or cleaned; undefined: none.
   */
  readonly bundled?: string;
  /** Told why the cache was not used or not written (the model is trained and used anyway). */
  readonly warn?: (message: string, error?: unknown) => void;
  /** Training files (default: the bundled corpus); for tests. */
  readonly files?: readonly TrainingFile[];
  /** Training settings (default: the tuned ones); for tests. */
  readonly train?: TrainOptions;
}

/** The cache key of a corpus and training settings (hex SHA-256). */
export function modelCacheKey(files: readonly TrainingFile[], train: TrainOptions = DEFAULT_TRAIN_OPTIONS): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: FORMAT, featureCode: FEATURE_CODE_VERSION, train, ambiguousWeight: AMBIGUOUS_WEIGHT, intents: INTENTS, endianness: endianness() }));
  for (const f of files) {
    const bytes = Buffer.from(f.text, 'utf8');
    hash.update(`\0${f.name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** Where the model of `key` is cached in `dir`. */
export function modelCacheFile(dir: string, key: string): string {
  return join(dir, `${PREFIX}${key.slice(0, 16)}.json`);
}

function toBase64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: unknown): Float64Array {
  if (typeof s !== 'string') throw new Error('not base64');
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length % 8 !== 0) throw new Error('not a whole number of doubles');
  const out = new Float64Array(bytes.length / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

function serialise(classifier: Classifier, key: string): string {
  const state = classifier.state();
  const file: CacheFile = {
    format: FORMAT,
    key,
    classCount: state.model.classCount,
    features: [...state.model.features],
    weights: toBase64(state.model.weights),
    bias: toBase64(state.model.bias),
    englishWords: [...state.englishWords],
    spellerWords: state.spellerWords.map(([w, n]) => [w, n]),
  };
  return JSON.stringify(file);
}

/** The cached classifier, or undefined when there is none; throws when the file is there but unusable. */
function readCache(path: string, key: string): Classifier | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  const data = JSON.parse(text) as Partial<CacheFile> | null;
  if (typeof data !== 'object' || data === null || data.format !== FORMAT || data.key !== key) throw new Error('written for another corpus, settings or code');
  if (!Array.isArray(data.features) || !Array.isArray(data.englishWords) || !Array.isArray(data.spellerWords)) throw new Error('missing fields');
  return new Classifier({
    model: { classCount: Number(data.classCount), features: data.features, weights: fromBase64(data.weights), bias: fromBase64(data.bias) },
    englishWords: data.englishWords,
    spellerWords: data.spellerWords,
  });
}

function writeCache(dir: string, path: string, contents: string): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, contents, { mode: 0o644 });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
    throw err;
  }
  // Models of an older corpus are never read again.
  for (const name of readdirSync(dir)) {
    if (name.startsWith(PREFIX) && name.endsWith('.json') && join(dir, name) !== path) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // another process's, or gone already
      }
    }
  }
}

/**
 * The classifier of the training files: loaded from `dir` when a model of the same key is cached
 * there, else trained (and written there). Never throws for the cache's sake.
 */
export function loadOrTrainClassifier(options: ModelCacheOptions = {}): { classifier: Classifier; source: 'cache' | 'bundled' | 'trained'; key: string } {
  const files = options.files ?? readTrainingFiles();
  const train = options.train ?? DEFAULT_TRAIN_OPTIONS;
  const key = modelCacheKey(files, train);
  const dir = options.dir;
  const path = dir === undefined ? undefined : modelCacheFile(dir, key);
  if (path !== undefined) {
    try {
      const cached = readCache(path, key);
      if (cached) return { classifier: cached, source: 'cache', key };
    } catch (err) {
      options.warn?.(`NLU model cache ${path} ignored (retraining)`, err);
    }
  }
  if (options.bundled !== undefined) {
    const shipped = modelCacheFile(options.bundled, key);
    try {
      const bundled = readCache(shipped, key);
      if (bundled) return { classifier: bundled, source: 'bundled', key };
    } catch (err) {
      options.warn?.(`NLU model ${shipped} of the build ignored (retraining)`, err);
    }
  }
  const classifier = new Classifier(parseTrainingFiles(files), { train });
  if (dir !== undefined && path !== undefined) {
    try {
      writeCache(dir, path, serialise(classifier, key));
    } catch (err) {
      options.warn?.(`NLU model cache not written to ${dir} (the model was trained and is used)`, err);
    }
  }
  return { classifier, source: 'trained', key };
}

/**
 * Start-up: makes the shared classifier (the one `classify` uses) ready, from the cache in `dir`
 * when it matches, else from the build's model, else by training. Does nothing when it is ready already.
 */
export function warmUpClassifier(options: Pick<ModelCacheOptions, 'dir' | 'warn'> = {}): 'cache' | 'bundled' | 'trained' | 'ready' {
  if (hasSharedClassifier()) return 'ready';
  const { classifier, source } = loadOrTrainClassifier({ bundled: BUNDLED_MODEL_DIR, ...options });
  setSharedClassifier(classifier);
  return source;
}
