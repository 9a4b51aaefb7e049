/**
 * The answer options of the troubleshooting flow. An option's id names its locale keys
 * (`options:<id>.label`, `options:<id>.synonyms`); its event is what the machine receives.
 * Generic options (yes/no/worked/notWorked/...) are shared by many steps so customers see the
 * same buttons, and type the same words, everywhere.
 */
import type { AnswerOption } from '../step-meta.js';
import type { SimpleEventType, Topic } from './events.js';

/** An option whose event is one the troubleshooting machine knows. */
export interface TroubleshootingOption extends AnswerOption {
  readonly event: SimpleEventType;
}

const option = <Id extends string>(id: Id, event: SimpleEventType): TroubleshootingOption & { readonly id: Id } => ({ id, event });

/** Every option of the flow, by id. */
export const OPTIONS = {
  yes: option('yes', 'answer.yes'),
  no: option('no', 'answer.no'),
  /** "Did this solve it?" answers: same events as yes/no, wording that fits a check. */
  worked: option('worked', 'answer.yes'),
  notWorked: option('notWorked', 'answer.no'),
  /** "Did the code arrive?" / "Did the call come?" answers: same events, words that answer that question. */
  arrived: option('arrived', 'answer.yes'),
  notArrived: option('notArrived', 'answer.no'),
  callCame: option('callCame', 'answer.yes'),
  callNotYet: option('callNotYet', 'answer.no'),
  /** "Has this solved your problem?" at a resolved ending: yes closes, no offers the branch's remaining checks. */
  solved: option('solved', 'answer.yes'),
  notSolved: option('notSolved', 'answer.no'),
  /** Not solved yet: go on with the checks of the branch the customer has not seen. */
  moreChecks: option('moreChecks', 'answer.next'),
  /** "Which method do you use?" for a customer who does not know: leads to how to find out. */
  notSure: option('notSure', 'answer.notSure'),
  understood: option('understood', 'answer.ok'),
  next: option('next', 'answer.next'),
  sms: option('sms', 'choose.sms'),
  app: option('app', 'choose.app'),
  voice: option('voice', 'choose.voice'),
  cannotLogIn: option('cannotLogIn', 'answer.cannotLogIn'),
  restoreFailed: option('restoreFailed', 'answer.restoreFailed'),
  lostNoBackup: option('lostNoBackup', 'answer.lostNoBackup'),
  numberAlreadyChanged: option('numberAlreadyChanged', 'answer.numberAlreadyChanged'),
  oldAppGone: option('oldAppGone', 'answer.appGone'),
  oldPhoneGone: option('oldPhoneGone', 'answer.phoneGone'),
  talkToAgent: option('talkToAgent', 'agent.requested'),
  methodsOverview: option('methodsOverview', 'topic.methodsOverview'),
  codeRejected: option('codeRejected', 'topic.codeRejected'),
  appDeleted: option('appDeleted', 'topic.appDeleted'),
  smsNotReceived: option('smsNotReceived', 'topic.smsNotReceived'),
  callNotReceived: option('callNotReceived', 'topic.callNotReceived'),
  changeMethod: option('changeMethod', 'topic.changeMethod'),
  backup: option('backup', 'topic.backup'),
  phoneLostOrBroken: option('phoneLostOrBroken', 'topic.phoneLostOrBroken'),
  lockout: option('lockout', 'topic.lockout'),
  phoneReplacement: option('phoneReplacement', 'topic.phoneReplacement'),
} as const satisfies Record<string, TroubleshootingOption> & Record<Topic, TroubleshootingOption>;

/**
 * The answers that mean "I tried this check and it did not help" (the code still rejected, still
 * no SMS, still no call): a ticket lists the steps answered with one of them as "tried".
 */
export const CHECK_FAILED_OPTION_IDS: readonly string[] = [OPTIONS.notWorked.id, OPTIONS.notArrived.id, OPTIONS.callNotYet.id];

/** An option id (the locale key stem under `options:`). */
export type OptionId = keyof typeof OPTIONS;

/** The ids of every option, for locale checks. */
export const OPTION_IDS = Object.keys(OPTIONS) as OptionId[];
