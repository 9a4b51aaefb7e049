/**
 * Issue 13: every transcript replays against fresh stores. A byte-identical copy of a transcript
 * that opens a ticket and then asks for its status passes next to the original, in either order,
 * on one thread and on several; `--update` re-records such a transcript, and the file it writes
 * replays green.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  goldenScripts,
  recordScript,
  replayFiles,
  Replayer,
  ReplayPool,
  sameRecording,
  splitTurns,
  summaryLine,
  type RunSummary,
} from '../../src/replay/index.js';
import { createBotServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { parseTranscript, readTranscriptFile, serializeTranscript } from '../../src/transcripts/index.js';

const DIR = fileURLToPath(new URL('../transcripts', import.meta.url));
/** Opens a ticket, then presses "Ticket status": the answer lists the customer's tickets. */
const STATUS = { en: join(DIR, 'en--scenario-ticket-status.transcript'), ja: join(DIR, 'ja--scenario-ticket-status.transcript') };
const STATUS_TURN = 5;

const quiet = (lines: string[] = []) => ({ tick: () => undefined, log: (l: string) => lines.push(l), stop: () => undefined });
const outcomes = (s: RunSummary) => s.results.map((r) => `${r.passed ? 'PASS' : 'FAIL'} ${r.name}${r.difference ? ` turn ${r.difference.turn}` : ''}${r.error ?? ''}`);
const passedAll = (files: readonly string[]) => files.map((f) => `PASS ${f}`);
/** The number of status lines (one per ticket) in what the status question was answered with, as recorded. */
function ticketLinesRecorded(file: string): number {
  const turn = splitTurns(parseTranscript(readFileSync(file, 'utf8'), file)).turns[STATUS_TURN - 1]!;
  return (turn.expected[0]?.text ?? '').split('\n').filter((l) => /TFA-/.test(l)).length;
}

