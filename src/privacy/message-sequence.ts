/**
 * Redaction across message boundaries. Customers split what they type: "123" then "456", six
 * words of a recovery phrase then six more, "my password is" then the password. Each message is
 * redacted as it arrives (nothing can go back and fix what is already stored), so the rules are:
 *
 * 1. A message that can only be the first part of a secret is redacted on its own: a message of
 *    nothing but 3–5 digits (no 2FA code is that short, so it is a half, or a PIN), unless the bot
 *    has just asked for digits that are not secret (the phone's last four) or it is a year; a
 *    code label followed by 3–5 digits at the end ("the code is 123"); a message of nothing but
 *    6–11 recovery-phrase words, or 4–11 of them after a phrase label.
 * 2. What the previous message leaves open is remembered as a {@link SequenceHint}: counts and a
 *    flag, never the text. The next message is read with it: its leading digits when the two
 *    together make 6–8; its leading list words when the two together make 12 or more; its first
 *    line when the previous message announced a password ("my password is").
 *
 * A hint lasts one message. Two digits typed alone ("12", a menu choice) are kept: two digits
 * of a code that expires within a minute are worth less than a customer's readable answer.
 */
import { announcesPassword, passwordMessageSpan } from './password-labels.js';
import { isPlausibleDate } from './protected-spans.js';
import { redactionMarker, redactSecrets, type RedactionResult, type SecretKind } from './redact.js';
import { listedWordEdges } from './seed-phrase.js';
import { foldForDetection, replaceSpans, type TextSpan } from './text-spans.js';

/** What the previous message left open; counts and flags only, so it is safe to store. */
export interface SequenceHint {
  /** Digits of a possible first part of a code at the end of the previous message. */
  readonly codeDigits?: number;
  /** Recovery-phrase words at the end of the previous message. */
  readonly seedWords?: number;
  /** The previous message ended with a password label and no value. */
  readonly passwordNext?: boolean;
}

export interface SequenceOptions {
  /** The bot asked for digits that are not a secret (the phone's last four): a bare number is an answer. */
  readonly digitsExpected?: boolean;
}

export interface SequenceResult extends RedactionResult {
  /** What this message leaves open for the next one (empty when nothing). */
  readonly hint: SequenceHint;
}

const DIGIT_RUN = String.raw`[0-9](?:[ \-.]?[0-9])*`;
const BARE_DIGITS = new RegExp(`^\\s*(${DIGIT_RUN})\\s*[.。]?\\s*$`, 'u');
const LEADING_DIGITS = new RegExp(`^\\s*(${DIGIT_RUN})(?![0-9A-Za-z])`, 'u');
/** "code is 123", "コードは 123": a code label, then a short number that ends the message. */
const LABELLED_TAIL = new RegExp(
  `(?<!(?:error|status|area|zip|postal|post|country|promo|referral|invite|エラー|ステータス|郵便|国|招待|紹介)\\s?)` +
    `(?:code|otp|token|コード|認証番号|確認番号|ワンタイムパスワード)\\s*(?:is|was|:|=|は|が|、)?\\s*(${DIGIT_RUN})\\s*[.。…]*$`,
  'iu',
);
/** "recovery phrase:", "シードフレーズは": what may precede the first words of a phrase. */
const PHRASE_LABEL =
  /(?:phrase|seed|mnemonic|words|recovery|backup|フレーズ|シード|ニーモニック|単語|復元|リカバリー|バックアップ)\s*(?:is|are|was|:|=|は|が|、)?\s*$/iu;

/** Redacts `text` like {@link redactSecrets}, reading it as the message after one that left `previous` open. */
export function redactInSequence(text: string, previous: SequenceHint | undefined, options: SequenceOptions = {}): SequenceResult {
  const folded = foldForDetection(text);
  const f = folded.text;
  const spans: TextSpan<SecretKind>[] = [];
  const add = (start: number, end: number, kind: SecretKind) => spans.push({ start, end, kind });
  const edges = listedWordEdges(f);
  const digits = (s: string) => s.replace(/[^0-9]/gu, '').length;

  // Continuations of what the previous message left open.
  if (previous?.passwordNext) {
    const span = passwordMessageSpan(f);
    if (span) add(span.start, span.end, 'password');
  }
  const lead = LEADING_DIGITS.exec(f);
  if (previous?.codeDigits && lead?.[1]) {
    const total = previous.codeDigits + digits(lead[1]);
    if (total >= 6 && total <= 8) add(lead.index + lead[0].length - lead[1].length, lead.index + lead[0].length, 'otp');
  }
  if (previous?.seedWords && edges.leading.words > 0 && previous.seedWords + edges.leading.words >= 12) {
    add(f.search(/\S/u), edges.leading.end, 'seed_phrase');
  }

  // First parts that stand alone.
  const bare = BARE_DIGITS.exec(f);
  const bareDigits = bare?.[1] ? digits(bare[1]) : 0;
  const bareIsAnswer = options.digitsExpected === true || (bareDigits === 4 && isYear(bare?.[1] ?? ''));
  if (bare?.[1] && bareDigits >= 3 && bareDigits <= 5 && !bareIsAnswer) {
    const start = f.indexOf(bare[1]);
    add(start, start + bare[1].length, 'otp');
  }
  const tail = LABELLED_TAIL.exec(f);
  const tailDigits = tail?.[1] ? digits(tail[1]) : 0;
  if (tail?.[1] && tailDigits >= 3 && tailDigits <= 5) {
    const end = f.replace(/[\s.。…]*$/u, '').length;
    add(end - tail[1].length, end, 'otp');
  }
  const phraseStart = edges.trailing.start;
  const labelled = PHRASE_LABEL.test(f.slice(0, phraseStart));
  if ((edges.whole && edges.leading.words >= 6) || (labelled && edges.trailing.words >= 4)) {
    add(edges.whole ? f.search(/\S/u) : phraseStart, f.replace(/[\s.。]*$/u, '').length, 'seed_phrase');
  }

  const back = folded.original;
  const marked = replaceSpans(text, spans.map((s) => ({ ...s, start: back(s.start), end: back(s.end) })), (s) => redactionMarker(s.kind));
  const rest = redactSecrets(marked);
  const found = [...new Set([...spans.map((s) => s.kind), ...rest.found])];

  const hint: { -readonly [K in keyof SequenceHint]: SequenceHint[K] } = {};
  const open = bare?.[1] && !bareIsAnswer ? bareDigits : tailDigits;
  if (open > 0 && open < 6) hint.codeDigits = open;
  else if (previous?.codeDigits && bare?.[1] && !bareIsAnswer && previous.codeDigits + bareDigits < 6) {
    hint.codeDigits = previous.codeDigits + bareDigits;
  }
  const trailingWords = edges.whole ? edges.leading.words + (previous?.seedWords ?? 0) : edges.trailing.words;
  if (trailingWords >= 4 && (edges.whole || labelled || edges.trailing.words >= 4)) hint.seedWords = trailingWords;
  if (announcesPassword(f)) hint.passwordNext = true;
  return { text: rest.text, found, hint };
}

function isYear(digits: string): boolean {
  return /^(?:19|20)[0-9]{2}$/u.test(digits) && isPlausibleDate(Number(digits), 1, 1);
}
