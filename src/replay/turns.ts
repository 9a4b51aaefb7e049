import type { TranscriptActivity } from '../transcripts/index.js';

/** Activity types that say nothing about the bot's behaviour: debugging traces and typing indicators. */
export const NOISE_TYPES: ReadonlySet<string> = new Set(['trace', 'typing']);

/** One thing the customer did and what the bot answered in the recording. */
export interface RecordedTurn {
  /** 1-based, as people count turns. */
  readonly number: number;
  /** The customer's activity, sent again as recorded. */
  readonly input: TranscriptActivity;
  /** The bot's recorded replies that count (noise left out). */
  readonly expected: readonly TranscriptActivity[];
  /** Traces and typing indicators in this turn (the bot's, and the customer's after the input), kept when re-recording. */
  readonly noise: readonly TranscriptActivity[];
  /** How many of `noise` came after the last expected reply (the Emulator's closing trace): re-recording keeps them last. */
  readonly trailingNoise: number;
}

export interface SplitTranscript {
  /** Whatever came before the customer's first activity (proactive messages, typing): not replayable, kept when re-recording. */
  readonly preamble: readonly TranscriptActivity[];
  readonly turns: readonly RecordedTurn[];
  /** The bot's account id in the recording, if it can be told. */
  readonly botId: string | undefined;
}

/**
 * Splits a recorded conversation into turns: each customer activity with the bot activities that
 * follow it. Who is who comes from `from.role` (the Emulator and our exports write it); without
 * it, the bot is the account the customer's activities were addressed to.
 */
export function splitTurns(activities: readonly TranscriptActivity[]): SplitTranscript {
  const botId = findBotId(activities);
  const preamble: TranscriptActivity[] = [];
  const turns: { number: number; input: TranscriptActivity; expected: TranscriptActivity[]; noise: TranscriptActivity[]; trailingNoise: number }[] = [];
  for (const activity of activities) {
    const current = turns[turns.length - 1];
    const noise = NOISE_TYPES.has(activity.type);
    if (isFromBot(activity, botId) && !noise) {
      if (!current) {
        preamble.push(activity);
      } else {
        current.expected.push(activity);
        current.trailingNoise = 0;
      }
    } else if (!noise) {
      turns.push({ number: turns.length + 1, input: activity, expected: [], noise: [], trailingNoise: 0 });
    } else if (current) {
      // Traces, and the customer's typing indicator: not sent again, but `--update` must not lose them.
      current.noise.push(activity);
      if (current.expected.length > 0) current.trailingNoise++;
    } else {
      preamble.push(activity);
    }
  }
  return { preamble, turns, botId };
}

/** True for an activity the bot sent. */
export function isFromBot(activity: TranscriptActivity, botId: string | undefined): boolean {
  const role = activity.from?.role;
  if (role === 'bot' || role === 'skill') return true;
  if (role === 'user') return false;
  return botId !== undefined && activity.from?.id === botId;
}

function findBotId(activities: readonly TranscriptActivity[]): string | undefined {
  for (const a of activities) if (a.from?.role === 'bot' && a.from.id) return a.from.id;
  for (const a of activities) if (a.from?.role === 'user' && a.recipient?.id) return a.recipient.id;
  // No roles at all: the first activity is the customer's, addressed to the bot.
  return activities[0]?.recipient?.id;
}
