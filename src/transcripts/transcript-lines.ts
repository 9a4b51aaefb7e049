/**
 * A stored (already sanitised) conversation as an agent reads it: who said what, when. Buttons the
 * customer pressed show as their title, cards as their kind; nothing that was redacted comes back.
 */
import type { Activity } from 'botbuilder';

export interface TranscriptLine {
  /** ISO 8601, or `null` when the activity had no time. */
  readonly at: string | null;
  readonly from: 'customer' | 'bot';
  /** The message text; for a card without text, `[card]`; for a button press, the value's title or `[button]`. */
  readonly text: string;
}

/**
 * Reads a conversation's messages (typing indicators, traces and events are left out). The
 * customer is whoever has `customerId` (a ticket's user id): channels do not all set `role`.
 */
export function transcriptLines(activities: readonly Activity[], customerId: string): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const a of activities) {
    if (a.type !== 'message') continue;
    const from = a.from?.id === customerId ? 'customer' : 'bot';
    const at = a.timestamp ? new Date(a.timestamp).toISOString() : null;
    lines.push({ at, from, text: messageText(a) });
  }
  return lines;
}

function messageText(a: Activity): string {
  const parts: string[] = [];
  if (typeof a.text === 'string' && a.text.trim() !== '') parts.push(a.text);
  for (const attachment of a.attachments ?? []) {
    const content = attachment.content as { text?: unknown; title?: unknown } | undefined;
    const text = typeof content?.text === 'string' ? content.text : typeof content?.title === 'string' ? content.title : null;
    parts.push(text ?? '[card]');
  }
  if (parts.length === 0 && a.value !== undefined) parts.push(buttonTitle(a.value));
  return parts.join('\n') || '[empty]';
}

function buttonTitle(value: unknown): string {
  if (value && typeof value === 'object' && 'title' in value && typeof value.title === 'string') return value.title;
  return '[form]';
}
