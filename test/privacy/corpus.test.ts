/**
 * Issue 12's measurement at the redactor: every text case of the secret corpus, message after
 * message with what each leaves open for the next, loses all its secrets; every ordinary message
 * is kept exactly. The rates are printed for the report (the e2e test checks the stored bytes).
 */
import { describe, expect, it } from 'vitest';
import { redactInSequence, type SequenceHint } from '../../src/privacy/message-sequence.js';
import { DIGITS_WHEN_ASKED, ORDINARY_MESSAGES } from './corpus/ordinary.js';
import { SECRET_CASES, type SecretCase } from './corpus/secrets.js';

function run(c: SecretCase): string[] {
  let hint: SequenceHint | undefined;
  return c.messages.map((m) => {
    const r = redactInSequence(m, hint);
    hint = r.hint;
    return r.text;
  });
}

const leaks = (c: SecretCase, out: readonly string[]) =>
  c.secrets.filter((s) => out.some((t) => t.includes(s) || t.normalize('NFKC').includes(s.normalize('NFKC'))));

describe('secret corpus (issue 12)', () => {
  it('has at least 200 cases in both languages, with sequences and client-filled fields', () => {
    expect(SECRET_CASES.length).toBeGreaterThanOrEqual(200);
    expect(SECRET_CASES.filter((c) => c.lang === 'ja').length).toBeGreaterThanOrEqual(100);
    expect(SECRET_CASES.filter((c) => c.lang === 'en').length).toBeGreaterThanOrEqual(100);
    expect(SECRET_CASES.filter((c) => c.messages.length > 1).length).toBeGreaterThanOrEqual(30);
    expect(SECRET_CASES.filter((c) => c.field !== 'text').length).toBeGreaterThanOrEqual(20);
  });

  it('no secret of a text case survives redaction (redaction rate 100%)', () => {
    const text = SECRET_CASES.filter((c) => c.field === 'text');
    const failed = text.map((c) => ({ messages: c.messages, out: run(c), leaked: leaks(c, run(c)) })).filter((r) => r.leaked.length > 0);
    console.info(`secret corpus: ${text.length - failed.length}/${text.length} text cases fully redacted`);
    expect(failed).toEqual([]);
  });
});

describe('ordinary corpus (issue 12)', () => {
  it('keeps every ordinary message exactly (false-positive rate 0%)', () => {
    expect(ORDINARY_MESSAGES.length).toBeGreaterThanOrEqual(100);
    const changed = ORDINARY_MESSAGES.map((m) => ({ m, out: redactInSequence(m, undefined).text })).filter((r) => r.out !== r.m);
    console.info(`ordinary corpus: ${changed.length}/${ORDINARY_MESSAGES.length} messages changed`);
    expect(changed).toEqual([]);
  });

  it('keeps the phone digits the bot asked for, but takes the same bare digits for half a code otherwise', () => {
    for (const digits of DIGITS_WHEN_ASKED) {
      expect(redactInSequence(digits, undefined, { digitsExpected: true }).text).toBe(digits);
      expect(redactInSequence(digits, undefined).text).toBe('[redacted:otp]');
    }
  });

  it('keeps a one- or two-digit answer and a year typed alone', () => {
    for (const m of ['2', '12', '2024', '１']) expect(redactInSequence(m, undefined).text).toBe(m);
  });
});
