import { isTopic, type Topic, type TopicJumpSlots } from '../../flows/troubleshooting/index.js';
import type { Language } from '../i18n/language.js';

/** The NLU's view of a message, as the conversation needs it (mirrors src/nlu's Classification). */
export interface Understanding {
  readonly intent: string;
  readonly confidence: number;
  readonly ranking: readonly { readonly intent: string; readonly confidence: number }[];
  readonly slots: TopicJumpSlots;
  readonly locale: Language;
}

/** Classifies free text; the conversation's language breaks ties for text without script (digits, "SMS"). */
export type Understand = (text: string, locale: Language) => Understanding;

/** Which node of the guide each troubleshooting intent opens. */
const TOPIC_OF_INTENT: Readonly<Record<string, Topic>> = {
  methods_overview: 'methodsOverview',
  code_rejected: 'codeRejected',
  app_deleted: 'appDeleted',
  sms_not_received: 'smsNotReceived',
  call_not_received: 'callNotReceived',
  change_method: 'changeMethod',
  backup: 'backup',
  phone_replacement: 'phoneReplacement',
  phone_lost: 'phoneLostOrBroken',
  lockout: 'lockout',
};

export function topicOfIntent(intent: string): Topic | undefined {
  return TOPIC_OF_INTENT[intent];
}

/** The prefix of the ids of a topic's steps (`smsNotReceived…`; the lost-phone steps are `phoneLost…`). */
export function topicStepPrefix(topic: Topic): string {
  return topic === 'phoneLostOrBroken' ? 'phoneLost' : topic;
}

/** A topic id from outside (a button value) checked against the flow's topics. */
export function asTopic(value: string): Topic | undefined {
  return isTopic(value) ? value : undefined;
}

/** What to do with free text, decided from the NLU's answer and a confidence threshold. */
export type Routing =
  | { readonly kind: 'jump'; readonly topic: Topic; readonly slots: TopicJumpSlots }
  | { readonly kind: 'agent' }
  | { readonly kind: 'status' }
  | { readonly kind: 'outOfScope' }
  | { readonly kind: 'smallTalk'; readonly intent: 'greeting' | 'thanks' }
  /** Unsure: offer these topics (best first) rather than guess. */
  | { readonly kind: 'clarify'; readonly topics: readonly Topic[] }
  | { readonly kind: 'notUnderstood' };

/**
 * A best intent below the confidence threshold is still acted on when it stands out: at least
 * {@link DECISIVE_MIN} and {@link DECISIVE_RATIO} times the runner-up. Chosen on the development
 * set (test/fixtures/nlu/dev.tsv) to send more messages straight to the right place while keeping
 * those sent to a wrong one under 1%.
 */
export const DECISIVE_MIN = 0.35;
export const DECISIVE_RATIO = 2.5;

/** Whether the best intent may be acted on without asking (see {@link DECISIVE_MIN}). */
export function isDecisive(u: Understanding, confident: number): boolean {
  if (u.confidence >= confident) return true;
  const second = u.ranking[1]?.confidence ?? 0;
  return u.confidence >= DECISIVE_MIN && u.confidence >= DECISIVE_RATIO * second;
}

/**
 * Acts on a confident intent (or one that clearly stands out); asks when unsure between
 * troubleshooting topics; admits not understanding otherwise. Never a silent wrong guess.
 */
export function route(u: Understanding, confident: number): Routing {
  if (isDecisive(u, confident)) {
    const topic = topicOfIntent(u.intent);
    if (topic) return { kind: 'jump', topic, slots: u.slots };
    if (u.intent === 'human_agent') return { kind: 'agent' };
    if (u.intent === 'ticket_status') return { kind: 'status' };
    if (u.intent === 'out_of_scope') return { kind: 'outOfScope' };
    if (u.intent === 'greeting' || u.intent === 'thanks') return { kind: 'smallTalk', intent: u.intent };
  }
  const topics = u.ranking
    .filter((r) => r.confidence >= 0.1)
    .map((r) => topicOfIntent(r.intent))
    .filter((t): t is Topic => t !== undefined);
  if (topics.length > 0) return { kind: 'clarify', topics: [...new Set(topics)].slice(0, 3) };
  // Unsure, but most likely something the bot does not do (prices, withdrawals…).
  if (u.ranking[0]?.intent === 'out_of_scope' && (u.ranking[0]?.confidence ?? 0) >= 0.3) return { kind: 'outOfScope' };
  return { kind: 'notUnderstood' };
}
