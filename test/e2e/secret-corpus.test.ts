/**
 * Issue 12, "Secrets on disk", measured: the whole secret corpus (test/privacy/corpus) is sent to
 * the running app, over HTTP (/api/messages, expectReplies) and over the local web chat's Direct
 * Line routes; messages of one case go one after another in one conversation; field cases put
 * the secret where a crafted client would (localTimezone, channelData, entities, from.name,
 * a button value with an extra key, an attachment's name, replyToId). Then the SQLite files (the
 * database, the transcripts' file beside it, and their WALs) are read as raw bytes, and the log
 * output as text: no secret may be in either. The
 * phone's last four digits, typed when the bot asks for them, must still reach the ticket.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fieldsFor, SECRET_CASES, type SecretCase } from '../privacy/corpus/secrets.js';
import { containsStandalone, memoryLogger, needles, rawDatabaseBytes, tempDatabaseFile } from './support/evidence.js';
import { transcriptsFileOf } from '../../src/transcripts/index.js';
import { DirectLineCustomer, TEST_DIRECTLINE_SECRET } from './support/running-app.js';

const LOCALE = { ja: 'ja-JP', en: 'en-US' } as const;

/** Conversation ids in letters: a digit in an id would match a short fragment of the corpus. */
const letters = (i: number) => [...i.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('');

const TEXT_EDGE = new Set([...'" \n.,'].map((c) => c.charCodeAt(0)));

/**
 * A short fragment ("157") written as text: between quotes, spaces or punctuation on both sides.
 * Three random bytes of a B-tree page match a three-digit string far too often to count those.
 */
function containsAsText(haystack: Buffer, needle: Buffer): boolean {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (TEXT_EDGE.has(haystack[at - 1] ?? 0) && TEXT_EDGE.has(haystack[at + needle.length] ?? 0)) return true;
  }
  return false;
}

describe('the secret corpus through the running app (issue 12)', () => {
  const { file, remove } = tempDatabaseFile('e2e-corpus-');
  const log = memoryLogger();
  let app: App;
  let baseUrl = '';
  const statuses: number[] = [];
  let bytes: Buffer;
  let walBytes = 0;
  /** The transcripts' own file and its WAL, read after closing: where the transcript rows are. */
  let transcriptBytes: Buffer;
  let logText = '';
  let phoneTicketRows = '';

  async function post(c: Pick<SecretCase, 'lang' | 'field'>, i: number, message: string, n: number, channelId = 'emulator'): Promise<void> {
    const from = { id: `corpus-user-${letters(i)}`, role: 'user' };
    const res = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `corpus-${letters(i)}-${letters(n)}`,
        channelId,
        serviceUrl: 'http://127.0.0.1:1',
        deliveryMode: 'expectReplies',
        conversation: { id: `corpus-${letters(i)}` },
        from,
        recipient: { id: 'bot', role: 'bot' },
        locale: LOCALE[c.lang],
        timestamp: new Date().toISOString(),
        ...fieldsFor(c.field, message, from),
      }),
    });
    await res.text();
    statuses.push(res.status);
  }

  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'trace', DATABASE_FILE: file, DIRECTLINE_SECRET: TEST_DIRECTLINE_SECRET });
    app = createApp(config, log.logger);
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    // Bot Framework channel: every case, eight conversations at a time, messages of a case in order.
    const queue = SECRET_CASES.map((c, i) => ({ c, i }));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          for (const [n, m] of next.c.messages.entries()) await post(next.c, next.i, m, n);
        }
      }),
    );
    // Local web chat: the multi-message cases and the channelData cases again, through Direct Line.
    for (const c of SECRET_CASES.filter((s) => s.messages.length > 1 || s.field === 'channelData' || s.field === 'fromName')) {
      const customer = new DirectLineCustomer(baseUrl, c.lang);
      await customer.start();
      for (const m of c.messages) {
        const fields = fieldsFor(c.field, m, { id: customer.userId, role: 'user' });
        await customer.post(fields);
      }
    }
    // The phone's last four digits, typed when the identity questions ask for them.
    // (A channel without cards, so they are asked one at a time.)
    // "agent" offers the support contact or the procedure, and the answers end with the summary's "Confirm" (issue 15).
    const answers = ['agent', 'Start the procedure', 'corpus.phone@example.com', 'Hana Corpus', '1980-02-03', '7391', 'My phone broke.', 'Confirm'];
    for (const [n, answer] of answers.entries()) await post({ lang: 'en', field: 'text' }, 100_000, answer, n, 'test');

    app.transcripts.flush();
    walBytes = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0;
    // Raw bytes of the databases and their write-ahead logs as they are now (before any checkpoint)…
    bytes = rawDatabaseBytes(file);
    phoneTicketRows = JSON.stringify(app.db.prepare("SELECT * FROM tickets WHERE claims LIKE '%corpus.phone%'").all());
    await app.close();
    // …and after closing, when SQLite has moved the log into the file.
    bytes = Buffer.concat([bytes, rawDatabaseBytes(file)]);
    const transcripts = transcriptsFileOf(file);
    transcriptBytes = Buffer.concat([transcripts, `${transcripts}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    logText = log.output().replace(/"time":\d+/g, '"time":0');
  }, 120_000);
  afterAll(() => remove());

  it('the evidence is real: turns were answered, the WAL and the file hold them, the log has lines', () => {
    expect(statuses.length).toBeGreaterThanOrEqual(SECRET_CASES.length);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(SECRET_CASES.length);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expect(walBytes).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from('[redacted:otp]'))).toBe(true);
    expect(bytes.includes(Buffer.from('[redacted:password]'))).toBe(true);
    expect(bytes.includes(Buffer.from('[redacted:seed_phrase]'))).toBe(true);
    // The transcripts were written, into their own file, masked: the byte checks below read them.
    for (const marker of ['[redacted:otp]', '[redacted:password]', '[redacted:seed_phrase]']) expect(transcriptBytes.includes(Buffer.from(marker)), marker).toBe(true);
    expect(logText.length).toBeGreaterThan(1000);
  });

  it('no secret of the corpus is in the SQLite files or their WALs (raw bytes)', () => {
    const secrets = [...new Set(SECRET_CASES.flatMap((c) => c.secrets))];
    expect(secrets.length).toBeGreaterThanOrEqual(300);
    const leaks = secrets.filter((s) => needles(s).some((n) => (n.length < 5 ? containsAsText(bytes, n) : containsStandalone(bytes, n))));
    expect(leaks).toEqual([]);
  });

  it('no secret of the corpus is in the log output', () => {
    const secrets = SECRET_CASES.flatMap((c) => c.secrets);
    // The same matching as on the database bytes: a short fragment counts where it stands as text
    // of its own, not inside a random id's hex ("…|288f91…").
    const logBytes = Buffer.from(logText);
    const leaks = secrets.filter((s) => needles(s).some((n) => (n.length < 5 ? containsAsText(logBytes, n) : containsStandalone(logBytes, n))));
    expect(leaks).toEqual([]);
  });

  it('keeps the phone digits the identity questions asked for', () => {
    expect(phoneTicketRows).toContain('"phoneLast4\\":\\"7391\\"');
  });
});
