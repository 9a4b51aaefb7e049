/**
 * Regenerates the golden transcripts in test/transcripts/ from the troubleshooting flow:
 *
 *   npm run golden
 *
 * Every golden path (src/replay/golden-paths.ts) and scenario, in Japanese and English, is
 * driven through the real bot in process, each against fresh stores, and saved as a .transcript
 * file named `<lang>--<options chosen>.transcript` (a file that differs only in ticket numbers and
 * dates is left as it is). Generated files no longer produced are removed; other
 * .transcript files in the folder (hand-written, e.g. the Emulator-style one) keep their
 * customer activities and get their expected replies re-recorded, as `npm run replay -- --update`.
 * Run it after changing the flow or its texts, then review the diff before committing.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenScripts, recordScript, Replayer, replayFiles, sameRecording } from '../src/replay/index.js';
import { serializeTranscript } from '../src/transcripts/index.js';

const DIR = fileURLToPath(new URL('../test/transcripts', import.meta.url));
const GENERATED = /^(ja|en)--.+\.transcript$/;

async function main(): Promise<void> {
  const replayer = Replayer.create();
  const written = new Set<string>();
  let changed = 0;
  for (const script of goldenScripts()) {
    const file = `${script.name}.transcript`;
    // Fresh stores for each script, as replay has: a ticket one opens must not show in the next.
    const text = serializeTranscript(await replayer.isolated(() => recordScript(replayer, script)));
    written.add(file);
    const saved = readIfExists(join(DIR, file));
    // A script that opens a ticket records a new ticket number (and today's date) every time.
    if (saved === undefined || !sameRecording(saved, text)) {
      writeFileSync(join(DIR, file), text, 'utf8');
      changed++;
    }
  }
  const stale = readdirSync(DIR).filter((f) => GENERATED.test(f) && !written.has(f));
  for (const f of stale) rmSync(join(DIR, f));

  const handWritten = readdirSync(DIR)
    .filter((f) => f.endsWith('.transcript') && !GENERATED.test(f))
    .map((f) => join(DIR, f));
  const summary = await replayFiles(replayer, handWritten, { update: true });
  replayer.close();

  console.log(`${written.size} golden transcripts (${changed} changed), ${stale.length} stale removed, ${summary.updated.length} of ${handWritten.length} other transcripts re-recorded`);
  const broken = summary.results.filter((r) => !r.passed);
  for (const r of broken) console.error(`could not re-record ${r.name}: ${r.error ?? `turn ${r.difference?.turn} still differs`}`);
  if (broken.length > 0) process.exitCode = 1;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

await main();
