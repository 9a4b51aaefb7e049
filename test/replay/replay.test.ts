import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const GOLDEN = join(DIR, 'en--smsNotReceived.notWorked.worked.transcript');
const EMULATOR = join(DIR, 'emulator-en-sms-not-received.transcript');
const run = promisify(execFile);

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
    expect(result).toMatchObject({ passed: true, turns: 4 });
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
    expect(diff.split('\n')[0]).toBe(`turn 3 of 4: customer sent message ${JSON.stringify(pressed.text)} value ${JSON.stringify(pressed.value, ['event', 'step', 't'])}`);
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

describe('npm run replay (CLI)', { timeout: 60_000 }, () => {
  it('prints a line per transcript, ends with "N passed, N failed", exits 1 on a failure and writes JUnit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfa-replay-cli-'));
    const altered = load(GOLDEN);
    replyOfTurn(altered, 4).text = 'Not what the bot says';
    writeFileSync(join(dir, 'b-altered.transcript'), serializeTranscript(altered));
    copyFileSync(GOLDEN, join(dir, 'a-golden.transcript'));
    const junit = join(dir, 'report.xml');
    const outcome = await run(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', dir, '--junit', junit]).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (err: { code: number; stdout: string }) => err,
    );
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(outcome.code).toBe(1);
    expect(lines[0]).toBe(`PASS ${join(dir, 'a-golden.transcript')} (4 turns)`);
    expect(lines[1]).toBe(`FAIL ${join(dir, 'b-altered.transcript')} (turn 4 of 4 differs)`);
    expect(outcome.stdout).toContain('Not what the bot says');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(readFileSync(junit, 'utf8')).toContain('tests="2" failures="1" errors="0"');

    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', GOLDEN]);
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops with exit 2 before replaying on a bad configuration key or a JUnit folder that is not there', async () => {
    const refused = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', GOLDEN, ...args], { env }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (err: { code: number; stdout: string; stderr: string }) => err,
      );
    const badLocale = await refused([], { ...process.env, DEFAULT_LOCALE: 'fr' });
    expect(badLocale.code).toBe(2);
    expect(badLocale.stderr).toMatch(/DEFAULT_LOCALE/);
    expect(badLocale.stdout).toBe('');
    const badJunit = await refused(['--junit', join(tmpdir(), 'no-such-folder-for-replay', 'report.xml')]);
    expect(badJunit.code).toBe(2);
    expect(badJunit.stderr).toMatch(/--junit: no folder/);
    expect(badJunit.stdout).toBe('');
  });
});
