import { isTopic, type Topic, type TopicJumpSlots } from '../../flows/troubleshooting/index.js';
import type { Language } from '../i18n/language.js';

/** The NLU's view of a message, as the conversation needs it (mirrors src/nlu's Classification). */
export interface Understanding {
  readonly intent: string;
  readonly confidence: number;
  readonly ranking: readonly { readonly intent: string; readonly confidence: number }[];
  readonly slots: TopicJumpSlots;
  readonly locale: Language;
  /** The message sounds angry or desperate: acknowledge it in one line before the help. */
  readonly upset?: boolean;
  /** The message joins two statements: two close topics are then two problems. */
  readonly joined?: boolean;
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
  /** `also`: a second problem the message names too, offered after the first. */
  | { readonly kind: 'jump'; readonly topic: Topic; readonly slots: TopicJumpSlots; readonly also?: Topic }
  | { readonly kind: 'agent' }
  | { readonly kind: 'status' }
  /** `unrecognised`: nothing in the text was recognised at all ("asdfgh"); the reports keep it as not understood. */
  | { readonly kind: 'outOfScope'; readonly unrecognised?: true }
  | { readonly kind: 'smallTalk'; readonly intent: 'greeting' | 'thanks' }
  /**
   * Unsure: offer these topics (best first) rather than guess; `status` when it may be about a
   * ticket, `outOfScope` when it may be about something this chat does not do.
   */
  | { readonly kind: 'clarify'; readonly topics: readonly Topic[]; readonly status?: boolean; readonly outOfScope?: boolean }
  | { readonly kind: 'notUnderstood' };

/**
 * A best intent below the confidence threshold is still acted on when it stands out: at least
 * {@link DECISIVE_MIN} and {@link DECISIVE_RATIO} times the runner-up. Chosen on the development
 * set (test/fixtures/nlu/dev.tsv) to send more messages straight to the right place while keeping
 * those sent to a wrong one under 1%.
 */
export const DECISIVE_MIN = 0.35;
export const DECISIVE_RATIO = 2.5;

/** Confidence from which an intent of the ranking is offered at a clarifying question. */
export const LIKELY = 0.1;

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
  const topic = topicOfIntent(u.intent);
  const decisive = isDecisive(u, confident);
  if (topic && (decisive || twoProblems(u))) {
    // "The code was rejected, and now I'm locked out": one story, told by its end.
    const whole = wholeStory(u, topic);
    if (whole) return { kind: 'jump', topic: whole, slots: u.slots };
    const also = secondProblem(u, topic);
    return also ? { kind: 'jump', topic, slots: u.slots, also } : { kind: 'jump', topic, slots: u.slots };
  }
  if (decisive) {
    if (u.intent === 'human_agent') return { kind: 'agent' };
    if (u.intent === 'ticket_status') return { kind: 'status' };
    if (u.intent === 'out_of_scope') return { kind: 'outOfScope' };
    if (u.intent === 'greeting' || u.intent === 'thanks') return { kind: 'smallTalk', intent: u.intent };
  }
  const topics = u.ranking
    .filter((r) => r.confidence >= LIKELY)
    .map((r) => topicOfIntent(r.intent))
    .filter((t): t is Topic => t !== undefined);
  const likely = (intent: string): boolean => u.ranking.some((r) => r.intent === intent && r.confidence >= LIKELY);
  const status = likely('ticket_status');
  const extras = { ...(status ? { status } : {}), ...(likely('out_of_scope') ? { outOfScope: true } : {}) };
  if (topics.length > 0) return { kind: 'clarify', topics: [...new Set(topics)].slice(0, 3), ...extras };
  if (status) return { kind: 'clarify', topics: [], ...extras };
  // Unsure, but most likely something the bot does not do (prices, withdrawals…).
  if (u.ranking[0]?.intent === 'out_of_scope' && (u.ranking[0]?.confidence ?? 0) >= 0.3) return { kind: 'outOfScope' };
  return { kind: 'notUnderstood' };
}

/**
 * Nothing in the text is recognised ("asdfgh", 「あいうえお」): the text has letters (a number or a
 * symbol is no message about anything), the classifier's best guess is "not about 2FA", and no
 * other intent is even {@link LIKELY}.
 */
export function recognisesNothing(text: string, u: Understanding): boolean {
  return /\p{L}/u.test(text) && u.intent === 'out_of_scope' && u.ranking.every((r) => r.intent === 'out_of_scope' || r.confidence < LIKELY);
}

/** Two statements and two topics close together (see {@link TWO_PROBLEMS_MIN}): two problems, not doubt. */
function twoProblems(u: Understanding): boolean {
  const first = topicOfIntent(u.intent);
  const second = u.ranking[1];
  return (
    u.joined === true && first !== undefined && u.confidence >= TWO_PROBLEMS_MIN && second !== undefined &&
    u.confidence + second.confidence >= TWO_PROBLEMS_SUM && secondProblem(u, first) !== undefined
  );
}

/**
 * Confidence from which the runner-up topic of a message counts as a second problem it names:
 * lower when the message joins two statements ("…and the call doesn't come either").
 */
export const SECOND_PROBLEM = { joined: 0.12, alone: 0.3 } as const;
/** Two problems in a message that joins two statements: the first at least this sure, both together this much. */
export const TWO_PROBLEMS_MIN = 0.3;
export const TWO_PROBLEMS_SUM = 0.6;

/**
 * Topics that are part of another's story, never a second problem beside it: a lockout comes from
 * codes rejected too many times ("the code kept failing and then I got locked out").
 */
const PART_OF: Readonly<Partial<Record<Topic, readonly Topic[]>>> = {
  lockout: ['codeRejected'],
};

/** The topic whose story a message joining two statements tells, when its best topic is only a part of it. */
function wholeStory(u: Understanding, first: Topic): Topic | undefined {
  const runnerUp = u.ranking[1];
  if (u.joined !== true || !runnerUp || runnerUp.confidence < SECOND_PROBLEM.joined) return undefined;
  const topic = topicOfIntent(runnerUp.intent);
  return topic && PART_OF[topic]?.includes(first) ? topic : undefined;
}

/** A second troubleshooting topic the message names too ("the app is gone and the SMS doesn't come either"). */
function secondProblem(u: Understanding, first: Topic): Topic | undefined {
  const runnerUp = u.ranking[1];
  if (!runnerUp || runnerUp.confidence < (u.joined ? SECOND_PROBLEM.joined : SECOND_PROBLEM.alone)) return undefined;
  const topic = topicOfIntent(runnerUp.intent);
  return topic && topic !== first && !PART_OF[first]?.includes(topic) ? topic : undefined;
}
