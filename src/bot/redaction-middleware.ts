import type { Activity, Middleware, TurnContext } from 'botbuilder';
import { maskPersonalData, redactionMarkerKinds } from '../privacy/index.js';
import { redactInSequence, type SequenceHint } from '../privacy/message-sequence.js';
import { ActivitySanitizer } from '../transcripts/activity-sanitizer.js';
import { markSecretsRedacted } from '../transcripts/redacting-transcript-store.js';
import { HINT_LIFETIME_MS, InMemoryRedactionMemory, type RedactionMemory, type RedactionMemoryStore } from './redaction-memory.js';

const FOUND_KEY = Symbol('redactedSecretKinds');

export interface RedactionMiddlewareOptions {
  /** Step ids whose question asks for digits that are not a secret (the phone's last four). */
  readonly asksForDigits?: (step: string) => boolean;
  /** Where what a message leaves open is kept until the next one (default: in memory). */
  readonly memory?: RedactionMemoryStore;
  readonly now?: () => number;
}

/**
 * Replaces secrets (one-time codes, setup keys, otpauth URIs, recovery phrases, labelled
 * passwords) in the incoming activity before anything else sees it: state, tickets,
 * transcripts, logs, the web chat's history. Must be the first middleware.
 *
 * The text is read together with what the previous message of the conversation left open (see
 * src/privacy/message-sequence.ts), so a code or phrase split over two messages is removed from
 * both. Every other field goes through the one activity sanitiser (src/transcripts/activity-sanitizer.ts),
 * as in every store: card values, channelData, entities, attachments, localTimezone… redacted,
 * protocol fields kept only with their expected shape, the bot's own button values kept whole,
 * the customer's display name dropped. Personal data is not masked here (the identity form
 * needs the e-mail address); the stores mask it.
 */
export function redactionMiddleware(options: RedactionMiddlewareOptions = {}): Middleware {
  const memory = options.memory ?? new InMemoryRedactionMemory();
  // Read off each string of the cleaned fields as the sanitiser puts it out (sanitize is
  // synchronous: only the turn being sanitised is ever collecting): the kinds of its markers, and
  // whether the stores will have personal data to mask in it.
  let collecting: Collected | undefined;
  const sanitizer = new ActivitySanitizer({
    maskPersonalData: false,
    onCleaned: (text) => {
      if (!collecting) return;
      if (text.includes('[redacted:')) redactionMarkerKinds(text).forEach((k) => collecting!.kinds.add(k));
      if (!collecting.personalData && maskPersonalData(text).text !== text) collecting.personalData = true;
    },
  });
  const now = options.now ?? Date.now;
  const labels = new CleanLabels();
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const activity = context.activity;
      const key = `${activity.channelId ?? 'unknown'}/conversations/${activity.conversation?.id ?? 'unknown'}`;
      const isMessage = activity.type === 'message';
      const remembered = isMessage ? await memory.read(key) : undefined;
      const fresh = remembered && now() - remembered.at < HINT_LIFETIME_MS ? remembered : undefined;

      // The kinds are read off the markers in the result, so text that arrives already redacted (a
      // replayed transcript) warns the customer the same way as the secrets it once held.
      const found = new Set<string>();
      const collected: Collected = { kinds: found, personalData: false };
      let hint: SequenceHint = {};
      if (typeof activity.text === 'string') {
        // A button's own label (what a press sends, or a customer copies) with nothing left open
        // before it: the detectors were run on it when the bot sent it and found nothing, and
        // left nothing open (see CleanLabels).
        if (!(labels.isClean(activity.text) && isEmptyHint(fresh?.hint))) {
          const result = redactInSequence(activity.text, fresh?.hint, { digitsExpected: fresh?.digitsExpected === true });
          activity.text = result.text;
          hint = result.hint;
        }
        redactionMarkerKinds(activity.text).forEach((k) => found.add(k));
        collected.personalData = maskPersonalData(activity.text).text !== activity.text;
      }
      // A text that is not a string (a crafted client's array or object) goes through the field
      // sanitiser with the rest: every string of the activity is cleaned here before the turn is
      // marked as redacted (the transcript then only masks it).
      const { text: _text, ...others } = activity;
      const rest = typeof activity.text === 'string' ? others : activity;
      // Everything that comes in is the customer's (or the channel's on their behalf), whatever its role says.
      collecting = collected;
      let cleaned: Record<string, unknown>;
      try {
        cleaned = sanitizer.sanitize(rest, 'customer') as Record<string, unknown>;
      } finally {
        collecting = undefined;
      }
      const target = activity as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(cleaned)) target[field] = value;
      context.turnState.set(FOUND_KEY, [...found]);
      markSecretsRedacted(context, { personalData: collected.personalData });

      let digitsExpected = fresh?.digitsExpected === true;
      const asks = options.asksForDigits;
      context.onSendActivities(async (_ctx, activities, sendNext) => {
        const messages = activities.filter((a) => a.type === 'message');
        for (const message of messages) labels.learn(message);
        if (asks && messages.length > 0) digitsExpected = messages.some((a) => buttonSteps(a).some(asks));
        return sendNext();
      });
      try {
        await next();
      } finally {
        const worthKeeping = Object.keys(hint).length > 0 || digitsExpected;
        if (isMessage && (worthKeeping || fresh !== undefined)) {
          const record: RedactionMemory = { hint, digitsExpected, at: now() };
          await memory.write(key, record);
        } else if (!isMessage && digitsExpected !== (fresh?.digitsExpected === true)) {
          await memory.write(key, { hint: {}, digitsExpected, at: now() });
        }
      }
    },
  };
}

