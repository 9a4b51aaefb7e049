import type { Activity } from 'botbuilder';
import { canonicalJson, type ComparableAction, type ComparableReply } from './comparable.js';

export interface TurnDiffInput {
  readonly turn: number;
  readonly turns: number;
  readonly input: Partial<Activity>;
  readonly expected: readonly ComparableReply[];
  readonly actual: readonly ComparableReply[];
  /** Display columns per side (default 60). */
  readonly width?: number;
}

/**
 * A readable side-by-side view of one turn: what the customer sent, then the recorded replies on
 * the left and the current bot's on the right, reply by reply, with `≠` on the lines that differ.
 */
export function formatTurnDiff(d: TurnDiffInput): string {
  const width = d.width ?? 60;
  const rows: string[] = [`turn ${d.turn} of ${d.turns}: customer sent ${visible(describeInput(d.input))}`];
  rows.push(`  ${pad('expected (recorded)', width)} │ current bot`);
  rows.push(`  ${'─'.repeat(width)}─┼─${'─'.repeat(width)}`);
  const count = Math.max(d.expected.length, d.actual.length);
  for (let i = 0; i < count; i++) {
    const left = d.expected[i] ? replyLines(d.expected[i]!, i) : [`#${i + 1} (no reply)`];
    const right = d.actual[i] ? replyLines(d.actual[i]!, i) : [`#${i + 1} (no reply)`];
    const lines = Math.max(left.length, right.length);
    for (let j = 0; j < lines; j++) {
      const l = left[j] ?? '';
      const r = right[j] ?? '';
      const mark = l === r ? ' ' : '≠';
      const lw = wrap(l, width);
      const rw = wrap(r, width);
      for (let k = 0; k < Math.max(lw.length, rw.length); k++) {
        rows.push(`${k === 0 ? mark : ' '} ${pad(lw[k] ?? '', width)} │ ${rw[k] ?? ''}`.trimEnd());
      }
    }
  }
  return rows.join('\n');
}

/**
 * Control characters shown as escapes (`\x1b`): a recorded text must not move the cursor, clear
 * the screen or colour the terminal of whoever reads the diff. Tabs count too, they break the columns.
 */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line per visible part of a reply, so the same part lines up on both sides. */
function replyLines(reply: ComparableReply, index: number): string[] {
  return rawReplyLines(reply, index).map(visible);
}

function rawReplyLines(reply: ComparableReply, index: number): string[] {
  const lines = [`#${index + 1} ${reply.type}`];
  for (const line of (reply.text ?? '').split('\n')) if (reply.text !== undefined) lines.push(`  text: ${line}`);
  for (const a of reply.suggestedActions ?? []) lines.push(`  button: ${describeAction(a)}`);
  for (const att of reply.attachments ?? []) {
    lines.push(`  attachment: ${att.contentType}`);
    for (const t of att.text ?? []) for (const line of t.split('\n')) lines.push(`    card text: ${line}`);
    for (const a of att.actions ?? []) lines.push(`    card action: ${describeAction(a)}`);
  }
  return lines;
}

function describeAction(a: ComparableAction): string {
  return a.value === undefined ? `[${a.title}]` : `[${a.title}] ${canonicalJson(a.value)}`;
}

/** A short description of the customer's activity: type, text and button value. */
export function describeInput(input: Partial<Activity>): string {
  const parts = [input.type ?? 'activity'];
  if (typeof input.text === 'string' && input.text !== '') parts.push(JSON.stringify(input.text));
  if (input.value !== undefined) parts.push(`value ${canonicalJson(input.value)}`);
  if (input.membersAdded?.length) parts.push(`membersAdded ${input.membersAdded.map((m) => m.id).join(', ')}`);
  return parts.join(' ');
}

/** Terminal columns of one code point: East Asian wide and emoji take two. */
function columns(cp: number): number {
  if (cp < 0x1100) return 1;
  const wide =
    cp <= 0x115f ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += columns(ch.codePointAt(0)!);
  return w;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Splits a line into pieces of at most `width` columns (continuations indented). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    const cw = columns(ch.codePointAt(0)!);
    if (w + cw > width) {
      out.push(line);
      line = '    ';
      w = 4;
    }
    line += ch;
    w += cw;
  }
  out.push(line);
  return out;
}