describe('each transcript replays against fresh stores', { timeout: 60_000 }, () => {
  let dir: string;
  let copies: { en: string; ja: string };
  let replayer: Replayer;
  /** Two worker threads, started once (each starts a bot of its own) and reused by the tests below. */
  let pool: ReplayPool;
  beforeAll(() => {
    pool = new ReplayPool({ size: 2 });
    dir = mkdtempSync(join(tmpdir(), 'tfa-replay-isolation-'));
    copies = { en: join(dir, 'en-copy.transcript'), ja: join(dir, 'ja-copy.transcript') };
    copyFileSync(STATUS.en, copies.en);
    copyFileSync(STATUS.ja, copies.ja);
    replayer = Replayer.create();
  });
  afterAll(async () => {
    await pool.close();
    replayer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the fixture opens one ticket and asks for its status (customer user1 on the emulator channel, both languages)', () => {
    for (const file of Object.values(STATUS)) {
      const split = splitTurns(parseTranscript(readFileSync(file, 'utf8'), file));
      expect(split.turns[STATUS_TURN - 1]!.input.value).toMatchObject({ t: 'command', command: 'status' });
      expect(split.turns.every((t) => t.input.from?.id === 'user1')).toBe(true);
      expect(ticketLinesRecorded(file)).toBe(1);
    }
    expect(readFileSync(copies.en).equals(readFileSync(STATUS.en))).toBe(true);
  });

  it('passes a byte-identical copy next to the original, in either order, on one thread', async () => {
    const forward = [STATUS.en, copies.en, STATUS.ja, copies.ja];
    const backward = [...forward].reverse();
    expect(outcomes(await replayFiles(replayer, forward))).toEqual(passedAll(forward));
    expect(outcomes(await replayFiles(replayer, backward))).toEqual(passedAll(backward));
    // And the same file twice in a row, by the same replayer, after everything above.
    expect(outcomes(await replayFiles(replayer, [STATUS.en, STATUS.en]))).toEqual(passedAll([STATUS.en, STATUS.en]));
  });

  it('passes them on worker threads, in either order, however the files fall to the workers', async () => {
    // Five files over two workers: at least one worker replays three of them, one after another.
    // (`--workers 1` replays on one thread, as the test above.)
    const files = [STATUS.en, copies.en, STATUS.ja, copies.ja, STATUS.en];
    expect(outcomes(await pool.run(files))).toEqual(passedAll(files));
    const reversed = [...files].reverse();
    expect(outcomes(await pool.run(reversed))).toEqual(passedAll(reversed));
  });

  it('keeps replays started together on one replayer apart (they wait for each other)', async () => {
    const activities = await readTranscriptFile(STATUS.en);
    const results = await Promise.all([1, 2, 3].map((n) => replayer.replay(activities, `together-${n}`)));
    expect(results.map((r) => [r.name, r.passed, r.difference?.diff])).toEqual([1, 2, 3].map((n) => [`together-${n}`, true, undefined]));
  });

  it('leaves nothing behind in the stores: no ticket, no conversation state, no recorded activity', async () => {
    await replayer.replay(await readTranscriptFile(STATUS.en), 'leaves nothing');
    const count = (table: string) => (replayer.services.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(await replayer.services.tickets.findForCustomer('emulator', 'user1')).toEqual([]);
    expect([count('tickets'), count('ticket_history'), count('bot_state'), count('transcript_activities')]).toEqual([0, 0, 0, 0]);
    // Counters seeded by the migrations are back where they were, not emptied.
    expect(count('ticket_status_counts')).toBeGreaterThan(0);
    expect(replayer.services.db.inTransaction).toBe(false);
  });

  it('--update re-records a differing ticket-and-status transcript, after the original in the same run, and the file replays green', async () => {
    const activities = parseTranscript(readFileSync(STATUS.en, 'utf8'), STATUS.en);
    const reply = splitTurns(activities).turns[STATUS_TURN - 1]!.expected[0]!;
    reply.text = `${reply.text} (outdated)`;
    const runUpdate = (workers: number, files: string[], lines: string[]): Promise<RunSummary> =>
      workers === 1 ? replayFiles(replayer, files, { update: true, progress: quiet(lines) }) : pool.run(files, { update: true, progress: quiet(lines) });
    for (const workers of [1, 2]) {
      const label = `${workers} workers`;
      const altered = join(dir, `altered-${workers}.transcript`);
      writeFileSync(altered, serializeTranscript(activities));
      const lines: string[] = [];
      const summary = await runUpdate(workers, [STATUS.en, copies.en, altered], lines);
      expect(lines, label).toEqual([`PASS ${STATUS.en} (5 turns)`, `PASS ${copies.en} (5 turns)`, `UPDATED ${altered} (turn ${STATUS_TURN} differed)`]);
      expect(summary.updated).toEqual([altered]);
      expect(summaryLine(summary)).toBe('3 passed, 0 failed');
      const rewritten = readFileSync(altered, 'utf8');
      expect(rewritten).not.toContain('(outdated)');
      expect(ticketLinesRecorded(altered), label).toBe(1);
      // Green on its own, next to the original, and by a replayer that has replayed nothing yet.
      expect(outcomes(await replayFiles(replayer, [altered, STATUS.en, altered]))).toEqual(passedAll([altered, STATUS.en, altered]));
      const fresh = Replayer.create();
      try {
        expect((await fresh.replay(parseTranscript(rewritten, altered), altered)).passed).toBe(true);
      } finally {
        fresh.close();
      }
    }
  });
});

describe('npm run golden with a script that opens a ticket', () => {
  it('records each script against fresh stores (as generate-golden does), and a new recording differs from the saved one only in ticket number', async () => {
    const script = goldenScripts().find((s) => s.name === 'en--scenario-ticket-status')!;
    const replayer = Replayer.create();
    try {
      const record = async () => serializeTranscript(await replayer.isolated(() => recordScript(replayer, script)));
      const first = await record();
      const second = await record();
      const ids = (text: string) => [...new Set(text.match(/TFA-[0-9A-Z]{8}/g))];
      // One ticket in each recording: the second does not list the first one's ticket.
      expect(ids(first)).toHaveLength(1);
      expect(ids(second)).toHaveLength(1);
      expect(ids(second)).not.toEqual(ids(first));
      expect(sameRecording(readFileSync(STATUS.en, 'utf8'), second)).toBe(true);
      expect(sameRecording(first, second.replace('awaiting identity verification', 'verified'))).toBe(false);
    } finally {
      replayer.close();
    }
  });
});

describe('isolation needs the transcripts in the database it rolls back', () => {
  it('refuses to replay on services over a database file, whose transcripts another thread writes into their own file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-replay-file-'));
    const services = createBotServices(loadConfig({ DATABASE_FILE: join(dir, 'bot.sqlite'), LOG_LEVEL: 'silent' }), silentLogger);
    try {
      await expect(new Replayer(services).replay(await readTranscriptFile(STATUS.en), STATUS.en)).rejects.toThrow(/only on an in-memory database/);
    } finally {
      services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
