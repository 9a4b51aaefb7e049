/**
 * The question states of the troubleshooting flow and small builders for their config, so every
 * step carries the same shape: an explicit `#id`, the guide section it comes from, its locale
 * keys, its options, and the entry action that records it in the trail.
 */
import type { StepMeta } from '../step-meta.js';
import type { Topic } from './events.js';
import type { TroubleshootingOption } from './options.js';

/**
 * Every question state's id except `mainMenu`, in guide order. The back router is generated from
 * this list, so a question missing here could not be returned to (a test checks it is complete).
 */
export const QUESTION_STEP_IDS = [
  'methodsOverview',
  'codeRejectedOtherService',
  'codeRejectedExpired',
  'codeRejectedBrowser',
  'codeRejectedUnresolved',
  'appDeletedHasBackup',
  'appDeletedRestore',
  'smsNotReceivedMethodSetting',
  'smsNotReceivedSignal',
  'smsNotReceivedAirplaneMode',
  'smsNotReceivedOtherSms',
  'smsNotReceivedUnresolved',
  'callNotReceivedRegisteredNumber',
  'callNotReceivedSignal',
  'callNotReceivedTimeSignal',
  'callNotReceivedAirplaneMode',
  'callNotReceivedUnresolved',
  'changeMethodCurrent',
  'changeMethodFindCurrent',
  'changeMethodCannotLogIn',
  'changeMethodFromSms',
  'changeMethodFromApp',
  'changeMethodFromVoice',
  'changeMethodSmsToApp',
  'changeMethodAppToVoice',
  'changeMethodVoiceToSms',
  'changeMethodAppToSms',
  'changeMethodSmsToVoice',
  'changeMethodVoiceToApp',
  'changeMethodUnresolved',
  'backupMethods',
  'backupRisks',
  'phoneLostMethod',
  'phoneLostFindMethod',
  'phoneLostHasBackup',
  'phoneLostRestore',
  'phoneLostSameNumber',
  'phoneLostReceiveOnNewPhone',
  'lockoutMessageShown',
  'lockoutNotYet',
  'phoneReplacementMethod',
  'phoneReplacementFindMethod',
  'phoneReplacementNumberChanges',
  'phoneReplacementNoChangeNeeded',
  'phoneReplacementSwitchToApp',
  'phoneReplacementAppBackup',
  'phoneReplacementAppScan',
  'phoneReplacementOldApp',
  'phoneReplacementBackupNow',
  'phoneReplacementUnresolved',
  // After a resolved ending (まとめ): "has this solved it?", and what follows a "no".
  'resolvedConfirm',
  'informedConfirm',
  'notSolvedMoreChecks',
  'notSolved',
] as const;

/** The id of a question state (also its `#id` target). */
export type StepId = (typeof QUESTION_STEP_IDS)[number];

/** The id of the main menu, the flow's initial state. */
export const MAIN_MENU_ID = 'mainMenu';

/** The first question of each topic: where the main menu and `topic.jump` lead. */
export const TOPIC_START: Readonly<Record<Topic, StepId>> = {
  methodsOverview: 'methodsOverview',
  codeRejected: 'codeRejectedOtherService',
  appDeleted: 'appDeletedHasBackup',
  smsNotReceived: 'smsNotReceivedMethodSetting',
  callNotReceived: 'callNotReceivedRegisteredNumber',
  changeMethod: 'changeMethodCurrent',
  backup: 'backupMethods',
  phoneLostOrBroken: 'phoneLostMethod',
  lockout: 'lockoutMessageShown',
  phoneReplacement: 'phoneReplacementMethod',
};

/** The guide's section headings, cited in `description` and `meta.guideSection`. */
export const SECTIONS = {
  menu: 'この記事でわかること（目次）',
  methods: '1. GMOコインの2段階認証の種類',
  solving: '2. 2段階認証ができないときの解決方法',
  codeRejected: '2. 2段階認証コードを入力してもログインできない',
  appDeleted: '2. 2段階認証アプリを削除してしまった',
  smsNotReceived: '2. SMSが届かない',
  callNotReceived: '2. 電話に着信がない',
  changeMethod: '3. GMOコインで2段階認証を変更する方法',
  changeSmsToApp: '3. ■「SMS」から「アプリ」へ変更する場合',
  changeAppToVoice: '3. ■「アプリ」から「電話」へ変更する場合',
  changeVoiceToSms: '3. ■「電話」から「SMS」へ変更する場合',
  changeOther: '3. （ガイドの3手順と同じ型で補った変更方向・推定）',
  precautions: '4. 2段階認証を利用する際の注意点',
  backup: '4-1. アプリを使う場合の注意点',
  phoneLost: '4-2. ①スマホの紛失や破損に注意',
  lockout: '4-2. ②入力ミスに注意',
  phoneReplacement: '5. スマホを機種変更するときは',
  summary: 'まとめ',
} as const;

/** Qualifies a key of the troubleshooting namespace. */
export const msg = (key: string): string => `troubleshooting:${key}`;

/** Meta of a state the customer sees. */
export function stepMeta(guideSection: string, messages: readonly string[], options: readonly TroubleshootingOption[]): StepMeta {
  return { messages: messages.map(msg), options, guideSection };
}

/**
 * The common part of a question state: its `#id`, description, meta and the entry action that
 * appends it to the trail. Spread into the state config next to its `on`.
 */
export function ask(
  stepId: StepId,
  guideSection: string,
  what: string,
  messages: readonly string[],
  options: readonly TroubleshootingOption[],
) {
  return {
    id: stepId,
    description: `${guideSection} — ${what}`,
    entry: { type: 'recordStep', params: { stepId } } as const,
    meta: stepMeta(guideSection, messages, options),
  };
}
