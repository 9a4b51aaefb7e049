/**
 * Issue 3, "Secrets never stored": secret-looking messages sent in chat at the main menu, inside
 * troubleshooting steps, as identity answers and inside the identity card. Each time the customer
 * is warned in their language; afterwards none of the secrets is anywhere in the SQLite file's
 * bytes (database and WAL, after a checkpoint) nor in anything the logger wrote. E-mail
 * addresses and phone numbers are kept only in the ticket's identity claims.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transcriptsFileOf } from '../../src/transcripts/index.js';
import { BotHarness } from '../helpers/bot-harness.js';
import { adaptiveCardOf, cardReasons, Customer, textOf, TICKET_ID, type Lang } from './support/customer.js';
import { containsStandalone, memoryLogger, needles, rowsAsText, tempDatabaseFile } from './support/evidence.js';
import { SECRET_WARNING } from './support/scenarios.js';

interface Sample {
  readonly lang: Lang;
  readonly text: string;
  /** Substrings that must never be stored or logged (as typed and width-normalised). */
  readonly secrets: readonly string[];
}

const SEED_12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const SEED_24 =
  'abandon ability able about above absent absorb abstract absurd abuse access accident account accuse achieve acid acoustic acquire across act action actor actress actual';
const SEED_JA = 'おきる　とおす　のばす　ひやす　あいさつ　ねんきん　しうち　しゃっきん　おさない　ぼうぎょ　らいう　やっと';

/** Sent at the main menu (each in a conversation of its own). */
const MENU_SAMPLES: readonly Sample[] = [
  { lang: 'en', text: '837261', secrets: ['837261'] },
  { lang: 'ja', text: '８３７２６２', secrets: ['８３７２６２', '837262'] },
  { lang: 'ja', text: 'コードは 483 920 です', secrets: ['483 920', '483920'] },
  { lang: 'en', text: 'the 8 digit code 40718263 failed', secrets: ['40718263'] },
  { lang: 'en', text: 'Authenticator shows 5061 7384', secrets: ['5061 7384', '50617384'] },
  { lang: 'ja', text: '認証コード 7 2 9 1 5 3 が通りません', secrets: ['7 2 9 1 5 3', '729153'] },
  { lang: 'en', text: 'my setup key is JBSWY3DPEHPK3PXP', secrets: ['JBSWY3DPEHPK3PXP'] },
  { lang: 'ja', text: 'セットアップキーは gezd gnbv gy3t qojq です', secrets: ['gezd gnbv gy3t qojq', 'GEZDGNBVGY3TQOJQ', 'gezdgnbvgy3tqojq'] },
  {
    lang: 'en',
    text: 'otpauth://totp/Exchange:jane?secret=KRUGKIDROVUWG2ZA&issuer=Exchange',
    secrets: ['otpauth://totp/Exchange:jane', 'KRUGKIDROVUWG2ZA'],
  },
  { lang: 'ja', text: 'QRの中身は otpauth://totp/GMO:taro?secret=MFRGGZDFMZTWQ2LK&issuer=GMO でした', secrets: ['otpauth://totp/GMO', 'MFRGGZDFMZTWQ2LK'] },
  { lang: 'en', text: `my recovery phrase is ${SEED_12}`, secrets: [SEED_12, 'sausage worth useful'] },
  { lang: 'en', text: SEED_24, secrets: [SEED_24, 'absurd abuse access accident'] },
  { lang: 'ja', text: `復元フレーズは ${SEED_JA} です`, secrets: [SEED_JA, 'ねんきん　しうち　しゃっきん'] },
  { lang: 'en', text: 'password: Hunter2!xyz', secrets: ['Hunter2!xyz'] },
  { lang: 'en', text: 'my password is Sakura#2024 and it stopped working', secrets: ['Sakura#2024'] },
  { lang: 'ja', text: 'パスワードは tanuki8823 です', secrets: ['tanuki8823'] },
  { lang: 'ja', text: 'パスワード：Kitsune!55', secrets: ['Kitsune!55'] },
];

/** Typed inside a troubleshooting step (the code-rejected checks). */
const STEP_SAMPLES: readonly Sample[] = [
  { lang: 'en', text: "the code 648213 doesn't work", secrets: ['648213'] },
  { lang: 'ja', text: 'コードは６４８２１４です', secrets: ['６４８２１４', '648214'] },
  { lang: 'en', text: 'I re-entered the key JBSWY3DPEHPK3PXQ and still nothing', secrets: ['JBSWY3DPEHPK3PXQ'] },
  { lang: 'ja', text: 'パスワードは usagi7741 で合っています', secrets: ['usagi7741'] },
];

