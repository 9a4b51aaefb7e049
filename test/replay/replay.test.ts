import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBrokenPipe, runReplayCli, type ReplayCliIo } from '../../scripts/replay.js';
import {
  findTranscriptFiles,
  replayFiles,
  rerecord,
  Replayer,
  splitTurns,
  summaryLine,
  toJUnitXml,
  type ReplayResult,
} from '../../src/replay/index.js';
import { parseTranscript, readTranscriptFile, serializeTranscript, type TranscriptActivity } from '../../src/transcripts/index.js';

const DIR = fileURLToPath(new URL('../transcripts', import.meta.url));
const GOLDEN = join(DIR, 'en--smsNotReceived.notArrived.arrived.solved.transcript');
const EMULATOR = join(DIR, 'emulator-en-sms-not-received.transcript');
const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const load = (file: string) => parseTranscript(readFileSync(file, 'utf8'), file);
const botMessages = (activities: TranscriptActivity[]) => activities.filter((a) => a.from?.role === 'bot' && a.type === 'message');
/** The index in `activities` of the n-th (1-based) customer activity's k-th bot reply. */
function replyOfTurn(activities: TranscriptActivity[], turn: number, k = 0): TranscriptActivity {
  const split = splitTurns(activities);
  return split.turns[turn - 1]!.expected[k]!;
}

