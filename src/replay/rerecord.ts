import type { Activity, ChannelAccount } from 'botbuilder';
import type { TranscriptActivity } from '../transcripts/index.js';
import type { SplitTranscript } from './turns.js';

/** Fields the adapter fills in on a reply; a recorded reply takes them from the turn's input instead. */
const ENVELOPE = new Set(['id', 'timestamp', 'localTimestamp', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation', 'replyToId', 'locale']);

/**
 * A reply of the current bot as it would appear in a transcript of the recorded conversation:
 * addressed like the recording (same conversation, channel and accounts), with an id and a
 * timestamp derived from the customer's activity, so re-recording the same behaviour twice
 * writes the same file.
 */
export function asRecordedReply(reply: Partial<Activity>, input: TranscriptActivity, index: number, botId: string | undefined): TranscriptActivity {
  const base = timestampOf(input);
  const bot: Partial<ChannelAccount> = { ...(input.recipient ?? {}), id: input.recipient?.id ?? botId ?? 'bot', role: 'bot' };
  const user: Partial<ChannelAccount> = { id: input.from?.id ?? 'user', role: 'user' };
  if (input.from?.name !== undefined) user.name = input.from.name;
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(reply)) if (!ENVELOPE.has(key) && value !== undefined) content[key] = value;
  const { type, ...rest } = content;
  return {
    type: (type as string | undefined) ?? 'message',
    id: `${input.id ?? 'turn'}-reply-${index + 1}`,
    timestamp: new Date(base + (index + 1) * 10),
    ...(input.channelId !== undefined ? { channelId: input.channelId } : {}),
    ...(input.serviceUrl !== undefined ? { serviceUrl: input.serviceUrl } : {}),
    from: bot as ChannelAccount,
    conversation: input.conversation as Activity['conversation'],
    recipient: user as ChannelAccount,
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.id !== undefined ? { replyToId: input.id } : {}),
    ...rest,
  };
}

/**
 * The recording with its expected replies replaced by `actualTurns` (one list per turn). The
 * customer's activities, the preamble and the traces stay as they were, each before or after the
 * replies as recorded.
 */
export function rerecord(split: SplitTranscript, actualTurns: readonly (readonly Partial<Activity>[])[]): TranscriptActivity[] {
  const out: TranscriptActivity[] = [...split.preamble];
  split.turns.forEach((turn, i) => {
    const leading = turn.noise.length - turn.trailingNoise;
    out.push(turn.input, ...turn.noise.slice(0, leading));
    (actualTurns[i] ?? []).forEach((reply, k) => out.push(asRecordedReply(reply, turn.input, k, split.botId)));
    out.push(...turn.noise.slice(leading));
  });
  return out;
}

function timestampOf(activity: TranscriptActivity): number {
  const ms = activity.timestamp ? new Date(activity.timestamp).getTime() : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}
