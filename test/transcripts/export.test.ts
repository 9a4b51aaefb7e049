import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { isAppError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { goldenScripts, recordScript, Replayer } from '../../src/replay/index.js';
import { exportTranscript, parseTranscript, serializeTranscript, SqliteTranscriptStore, type TranscriptActivity } from '../../src/transcripts/index.js';
import { openDatabase } from '../../src/storage/database.js';
import { transcriptMigrations } from '../../src/transcripts/index.js';

const run = promisify(execFile);

describe('.transcript files', () => {
  const activities = [
    { type: 'message', text: 'こんにちは', from: { id: 'u', name: '', role: 'user' } },
    { type: 'message', text: 'Hello', from: { id: 'b', name: '', role: 'bot' } },
  ] as TranscriptActivity[];

  it('reads a flat array, an object with a transcript array, a byte order mark and CRLF line ends', () => {
    const flat = JSON.stringify(activities);
    expect(parseTranscript(flat)).toEqual(activities);
    expect(parseTranscript(JSON.stringify({ transcript: activities }))).toEqual(activities);
    expect(parseTranscript(`\ufeff${JSON.stringify(activities, null, 2).replace(/\n/g, '\r\n')}`)).toEqual(activities);
  });

  it('writes a flat, pretty-printed UTF-8 array that reads back the same', () => {
    const text = serializeTranscript(activities);
    expect(text.startsWith('[\n  {')).toBe(true);
    expect(text).toContain('こんにちは');
    expect(parseTranscript(text)).toEqual(activities);
  });

  it('refuses what is not a transcript, naming the file and the activity', () => {
    const messageOf = (text: string) => {
      try {
        parseTranscript(text, 'x.transcript');
        return 'accepted';
      } catch (err) {
        return isAppError(err) ? `${err.code}: ${err.message}` : String(err);
      }
    };
    expect(messageOf('not json')).toMatch(/^invalid_input: x\.transcript: not JSON/);
    expect(messageOf('{"activities": []}')).toMatch(/expected an array of activities/);
    expect(messageOf('[{"type":"message"},{"text":"no type"}]')).toMatch(/x\.transcript: activity 1 has no "type"/);
    expect(messageOf('[1]')).toMatch(/item 0 is not an activity/);
  });
});

describe('export from the store', () => {
  it('names the channels of an ambiguous conversation id and reports an unknown one', async () => {
    const store = new SqliteTranscriptStore(openDatabase(':memory:', transcriptMigrations));
    for (const channelId of ['webchat', 'emulator']) {
      await store.logActivity({ type: 'message', channelId, conversation: { id: 'c1' }, from: { id: 'u' }, timestamp: new Date() } as never);
    }
    await expect(exportTranscript(store, 'c1')).rejects.toThrow(/several channels \(emulator, webchat\)/);
    expect((await exportTranscript(store, 'c1', 'webchat')).activities).toHaveLength(1);
    await expect(exportTranscript(store, 'c2')).rejects.toMatchObject({ code: 'not_found' });
    await expect(exportTranscript(store, 'c1', 'msteams')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('round trip: a recorded conversation, exported from the store, replays green against the bot', async () => {
    const recorder = Replayer.create();
    const scripts = goldenScripts().filter((s) =>
      ['en--changeMethod.sms.app.worked', 'ja--lockout.yes', 'en--scenario-switch-language', 'ja--scenario-typed-answers'].includes(s.name),
    );
    expect(scripts).toHaveLength(4);
    for (const script of scripts) await recordScript(recorder, script);
    const store = recorder.services.transcripts;
    const replayer = Replayer.create();
    for (const summary of store.summaries()) {
      const exported = await exportTranscript(store, summary.conversationId, summary.channelId);
      const file = parseTranscript(serializeTranscript(exported.activities));
      const result = await replayer.replay(file, summary.conversationId);
      expect(result.difference?.diff ?? result.error, summary.conversationId).toBeUndefined();
      expect(result.passed).toBe(true);
      expect(result.turns).toBeGreaterThan(2);
    }
    expect(store.summaries()).toHaveLength(4);
    recorder.close();
    replayer.close();
  });
});

// Each case starts node with tsx (about 2 s, more on a busy machine).
describe('npm run transcripts (CLI)', { timeout: 60_000 }, () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let conversationId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfa-transcripts-cli-'));
    env = { ...process.env, DATABASE_FILE: join(dir, 'bot.sqlite'), LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    const services = createBotServices(loadConfig({ DATABASE_FILE: env['DATABASE_FILE']!, LOG_LEVEL: 'silent' }), silentLogger);
    const replayer = new Replayer(services);
    const script = goldenScripts().find((s) => s.name === 'en--lockout.yes')!;
    await recordScript(replayer, script);
    conversationId = services.transcripts.summaries()[0]!.conversationId;
    services.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/transcripts.ts', ...args], { env, cwd: process.cwd() }).catch(
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

  it('lists conversation id, channel, first and last activity time and count', async () => {
    const { stdout } = await cli('list');
    const [header, row] = stdout.trim().split('\n');
    expect(header).toMatch(/^CONVERSATION\s+CHANNEL\s+FIRST ACTIVITY\s+LAST ACTIVITY\s+ACTIVITIES$/);
    expect(row).toMatch(new RegExp(`^${conversationId}\\s+emulator\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+\\d+$`));
  });

  it('exports a conversation to a .transcript file, and an unknown one exits 1', async () => {
    const out = join(dir, 'export.transcript');
    await cli('export', conversationId, '--out', out);
    const activities = parseTranscript(readFileSync(out, 'utf8'));
    expect(activities[0]).toMatchObject({ type: 'conversationUpdate', channelId: 'emulator', from: { role: 'user' } });
    expect(activities.some((a) => a.from?.role === 'bot' && a.type === 'message')).toBe(true);
    const missing = (await cli('export', 'no-such-conversation')) as { code: number; stderr: string };
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no transcript for conversation no-such-conversation/);
  });

  it('refuses an empty or non-numeric --days without deleting anything, and a database file that is not there', async () => {
    for (const days of ['--days=', '--days=1e1', '--days=-1']) {
      const refused = (await cli('purge', days)) as { code: number; stderr: string };
      expect(refused.code, days).toBe(2);
      expect(refused.stderr).toMatch(/--days must be a whole number of days/);
    }
    expect((await cli('list')).stdout).toContain(conversationId);
    const missing = (await run(process.execPath, ['--import', 'tsx', 'scripts/transcripts.ts', 'list'], {
      env: { ...env, DATABASE_FILE: join(dir, 'typo', 'bot.sqlite') },
      cwd: process.cwd(),
    }).catch((err: { code: number; stderr: string }) => err)) as { code: number; stderr: string };
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at .*typo/);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('purges by the retention period', async () => {
    const { stdout } = await cli('purge', '--days', '0');
    expect(stdout).toMatch(/^deleted \d+ activities older than .+ \(0 days\); 1 transcripts removed entirely$/m);
    expect((await cli('list')).stdout).toBe('no transcripts\n');
  });
});
