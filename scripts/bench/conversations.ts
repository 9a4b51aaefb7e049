/**
 * The conversations the HTTP benchmark sends: the customer's side of every golden transcript in
 * test/transcripts (both languages: buttons as card `value`s, typed text, back, start over,
 * switching language, ticket status), plus a typed copy of each golden path in which every
 * button press is sent as the text on the button, without its `value` (what a customer typing
 * the answer sends; the bot reads it through its step words and the classifier).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One customer activity, without the ids and addresses each conversation gets of its own. */
export interface TurnTemplate {
  readonly type: string;
  readonly locale?: string;
  readonly text?: string;
  readonly value?: unknown;
  readonly membersAdded?: readonly { id: string; name?: string }[];
}

export interface ConversationTemplate {
  readonly name: string;
  readonly turns: readonly TurnTemplate[];
}

interface RecordedActivity extends TurnTemplate {
  readonly from?: { role?: string };
}

export function loadConversations(dir = 'test/transcripts'): ConversationTemplate[] {
  const out: ConversationTemplate[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.transcript')).sort()) {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedActivity[] | { transcript: RecordedActivity[] };
    const activities = Array.isArray(raw) ? raw : raw.transcript;
    const turns: TurnTemplate[] = activities
      .filter((a) => a.from?.role !== 'bot')
      .map((a) => ({ type: a.type, locale: a.locale, text: a.text, value: a.value, membersAdded: a.type === 'conversationUpdate' ? [{ id: 'user1', name: 'User' }, { id: 'bot', name: 'Bot' }] : undefined }));
    if (turns.length === 0) continue;
    out.push({ name: file, turns });
    const golden = !file.includes('scenario') && !file.startsWith('emulator');
    if (golden) {
      const typed = turns.map((t) => (t.type === 'message' && t.text && t.value !== undefined ? { ...t, value: undefined } : t));
      out.push({ name: `${file} (typed)`, turns: typed });
    }
  }
  if (out.length === 0) throw new Error(`no .transcript files in ${dir}`);
  return out;
}

/** The activity for one turn of conversation `conversationId`. */
export function activityFor(turn: TurnTemplate, conversationId: string, serviceUrl: string): Record<string, unknown> {
  return {
    type: turn.type,
    id: `${conversationId}-${Math.random().toString(36).slice(2, 10)}`,
    timestamp: new Date().toISOString(),
    channelId: 'emulator',
    serviceUrl,
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
    from: { id: `u-${conversationId}`, name: 'User', role: 'user' },
    recipient: { id: 'bot', name: 'Bot', role: 'bot' },
    locale: turn.locale,
    ...(turn.text !== undefined ? { text: turn.text } : {}),
    ...(turn.value !== undefined ? { value: turn.value } : {}),
    ...(turn.membersAdded ? { membersAdded: turn.membersAdded.map((m) => (m.id === 'user1' ? { id: `u-${conversationId}`, name: 'User' } : m)) } : {}),
  };
}
