/**
 * `npm test` replays every golden transcript in test/transcripts/ (one test per file) against
 * the current bot. When the flow or its texts change on purpose, regenerate them with
 * `npm run golden` and review the diff.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenScripts, Replayer } from '../../src/replay/index.js';
import { readTranscriptFile } from '../../src/transcripts/index.js';

const DIR = fileURLToPath(new URL('../transcripts', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.transcript')).sort();

describe(`golden transcripts (${FILES.length} files)`, () => {
  let replayer: Replayer;
  beforeAll(() => {
    replayer = Replayer.create();
  });
  afterAll(() => replayer.close());

  it('exist for every golden path and scenario of the current flow, and no others (else: npm run golden)', () => {
    const expected = goldenScripts().map((s) => `${s.name}.transcript`).sort();
    const generated = FILES.filter((f) => /^(ja|en)--/.test(f));
    expect(generated).toEqual(expected);
  });

  it.each(FILES)('%s', async (file) => {
    const result = await replayer.replay(await readTranscriptFile(join(DIR, file)), file);
    expect(result.error).toBeUndefined();
    expect(result.passed, result.difference?.diff).toBe(true);
  });
});