/** The secret kinds removed from this turn's activity (empty when none). */
export function redactedSecretKinds(context: TurnContext): string[] {
  return (context.turnState.get(FOUND_KEY) as string[] | undefined) ?? [];
}

/** What the sanitiser's strings said about the turn's activity. */
interface Collected {
  readonly kinds: Set<string>;
  /** Some string holds an e-mail address or phone number the stores would mask. */
  personalData: boolean;
}

/** The buttons of one outgoing activity (suggested actions or card buttons). */
function buttonsOf(activity: Partial<Activity>): { value?: unknown; text?: unknown }[] {
  return [
    ...(activity.suggestedActions?.actions ?? []),
    ...(activity.attachments ?? []).flatMap((a) => ((a.content as { buttons?: unknown[] } | undefined)?.buttons ?? []) as { value?: unknown }[]),
  ];
}

/** Step ids named by the buttons of one outgoing activity. */
function buttonSteps(activity: Partial<Activity>): string[] {
  return buttonsOf(activity)
    .map((a) => (a as { value?: { step?: unknown } }).value?.step)
    .filter((s): s is string => typeof s === 'string');
}

function isEmptyHint(hint: SequenceHint | undefined): boolean {
  return hint === undefined || (hint.codeDigits === undefined && hint.seedWords === undefined && hint.passwordNext !== true);
}

/**
 * The texts the bot's own buttons send (a messageBack press sends its `text`; the bench and
 * customers also type a label as it reads), each run through the detectors once, when the bot
 * first sends it: those that come out unchanged, with nothing found and nothing left open, are
 * clean. The same text from the customer, after a message that left nothing open, then comes out
 * the same again (redactInSequence depends on nothing else: the digits the bot asked for only
 * ever keep more), so it is not read again: a tenth of the turn's redaction on a menu press
 * (issue 16). Only strings the bot wrote are kept, never the customer's, and only a bounded number.
 */
class CleanLabels {
  private readonly verdicts = new Map<string, boolean>();

  isClean(text: string): boolean {
    return this.verdicts.get(text) === true;
  }

  learn(activity: Partial<Activity>): void {
    for (const button of buttonsOf(activity)) {
      const text = button.text;
      if (typeof text !== 'string' || this.verdicts.has(text)) continue;
      const result = redactInSequence(text, undefined);
      const clean = result.text === text && result.found.length === 0 && isEmptyHint(result.hint) && !text.includes('[redacted:');
      // Labels are a fixed set per locale; past the bound, start again rather than grow.
      if (this.verdicts.size >= MAX_LABELS) this.verdicts.clear();
      this.verdicts.set(text, clean);
    }
  }
}

const MAX_LABELS = 2_000;
