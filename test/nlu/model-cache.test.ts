import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadOrTrainClassifier, modelCacheFile, modelCacheKey, parseLabelledTsv } from '../../src/nlu/index.js';
import { readTrainingFiles } from '../../src/nlu/classifier.js';

const dev = parseLabelledTsv(readFileSync(new URL('../fixtures/nlu/dev.tsv', import.meta.url), 'utf8'), 'test/fixtures/nlu/dev.tsv');
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nlu-cache-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A small corpus (the first lines of each file) so that the retraining cases train fast. */
function smallCorpus(extra = ''): { name: string; text: string }[] {
  return readTrainingFiles().map((f, i) => ({ name: f.name, text: f.text.split('\n').slice(0, 400).join('\n') + (i === 0 ? extra : '') + '\n' }));
}

describe('NLU model cache', () => {
  it('a cached model classifies the development set exactly like a freshly trained one', () => {
    const dir = tempDir();
    const fresh = loadOrTrainClassifier({ dir });
    expect(fresh.source).toBe('trained');
    expect(readdirSync(dir)).toEqual([`nlu-model-${fresh.key.slice(0, 16)}.json`]);
    const cached = loadOrTrainClassifier({ dir });
    expect(cached.source).toBe('cache');
    expect(cached.classifier).not.toBe(fresh.classifier);
    expect(dev.length).toBeGreaterThan(100);
    for (const { text } of dev) {
      for (const locale of ['ja', 'en'] as const) {
        expect(cached.classifier.classify(text, { locale })).toEqual(fresh.classifier.classify(text, { locale }));
      }
    }
    // Misspelt English goes through the restored speller.
    expect(cached.classifier.classify('my authentcator app was delted')).toEqual(fresh.classifier.classify('my authentcator app was delted'));
  });

  it('a changed corpus has another key and retrains (and replaces the old file)', () => {
    const dir = tempDir();
    const before = loadOrTrainClassifier({ dir, files: smallCorpus() });
    expect(before.source).toBe('trained');
    expect(loadOrTrainClassifier({ dir, files: smallCorpus() }).source).toBe('cache');
    const changed = smallCorpus('\nja\tsms_not_received\tショートメッセージが来ない');
    expect(modelCacheKey(changed)).not.toBe(before.key);
    const after = loadOrTrainClassifier({ dir, files: changed });
    expect(after.source).toBe('trained');
    expect(readdirSync(dir)).toEqual([`nlu-model-${after.key.slice(0, 16)}.json`]);
    // Other training settings: another key too.
    expect(modelCacheKey(changed, { epochs: 31, learningRate: 1.5, l2: 1e-3, seed: 7 })).not.toBe(after.key);
  });

  it('a file of the right name that is corrupt, truncated or of another key is ignored: retrained and rewritten', () => {
    const dir = tempDir();
    const files = smallCorpus();
    const key = modelCacheKey(files);
    const path = modelCacheFile(dir, key);
    const good = (loadOrTrainClassifier({ dir, files }), readFileSync(path, 'utf8'));
    const other = JSON.stringify({ ...JSON.parse(good), key: 'f'.repeat(64) });
    const badWeights = JSON.stringify({ ...JSON.parse(good), weights: 'AAAA' });
    for (const contents of ['not json{', good.slice(0, good.length / 2), 'null', '{}', other, badWeights]) {
      writeFileSync(path, contents);
      const warn = vi.fn();
      const result = loadOrTrainClassifier({ dir, files, warn });
      expect(result.source).toBe('trained');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('ignored');
      expect(readFileSync(path, 'utf8')).toBe(good);
    }
  });

  it('a folder that cannot be written: a warning, the trained model is used, nothing is written', () => {
    const files = smallCorpus();
    // Under a regular file: no folder can be made there, whoever runs the test (root ignores chmod).
    const parent = tempDir();
    writeFileSync(join(parent, 'file'), 'x');
    const warn = vi.fn();
    const result = loadOrTrainClassifier({ dir: join(parent, 'file', 'data'), files, warn });
    expect(result.source).toBe('trained');
    expect(result.classifier.classify('SMSが届かない').intent).toBeTypeOf('string');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('not written');
    expect(readdirSync(parent)).toEqual(['file']);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only folder: a warning, nothing written (not even a temporary file)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o555);
    const warn = vi.fn();
    const result = loadOrTrainClassifier({ dir, files: smallCorpus(), warn });
    expect(result.source).toBe('trained');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(modelCacheFile(dir, result.key))).toBe(false);
  });

  it("the build's model (a read-only folder) is loaded when the data folder has none, and neither folder is written", () => {
    const files = smallCorpus();
    const bundled = tempDir();
    const built = loadOrTrainClassifier({ dir: bundled, files });
    const shipped = readdirSync(bundled);
    const dir = tempDir();
    const started = loadOrTrainClassifier({ dir, bundled, files });
    expect(started.source).toBe('bundled');
    expect(started.classifier.classify('SMSが届かない', { locale: 'ja' })).toEqual(built.classifier.classify('SMSが届かない', { locale: 'ja' }));
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(bundled)).toEqual(shipped);
    // The data folder's own model comes first.
    writeFileSync(modelCacheFile(dir, built.key), readFileSync(join(bundled, shipped[0]!)));
    expect(loadOrTrainClassifier({ dir, bundled, files }).source).toBe('cache');
  });

  it("a build's model of another corpus is not used: trained, written to the data folder, the build's folder untouched", () => {
    const bundled = tempDir();
    loadOrTrainClassifier({ dir: bundled, files: smallCorpus() });
    const shipped = readdirSync(bundled);
    const dir = tempDir();
    const changed = smallCorpus('\nen\tsms_not_received\tthe text never came');
    const warn = vi.fn();
    const result = loadOrTrainClassifier({ dir, bundled, files: changed, warn });
    expect(result.source).toBe('trained');
    expect(warn).not.toHaveBeenCalled();
    expect(readdirSync(dir)).toEqual([`nlu-model-${result.key.slice(0, 16)}.json`]);
    expect(readdirSync(bundled)).toEqual(shipped);
  });

  it("a build's model that is corrupt is ignored with a warning, and retrained", () => {
    const files = smallCorpus();
    const bundled = tempDir();
    writeFileSync(modelCacheFile(bundled, modelCacheKey(files)), '{"format":1,"key":');
    const warn = vi.fn();
    const result = loadOrTrainClassifier({ bundled, files, warn });
    expect(result.source).toBe('trained');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('of the build ignored'), expect.anything());
  });

  it('no folder: trains, reads and writes nothing', () => {
    expect(loadOrTrainClassifier({ files: smallCorpus() }).source).toBe('trained');
  });
});
