/**
 * The vocabulary of the troubleshooting flow: topics, verification methods, and the events the
 * machine understands. Events carry meaning only; turning text or buttons into them is the
 * interpreter's job (src/conversation), never the machine's.
 */

/** The main-menu topics, one per part of the guide; also the targets of NLU jumps. */
export const TOPICS = [
  'methodsOverview',
  'codeRejected',
  'appDeleted',
  'smsNotReceived',
  'callNotReceived',
  'changeMethod',
  'backup',
  'phoneLostOrBroken',
  'lockout',
  'phoneReplacement',
] as const;

/** A main-menu topic id. */
export type Topic = (typeof TOPICS)[number];

/** Type guard for topic ids coming from outside (NLU, persisted data). */
export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value);
}

/** The exchange's three two-step verification methods (guide section 1). */
export const METHODS = ['sms', 'app', 'voice'] as const;

/** A verification method: SMS, authenticator app, or automated phone call. */
export type Method = (typeof METHODS)[number];

/**
 * What the customer already told us, so a jump can skip the questions it answers.
 * Mirrors the NLU's slots (src/nlu/slots.ts).
 */
export interface TopicJumpSlots {
  /** changeMethod: the method in use now. */
  readonly from?: Method;
  /** changeMethod: the method wanted. */
  readonly to?: Method;
  /** phoneReplacement: whether the new phone gets a new number. */
  readonly numberChanges?: boolean;
  /** phoneReplacement / phoneLostOrBroken: the method in use now. */
  readonly method?: Method;
  /**
   * phoneReplacement / phoneLostOrBroken: the phone number has already changed (past: 「もう変わった」,
   * "my number already changed"), so SMS and calls go to a number we no longer have.
   */
  readonly numberAlreadyChanged?: boolean;
  /**
   * appDeleted / phoneLostOrBroken / phoneReplacement: false when the customer already said there is
   * no backup of the key or QR code (「バックアップしないで」, "I never backed it up").
   */
  readonly hasBackup?: boolean;
}

/** Jump straight into a topic (from free text via the NLU), optionally with known slots. */
export interface TopicJumpEvent {
  readonly type: 'topic.jump';
  readonly topic: Topic;
  readonly slots?: TopicJumpSlots;
}

/** Answers a question state accepts (each named by an option in its meta). */
export const ANSWER_EVENT_TYPES = [
  'answer.yes',
  'answer.no',
  'answer.ok',
  'answer.next',
  'answer.cannotLogIn',
  'answer.restoreFailed',
  'answer.lostNoBackup',
  'answer.numberAlreadyChanged',
  'answer.appGone',
  'answer.phoneGone',
  'answer.notSure',
  'choose.sms',
  'choose.app',
  'choose.voice',
] as const;

/** Events any state accepts: start over, go back one question, ask for a person. */
export const GLOBAL_EVENT_TYPES = ['flow.restart', 'flow.back', 'agent.requested'] as const;

/** Choosing a topic from a menu (the main menu, or a "see also" option of a step). */
export type TopicChosenEventType = `topic.${Topic}`;

/** Every event type without a payload; `topic.jump` is the only one that carries data. */
export type SimpleEventType = (typeof ANSWER_EVENT_TYPES)[number] | (typeof GLOBAL_EVENT_TYPES)[number] | TopicChosenEventType;

/** Everything the troubleshooting machine can receive. */
export type TroubleshootingEvent = { readonly type: SimpleEventType } | TopicJumpEvent;

const SIMPLE_EVENT_TYPES: ReadonlySet<string> = new Set<string>([
  ...ANSWER_EVENT_TYPES,
  ...GLOBAL_EVENT_TYPES,
  ...TOPICS.map((t) => `topic.${t}`),
]);

/** Type guard for event types read from a button value or an option's `event`. */
export function isSimpleEventType(value: unknown): value is SimpleEventType {
  return typeof value === 'string' && SIMPLE_EVENT_TYPES.has(value);
}
