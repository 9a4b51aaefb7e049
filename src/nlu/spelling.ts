/**
 * Corrects English typos ("authentcator", "recieve") to words of the training vocabulary.
 *
 * Symmetric-delete lookup (the SymSpell idea): every vocabulary word is indexed under the strings
 * obtained by deleting up to `maxDistance` letters, so a query only generates its own deletes and
 * verifies the few candidates with an edit distance, instead of scanning the whole vocabulary.
 */

/** Shortest word that is ever corrected: shorter words have too many neighbours (than → thank). */
const MIN_LENGTH = 5;

/**
 * Common words that are right as typed even when the training data lacks them, so they are never
 * "corrected" into a vocabulary word one letter away (there → where, about → abort).
 */
const COMMON_WORDS = (
  'about above after again against along already also although always among another anything anyway ' +
  'around because before being below between both could doing during either enough every everything ' +
  'first found going great might never nothing other others please quite really right should ' +
  'since something still their there these thing things think those though three through today ' +
  'tomorrow under until using where whether which while would write wrong yesterday your yours ' +
  'money price prices paper which whose world years month months weeks hours minutes seconds'
).split(' ');

function maxDistanceFor(word: string): number {
  return word.length >= 8 ? 2 : 1;
}

function deletes(word: string, depth: number, out: Set<string>): void {
  if (depth === 0 || word.length <= 2) return;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(shorter)) {
      out.add(shorter);
      deletes(shorter, depth - 1, out);
    }
  }
}

/** Optimal string alignment distance (Levenshtein plus adjacent transposition), capped. */
export function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      }
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length] ?? cap + 1;
}

/** A spelling corrector over a fixed vocabulary with word frequencies. */
export class SpellCorrector {
  private readonly frequency = new Map<string, number>();
  private readonly index = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  private readonly known: ReadonlySet<string> = new Set(COMMON_WORDS);

  constructor(words: Iterable<string>) {
    for (const w of words) this.frequency.set(w, (this.frequency.get(w) ?? 0) + 1);
    for (const word of this.frequency.keys()) {
      if (word.length < MIN_LENGTH || !/^[a-z]+$/.test(word)) continue;
      const keys = new Set<string>([word]);
      deletes(word, maxDistanceFor(word), keys);
      for (const key of keys) {
        const bucket = this.index.get(key);
        if (bucket) bucket.push(word);
        else this.index.set(key, [word]);
      }
    }
  }

  /** The vocabulary with each word's count, in first-seen order: `fromCounts` of it is the same corrector. */
  wordCounts(): [string, number][] {
    return [...this.frequency];
  }

  /** The corrector of a `wordCounts()`; throws on a bad entry. */
  static fromCounts(counts: readonly (readonly [string, number])[]): SpellCorrector {
    const seen = new Set<string>();
    for (const entry of counts) {
      const [word, count] = Array.isArray(entry) ? entry : [];
      if (typeof word !== 'string' || !Number.isInteger(count) || (count as number) < 1 || seen.has(word)) throw new Error('speller state: bad entry');
      seen.add(word);
    }
    return new SpellCorrector(
      (function* () {
        for (const [word, count] of counts) for (let i = 0; i < count; i++) yield word;
      })(),
    );
  }

  /** True when the word is in the vocabulary. */
  has(word: string): boolean {
    return this.frequency.has(word);
  }

  /** The closest vocabulary word (most frequent on ties), or the word itself when none is near. */
  correct(word: string): string {
    if (this.frequency.has(word) || this.known.has(word) || word.length < MIN_LENGTH || word.length > 30 || !/^[a-z]+$/.test(word)) {
      return word;
    }
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const cap = maxDistanceFor(word);
    const keys = new Set<string>([word]);
    deletes(word, cap, keys);
    let best = word;
    let bestDistance = cap + 1;
    let bestFrequency = 0;
    for (const key of keys) {
      for (const candidate of this.index.get(key) ?? []) {
        const d = editDistance(word, candidate, Math.min(cap, maxDistanceFor(candidate)));
        const f = this.frequency.get(candidate) ?? 0;
        if (d < bestDistance || (d === bestDistance && f > bestFrequency)) {
          best = candidate;
          bestDistance = d;
          bestFrequency = f;
        }
      }
    }
    // Bounded so that a stream of random words cannot grow memory without limit.
    if (this.cache.size < 5000) this.cache.set(word, best);
    return best;
  }
}