const STEPS_EMAIL = 'secret.steps@example.com';
const CARD_EMAIL = 'secret.card@example.net';
const PHONE = '090-3141-5926';

describe('secret-looking messages through the chat', () => {
  const { file, remove } = tempDatabaseFile('e2e-secrets-');
  const log = memoryLogger();
  const warnings: { where: string; lang: Lang; replies: string }[] = [];
  const allSecrets: string[] = [];
  const tickets: string[] = [];
  let bytes: Buffer;
  let logText: string;
  let transcriptRows: string[];
  let stateRows: string[];
  let ticketRows: string[];

  const harnessFor = (channelId: string) => new BotHarness({ databaseFile: file, channelId, logger: log.logger });

  function record(where: string, c: Customer, sample?: Sample): void {
    warnings.push({ where, lang: c.lang, replies: textOf(c.last) });
    if (sample) allSecrets.push(...sample.secrets);
  }

  beforeAll(async () => {
    // Step-by-step channel: the menu, steps and identity questions.
    const steps = harnessFor('test');
    for (const [i, sample] of MENU_SAMPLES.entries()) {
      const c = new Customer(steps, sample.lang, { userId: `menu-user-${i}`, conversationId: `menu-${i}` });
      await c.join();
      await c.say(sample.text);
      record(`menu: ${sample.text}`, c, sample);
    }
    for (const [i, sample] of STEP_SAMPLES.entries()) {
      const c = new Customer(steps, sample.lang, { userId: `step-user-${i}`, conversationId: `step-${i}` });
      await c.join();
      await c.pressOption('codeRejected');
      await c.say(sample.text);
      record(`step: ${sample.text}`, c, sample);
    }
    {
      const c = new Customer(steps, 'en', { userId: 'identity-user', conversationId: 'identity-steps' });
      await c.join();
      await c.say('agent');
      await c.startIfAsked();
      const fieldSamples: Sample[] = [
        { lang: 'en', text: 'otpauth://totp/Exchange:me?secret=NBSWY3DPO5XXE3DE', secrets: ['NBSWY3DPO5XXE3DE', 'otpauth://totp/Exchange:me'] },
        { lang: 'en', text: 'crack provide boring hello fit chair canvas such suit mosquito myself vehicle', secrets: ['crack provide boring hello fit chair canvas such suit mosquito myself vehicle', 'canvas such suit'] },
        { lang: 'en', text: '902714', secrets: ['902714'] },
      ];
      // e-mail, name and date of birth each get a secret first (warned, asked again), then the real answer.
      const real = [STEPS_EMAIL, 'Kenji Mori', '1970-07-07'];
      for (const [i, sample] of fieldSamples.entries()) {
        await c.say(sample.text);
        record(`identity field ${i}: ${sample.text}`, c, sample);
        await c.say(real[i]!);
      }
      await c.say('5830 1927');
      record('identity phone digits: 5830 1927', c, { lang: 'en', text: '', secrets: ['5830 1927', '58301927'] });
      await c.say('1927');
      const description = `password: Tr0ub4dor&3 and the code 771204 failed; call me on ${PHONE}`;
      await c.say(description);
      record(`identity description: ${description}`, c, { lang: 'en', text: description, secrets: ['Tr0ub4dor&3', '771204'] });
      await c.confirmIfAsked();
      const id = TICKET_ID.exec(textOf(c.last))?.[0];
      expect(id, textOf(c.last)).toBeDefined();
      tickets.push(id!);
    }
    steps.close();

    // Card channel: secrets inside the submitted card.
    const cards = harnessFor('webchat');
    {
      const c = new Customer(cards, 'ja', { userId: 'card-user', conversationId: 'identity-card' });
      await c.join();
      await c.say('担当者');
      await c.startIfAsked();
      const first = {
        email: CARD_EMAIL,
        fullName: 'KZXW6YTBOI2DGNBV',
        dateOfBirth: '1982-03-04',
        phoneLast4: '',
        description: 'QRは otpauth://totp/GMO:hanako?secret=ONSWG4TFOQYTEMZU で、コードは１２３９８７でした',
      };
      await c.submitCard(first);
      record('card (rejected): setup key as name, otpauth and code in description', c, {
        lang: 'ja',
        text: '',
        secrets: ['KZXW6YTBOI2DGNBV', 'ONSWG4TFOQYTEMZU', 'otpauth://totp/GMO:hanako', '１２３９８７', '123987'],
      });
      // The rejected card must not show the secret back either.
      expect(JSON.stringify(adaptiveCardOf(c.last))).not.toContain('KZXW6YTBOI2DGNBV');
      expect(cardReasons(adaptiveCardOf(c.last)!)).toEqual([c.t('identity:errors.fullName.invalid')]);
      const second = { ...first, fullName: '森 花子', description: `パスワードは neko0202 です。連絡先は ${PHONE} です` };
      await c.submitCard(second);
      record('card (accepted): password in description', c, { lang: 'ja', text: '', secrets: ['neko0202'] });
      const id = TICKET_ID.exec(textOf(c.last))?.[0];
      expect(id, textOf(c.last)).toBeDefined();
      tickets.push(id!);
    }
    const ticketsService = cards.services.tickets;
    for (const id of tickets) expect(await ticketsService.get(id)).toBeDefined();
    cards.close();

    // Read what is on disk like an auditor: checkpoint the WALs, then the raw bytes of every file
    // (the main database and the transcripts' own, each with its WAL).
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    stateRows = rowsAsText(db, 'bot_state');
    ticketRows = rowsAsText(db, 'tickets');
    db.close();
    const transcriptsFile = transcriptsFileOf(file);
    const transcriptsDb = new Database(transcriptsFile);
    transcriptsDb.pragma('wal_checkpoint(TRUNCATE)');
    transcriptRows = rowsAsText(transcriptsDb, 'transcript_activities');
    transcriptsDb.close();
    bytes = Buffer.concat([file, `${file}-wal`, transcriptsFile, `${transcriptsFile}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    // pino's epoch-millisecond timestamps are digits that are not customer input.
    logText = log.output().replace(/"time":\d+/g, '"time":0');
  });
  afterAll(() => remove());

  it('the evidence is real: the file holds the tickets and markers, the log holds the turns', () => {
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(STEPS_EMAIL))).toBe(true);
    expect(bytes.includes(Buffer.from('[redacted:otp]'))).toBe(true);
    expect(transcriptRows.length).toBeGreaterThan(20);
    expect(transcriptRows.some((r) => r.includes('[redacted:seed_phrase]'))).toBe(true);
    expect(logText).toContain('handoff ticket');
    expect(log.lines().length).toBeGreaterThan(2);
  });

  it('warns the customer in their language every time', () => {
    expect(warnings.length).toBe(MENU_SAMPLES.length + STEP_SAMPLES.length + 7);
    for (const w of warnings) {
      expect(w.replies, w.where).toContain(SECRET_WARNING[w.lang]);
      expect(w.replies, w.where).not.toContain(SECRET_WARNING[w.lang === 'ja' ? 'en' : 'ja']);
    }
  });

  it('no secret is anywhere in the SQLite files or their WALs', () => {
    expect(allSecrets.length).toBeGreaterThan(40);
    const leaks = allSecrets.filter((s) => needles(s).some((n) => containsStandalone(bytes, n)));
    expect(leaks).toEqual([]);
  });

  it('no secret is in the log output', () => {
    const leaks = allSecrets.filter((s) => [s, s.normalize('NFKC')].some((n) => logText.includes(n)));
    expect(leaks).toEqual([]);
  });

  it('e-mail addresses and phone numbers are kept only in the ticket claims', () => {
    for (const email of [STEPS_EMAIL, CARD_EMAIL]) {
      expect(ticketRows.some((r) => r.includes(email)), `${email} in a ticket`).toBe(true);
      expect(transcriptRows.filter((r) => r.includes(email)), `${email} in transcripts`).toEqual([]);
      expect(stateRows.filter((r) => r.includes(email)), `${email} in bot_state`).toEqual([]);
      expect(logText.includes(email), `${email} in the log`).toBe(false);
    }
    // The full phone number typed into a description is masked even in the claims.
    for (const rows of [ticketRows, transcriptRows, stateRows]) expect(rows.filter((r) => r.includes(PHONE))).toEqual([]);
    expect(logText.includes(PHONE)).toBe(false);
  });

  it('the tickets keep markers where the secrets were', () => {
    const joined = ticketRows.join('\n');
    for (const marker of ['[redacted:password]', '[redacted:otp]']) expect(joined).toContain(marker);
  });
});