describe('replay', () => {
  let replayer: Replayer;
  let dir: string;
  beforeAll(() => {
    replayer = Replayer.create();
    dir = mkdtempSync(join(tmpdir(), 'tfa-replay-'));
  });
  afterAll(() => {
    replayer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a golden transcript', async () => {
    const result = await replayer.replay(load(GOLDEN), 'golden');
    expect(result).toMatchObject({ passed: true, turns: 5 });
  });

  it('fails an altered transcript and shows the first differing turn side by side', async () => {
    const activities = load(GOLDEN);
    const reply = replyOfTurn(activities, 3);
    const original = reply.text!;
    reply.text = `(edited) ${original}`;
    const result = await replayer.replay(activities, 'altered');
    expect(result.passed).toBe(false);
    expect(result.difference?.turn).toBe(3);
    const diff = result.difference!.diff;
    const pressed = splitTurns(activities).turns[2]!.input;
    expect(diff.split('\n')[0]).toBe(`turn 3 of 5: customer sent message ${JSON.stringify(pressed.text)} value ${JSON.stringify(pressed.value, ['event', 'step', 't'])}`);
    expect(diff).toContain('expected (recorded)');
    expect(diff).toContain('current bot');
    const changed = diff.split('\n').filter((l) => l.startsWith('≠'));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain('(edited)');
  });

  it('compares button titles and values, attachments and reply count', async () => {
    const withValue = load(GOLDEN);
    const last = botMessages(withValue).find((a) => a.suggestedActions)!;
    (last.suggestedActions!.actions[0]!.value as Record<string, unknown>)['event'] = 'answer.maybe';
    expect((await replayer.replay(withValue, 'value')).passed).toBe(false);

    const withTitle = load(GOLDEN);
    botMessages(withTitle).find((a) => a.suggestedActions)!.suggestedActions!.actions[0]!.title = 'Renamed';
    expect((await replayer.replay(withTitle, 'title')).passed).toBe(false);

    const missing = load(GOLDEN);
    missing.splice(missing.indexOf(replyOfTurn(missing, 2, 1)), 1);
    const result = await replayer.replay(missing, 'missing');
    expect(result.difference?.turn).toBe(2);
    expect(result.difference?.diff).toContain('(no reply)');

    const card = load(join(DIR, 'en--lockout.yes.transcript'));
    const form = botMessages(card).find((a) => a.attachments?.length)!;
    (form.attachments![0]!.content as { body: { type: string; text?: string }[] }).body.find((b) => b.type === 'TextBlock')!.text = 'Changed card text';
    const cardResult = await replayer.replay(card, 'card');
    expect(cardResult.passed).toBe(false);
    expect(cardResult.difference?.diff).toContain('card text: Changed card text');
  });

  it('ignores ids, timestamps, conversation, service URL, accounts and locale of the replies', async () => {
    const activities = load(GOLDEN).map((a, i) =>
      a.from?.role === 'bot'
        ? ({
            ...a,
            id: `other-${i}`,
            timestamp: new Date(0),
            conversation: { id: 'another' },
            serviceUrl: 'https://elsewhere.example',
            from: { id: 'other-bot', role: 'bot' },
            recipient: { id: 'someone' },
            replyToId: 'x',
            locale: 'fr-FR',
            channelData: { noise: true },
          } as TranscriptActivity)
        : a,
    );
    expect((await replayer.replay(activities, 'noise')).passed).toBe(true);
  });

  it('accepts a transcript saved by the Bot Framework Emulator (roles, traces, both members added, client entities)', async () => {
    const activities = load(EMULATOR);
    expect(activities[0]).toMatchObject({ type: 'conversationUpdate', channelId: 'emulator', from: { role: 'user' } });
    expect(activities[0]!.membersAdded).toHaveLength(2);
    expect(activities.some((a) => a.type === 'trace')).toBe(true);
    expect(activities.some((a) => a.entities?.some((e) => e.type === 'clientInfo'))).toBe(true);
    const result = await replayer.replay(activities, 'emulator');
    expect(result.difference?.diff).toBeUndefined();
    expect(result).toMatchObject({ passed: true, turns: 4 });
  });

  it('re-records an Emulator transcript with every activity where it was (traces before or after the replies)', async () => {
    const activities = load(EMULATOR);
    const result = await replayer.replay(activities, 'emulator');
    const shape = (list: readonly TranscriptActivity[]) => list.map((a) => `${a.from?.role}:${a.type}`);
    expect(shape(rerecord(result.split!, result.actualTurns))).toEqual(shape(activities));
  });

  it('replays an activity recorded with deliveryMode expectReplies like any other', async () => {
    const activities = load(GOLDEN).map((a) => (a.from?.role === 'user' ? { ...a, deliveryMode: 'expectReplies' } : a));
    expect((await replayer.replay(activities, 'expect-replies')).passed).toBe(true);
  });

  it('tells the bot apart without roles: the customer addresses the bot', () => {
    const split = splitTurns([
      { type: 'conversationUpdate', from: { id: 'u' }, recipient: { id: 'b' } },
      { type: 'message', text: 'Hi', from: { id: 'b' }, recipient: { id: 'u' } },
      { type: 'message', text: 'help', from: { id: 'u' }, recipient: { id: 'b' } },
      { type: 'typing', from: { id: 'b' }, recipient: { id: 'u' } },
      { type: 'message', text: 'Sure', from: { id: 'b' }, recipient: { id: 'u' } },
    ] as TranscriptActivity[]);
    expect(split.botId).toBe('b');
    expect(split.turns.map((t) => [t.input.type, t.expected.map((e) => e.text), t.noise.length])).toEqual([
      ['conversationUpdate', ['Hi'], 0],
      ['message', ['Sure'], 1],
    ]);
  });

  it("keeps the customer's typing indicators when re-recording, though they are not sent again", async () => {
    const typing = (id: string) => ({ type: 'typing', id, from: { id: 'u', role: 'user' }, recipient: { id: 'b', role: 'bot' } }) as TranscriptActivity;
    const activities = load(GOLDEN);
    const withTyping = [typing('before-anything'), ...activities.slice(0, 3), typing('while-typing'), ...activities.slice(3)];
    const result = await replayer.replay(withTyping, 'typing');
    expect(result.passed).toBe(true);
    expect(result.turns).toBe(splitTurns(activities).turns.length);
    const rewritten = rerecord(result.split!, result.actualTurns);
    expect(rewritten.filter((a) => a.type === 'typing' && a.from?.role === 'user').map((a) => a.id)).toEqual(['before-anything', 'while-typing']);
  });

  it('reports a transcript without any customer activity as an error', async () => {
    const onlyBot = load(GOLDEN).filter((a) => a.from?.role === 'bot');
    expect((await replayer.replay(onlyBot, 'bot-only')).error).toMatch(/no customer activity/);
  });

  it('reads files and folders, the object form and a byte order mark; --update re-records only the replies', async () => {
    const altered = load(GOLDEN);
    replyOfTurn(altered, 2).text = 'Outdated text';
    const alteredFile = join(dir, 'altered.transcript');
    writeFileSync(alteredFile, serializeTranscript(altered));
    const objectFile = join(dir, 'object-form.transcript');
    writeFileSync(objectFile, `\ufeff${JSON.stringify({ transcript: load(GOLDEN) })}`);
    copyFileSync(GOLDEN, join(dir, 'plain.json'));

    expect(findTranscriptFiles([dir])).toEqual([alteredFile, objectFile]);
    // The same file named twice, or named inside the folder given too, is replayed once.
    expect(findTranscriptFiles([dir, `${dir}/./altered.transcript`, alteredFile])).toEqual([alteredFile, objectFile]);
    const first = await replayFiles(replayer, findTranscriptFiles([dir, join(dir, 'plain.json')]));
    expect(first.results.map((r) => [r.name, r.passed])).toEqual([
      [alteredFile, false],
      [objectFile, true],
      [join(dir, 'plain.json'), true],
    ]);
    expect(summaryLine(first)).toBe('2 passed, 1 failed');

    const lines: string[] = [];
    const updated = await replayFiles(replayer, [alteredFile], {
      update: true,
      progress: { tick: () => undefined, log: (l) => lines.push(l), stop: () => undefined },
    });
    expect(updated.updated).toEqual([alteredFile]);
    expect(lines).toEqual([`UPDATED ${alteredFile} (turn 2 differed)`]);
    const rewritten = await readTranscriptFile(alteredFile);
    const customer = (a: TranscriptActivity[]) => a.filter((x) => x.from?.role === 'user');
    expect(customer(rewritten)).toEqual(customer(altered));
    expect(JSON.stringify(rewritten)).not.toContain('Outdated text');
    expect((await replayer.replay(rewritten, 'rewritten')).passed).toBe(true);
  });

  it('--update leaves the file as it was when the bot answers the re-recorded file differently again', async () => {
    // A bot that never answers the same way twice (here: every replay reported as differing).
    class Unsteady extends Replayer {
      override async replay(activities: readonly TranscriptActivity[], name: string): Promise<ReplayResult> {
        const r = await super.replay(activities, name);
        return { ...r, passed: false, difference: { turn: 1, diff: 'differs every time' } };
      }
    }
    const unsteady = new Unsteady(replayer.services);
    const file = join(dir, 'unsteady.transcript');
    copyFileSync(GOLDEN, file);
    const before = readFileSync(file);
    const lines: string[] = [];
    const summary = await replayFiles(unsteady, [file], { update: true, progress: { tick: () => undefined, log: (l) => lines.push(l), stop: () => undefined } });
    expect(summary.updated).toEqual([]);
    expect(summary.failed).toBe(1);
    expect(lines.join('\n')).toMatch(/^FAIL .*\n[\s\S]*not re-recorded: .* the file is unchanged\)$/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('writes JUnit XML with a failure carrying the diff and an error for an unreadable file', () => {
    const results: ReplayResult[] = [
      { name: 'ok.transcript', passed: true, turns: 3, durationMs: 12, actualTurns: [] },
      { name: 'bad <1>.transcript', passed: false, turns: 3, durationMs: 5, difference: { turn: 2, diff: 'turn 2 ]]> "x" & <y>' }, actualTurns: [] },
      { name: 'broken.transcript', passed: false, turns: 0, durationMs: 0, error: 'not JSON', actualTurns: [] },
    ];
    const xml = toJUnitXml(results, 'transcript replay', new Date(Date.UTC(2025, 0, 1)));
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="transcript replay" tests="3" failures="1" errors="1" time="0.017">/);
    expect(xml).toContain('<testcase classname="transcripts" name="ok.transcript" time="0.012"/>');
    expect(xml).toContain('name="bad &lt;1&gt;.transcript"');
    expect(xml).toContain('<failure message="turn 2 differs" type="ReplayMismatch"><![CDATA[turn 2 ]]]]><![CDATA[> "x" & <y>]]></failure>');
    expect(xml).toContain('<error message="not JSON" type="ReplayError">');
    expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  });
});

/** `npm run replay -- args`, in process: exit code and what it wrote (no .env unless `io` names one). */
async function cli(args: readonly string[], io: Partial<ReplayCliIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runReplayCli(args, {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    env: {},
    envFile: join(tmpdir(), 'tfa-replay-no-such.env'),
    ...io,
  });
  return { code, stdout, stderr };
}

/** A folder with the golden transcript (a-), one altered at turn 4 (b-) and one that is not JSON (c-). */
function cliFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-replay-cli-'));
  const altered = load(GOLDEN);
  replyOfTurn(altered, 4).text = 'Not what the bot says';
  copyFileSync(GOLDEN, join(dir, 'a-golden.transcript'));
  writeFileSync(join(dir, 'b-altered.transcript'), serializeTranscript(altered));
  writeFileSync(join(dir, 'c-broken.transcript'), 'not JSON');
  return dir;
}

describe('npm run replay (CLI, in process: runReplayCli)', () => {
  let dir: string;
  beforeAll(() => {
    dir = cliFolder();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a line per transcript, ends with "N passed, N failed", exits 1 on a failure and writes JUnit', async () => {
    const junit = join(dir, 'report.xml');
    const outcome = await cli([dir, '--junit', junit]);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    expect(lines[0]).toBe(`PASS ${join(dir, 'a-golden.transcript')} (5 turns)`);
    expect(lines[1]).toBe(`FAIL ${join(dir, 'b-altered.transcript')} (turn 4 of 5 differs)`);
    expect(outcome.stdout).toContain('Not what the bot says');
    expect(lines.at(-1)).toBe('1 passed, 2 failed');
    expect(readFileSync(junit, 'utf8')).toContain('tests="3" failures="1" errors="1"');
    // An unreadable file is named once in its ERROR line, then what is wrong with it.
    const broken = lines.filter((l) => l.startsWith('ERROR'));
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatch(/^ERROR \S+c-broken\.transcript: not JSON/);
    expect(broken[0]!.split('c-broken.transcript')).toHaveLength(2);

    const ok = await cli([GOLDEN]);
    expect(ok).toEqual({ code: 0, stdout: `PASS ${GOLDEN} (5 turns)\n1 passed, 0 failed\n`, stderr: '' });
  });

  it('replays a file named twice (or inside a folder also named) once', async () => {
    const golden = join(dir, 'a-golden.transcript');
    const outcome = await cli([golden, `${dir}/./a-golden.transcript`, golden]);
    expect(outcome).toEqual({ code: 0, stdout: `PASS ${golden} (5 turns)\n1 passed, 0 failed\n`, stderr: '' });
    expect((await cli([dir, golden])).stdout.split('\n').filter((l) => l.includes('a-golden'))).toHaveLength(1);
  });

  it('stops with exit 2 before replaying on a bad configuration key or a JUnit folder that is not there', async () => {
    const badLocale = await cli([GOLDEN], { env: { DEFAULT_LOCALE: 'fr' } });
    expect(badLocale.code).toBe(2);
    expect(badLocale.stderr).toMatch(/DEFAULT_LOCALE/);
    expect(badLocale.stdout).toBe('');
    const badJunit = await cli([GOLDEN, '--junit', join(tmpdir(), 'no-such-folder-for-replay', 'report.xml')]);
    expect(badJunit.code).toBe(2);
    expect(badJunit.stderr).toMatch(/--junit: no folder/);
    expect(badJunit.stdout).toBe('');
  });

  it('reads .env as npm start does: its keys configure the bot, a bad one stops it (exit 2), a variable already set wins', async () => {
    const envFile = join(dir, 'test.env');
    writeFileSync(envFile, 'EXCHANGE_NAME_EN="Other Exchange"\n');
    const branded = await cli([GOLDEN], { envFile });
    expect(branded.code).toBe(1);
    expect(branded.stdout).toContain('Other Exchange');
    expect((await cli([GOLDEN], { envFile, env: { EXCHANGE_NAME_EN: 'GMO Coin' } })).code).toBe(0);

    writeFileSync(envFile, 'DEFAULT_LOCALE=fr\n');
    const bad = await cli([GOLDEN], { envFile });
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/DEFAULT_LOCALE/);
    expect((await cli([GOLDEN], { envFile, env: { DEFAULT_LOCALE: 'ja' } })).code).toBe(0);
  });

  it('answers --help with the usage (exit 0) and a wrong call with the usage on stderr (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage: npm run replay -- /);
    const empty = mkdtempSync(join(tmpdir(), 'tfa-replay-empty-'));
    try {
      for (const [args, why] of [
        [[], /name at least one/],
        [[GOLDEN, '--frobnicate'], /frobnicate/],
        [[join(dir, 'no-such.transcript')], /no such file or folder/],
        [[empty], /no \.transcript files in/],
      ] as const) {
        const wrong = await cli(args);
        expect(wrong.code, args.join(' ')).toBe(2);
        expect(wrong.stdout).toBe('');
        expect(wrong.stderr).toMatch(why);
        expect(wrong.stderr).toContain('usage: npm run replay');
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('--update re-records a differing transcript and says how many it re-recorded', async () => {
    const altered = join(dir, 'update-me.transcript');
    copyFileSync(join(dir, 'b-altered.transcript'), altered);
    const outcome = await cli([altered, '--update']);
    expect(outcome).toEqual({ code: 0, stdout: `UPDATED ${altered} (turn 4 differed)\n1 transcripts re-recorded\n1 passed, 0 failed\n`, stderr: '' });
    expect(readFileSync(altered, 'utf8')).not.toContain('Not what the bot says');
    rmSync(altered);
  });

  it('draws a progress bar on a terminal from 10 files, with the same lines on stdout; none for fewer files', async () => {
    const many = mkdtempSync(join(tmpdir(), 'tfa-replay-many-'));
    try {
      for (let i = 0; i < 10; i++) copyFileSync(GOLDEN, join(many, `${i}.transcript`));
      let drawn = '';
      const bar = { columns: 80, write: (t: string | Uint8Array) => ((drawn += String(t)), true) };
      const withBar = await cli([many], { bar });
      expect(withBar.code).toBe(0);
      expect(withBar.stdout).toBe((await cli([many])).stdout);
      expect(withBar.stdout).not.toContain('\x1b');
      expect(drawn).toContain('10/10');
      expect(drawn.endsWith('\r\x1b[2K')).toBe(true);
      drawn = '';
      await cli([GOLDEN], { bar });
      expect(drawn).toBe('');
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });

  it('ends quietly when the reader of stdout goes away (| head), and throws any other write error', () => {
    let exits = 0;
    const listener = onBrokenPipe(() => exits++);
    listener(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toBe(1);
    expect(() => listener(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toThrow('disk full');
    expect(exits).toBe(1);
  });
});

describe('npm run replay (the script in a process of its own, once)', { timeout: 60_000 }, () => {
  it('wires arguments, stdout, stderr, JUnit and the exit code to runReplayCli', async () => {
    const dir = cliFolder();
    try {
      const junit = join(dir, 'report.xml');
      const outcome = await execFileAsync(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', dir, '--junit', junit], { cwd: ROOT }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
      );
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toBe('');
      const lines = outcome.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`PASS ${join(dir, 'a-golden.transcript')} (5 turns)`);
      expect(lines[1]).toBe(`FAIL ${join(dir, 'b-altered.transcript')} (turn 4 of 5 differs)`);
      expect(lines.at(-1)).toBe('1 passed, 2 failed');
      expect(readFileSync(junit, 'utf8')).toContain('tests="3" failures="1" errors="1"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
