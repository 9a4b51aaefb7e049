/**
 * The conversations the end-to-end tests replay: how a customer reaches each handoff reason
 * through the guide, what they give as identity, and what they must read on the way. Expected
 * texts are written here by hand (fragments a customer would quote), not read from the locale
 * files, so a wrong or missing translation fails the tests.
 */
import type { HandoffReason } from '../../../flows/outcome.js';
import type { Lang } from './customer.js';

export interface HandoffRoute {
  /** Options chosen from the main menu on (the first is the menu topic). */
  readonly options: readonly string[];
  /** The questions answered, in order: what the ticket's `path` must hold. */
  readonly path: readonly string[];
  /** The checks answered "still not working": the ticket's `stepsTried`. */
  readonly tried: readonly string[];
}

export const HANDOFF_ROUTES: Readonly<Record<HandoffReason, HandoffRoute>> = {
  app_lost_no_backup: {
    options: ['appDeleted', 'yes', 'restoreFailed'],
    path: ['appDeletedHasBackup', 'appDeletedRestore'],
    tried: [],
  },
  phone_lost_no_backup: {
    options: ['phoneLostOrBroken', 'app', 'no'],
    path: ['phoneLostMethod', 'phoneLostHasBackup'],
    tried: [],
  },
  login_lockout: {
    options: ['codeRejected', 'notWorked', 'notWorked', 'notWorked', 'lockout', 'yes'],
    path: ['codeRejectedOtherService', 'codeRejectedExpired', 'codeRejectedBrowser', 'codeRejectedUnresolved', 'lockoutMessageShown'],
    tried: ['codeRejectedOtherService', 'codeRejectedExpired', 'codeRejectedBrowser'],
  },
  phone_number_changed: {
    options: ['phoneReplacement', 'sms', 'yes', 'numberAlreadyChanged'],
    path: ['phoneReplacementMethod', 'phoneReplacementNumberChanges', 'phoneReplacementSwitchToApp'],
    tried: [],
  },
  registered_number_wrong: {
    options: ['callNotReceived', 'no'],
    path: ['callNotReceivedRegisteredNumber'],
    tried: [],
  },
  customer_requested: {
    options: ['smsNotReceived', 'notArrived', 'notArrived', 'notArrived', 'notArrived', 'talkToAgent'],
    path: ['smsNotReceivedMethodSetting', 'smsNotReceivedSignal', 'smsNotReceivedAirplaneMode', 'smsNotReceivedOtherSms', 'smsNotReceivedUnresolved'],
    tried: ['smsNotReceivedMethodSetting', 'smsNotReceivedSignal', 'smsNotReceivedAirplaneMode', 'smsNotReceivedOtherSms'],
  },
};

export const REASONS = Object.keys(HANDOFF_ROUTES) as HandoffReason[];

/** What a customer types into the identity questions, and what the ticket must keep. */
export interface IdentityAnswers {
  readonly typed: { email: string; fullName: string; dateOfBirth: string; phoneLast4?: string; description: string };
  readonly stored: { email: string; fullName: string; dateOfBirth: string; phoneLast4?: string; description: string };
}

export const IDENTITY: Readonly<Record<Lang, IdentityAnswers>> = {
  ja: {
    typed: {
      email: 'yamada.taro@example.jp',
      fullName: '山田　太郎',
      dateOfBirth: '1985年4月1日',
      phoneLast4: '５６７８',
      description: '機種変更のときに認証アプリを消してしまい、ログインできません。',
    },
    stored: {
      email: 'yamada.taro@example.jp',
      fullName: '山田 太郎',
      dateOfBirth: '1985-04-01',
      phoneLast4: '5678',
      description: '機種変更のときに認証アプリを消してしまい、ログインできません。',
    },
  },
  en: {
    typed: {
      email: 'Jane.Doe@Example.COM',
      fullName: 'Jane  Doe',
      dateOfBirth: '1990/01/31',
      description: 'I changed phones and the authenticator app is gone, so I cannot log in.',
    },
    stored: {
      email: 'Jane.Doe@example.com',
      fullName: 'Jane Doe',
      dateOfBirth: '1990-01-31',
      description: 'I changed phones and the authenticator app is gone, so I cannot log in.',
    },
  },
};

/**
 * Fragments of what the customer must read at a handoff: what support will do for this reason
 * (switch the 2FA method, update the number, lift a lockout, or look into a request), that it
 * cannot be done in chat, identity first, and how long verification usually takes.
 */
export const HANDOFF_FRAGMENTS: Readonly<Record<Lang, { switch: string[]; number: string[]; unlock: string[]; review: string[]; secretsNotice: string[] }>> = {
  ja: {
    switch: ['2段階認証の方法の変更は', 'チャットでは行えません', 'ご本人確認', 'SMSまたは電話に切り替えます', '通常48時間'],
    number: ['ご登録の電話番号の変更は', 'チャットでは行えません', 'ご本人確認', 'ご登録の電話番号を変更します', '通常48時間'],
    unlock: ['ログイン制限の解除は', 'チャットでは行えません', 'ご本人確認', '担当者が解除', '通常48時間'],
    review: ['担当者がお客様のアカウントについて確認する', 'まずご本人確認', '通常48時間'],
    secretsNotice: ['大切なお知らせ', 'パスワード', '2段階認証コード', 'セットアップキー', '絶対にありません'],
  },
  en: {
    switch: ["your 2FA method can't be changed in chat", 'verify your identity', 'an agent switches your 2FA to SMS or phone call', 'usually takes about 48 hours'],
    number: ["your registered phone number can't be changed in chat", 'verify your identity', 'an agent updates your registered phone number', 'usually takes about 48 hours'],
    unlock: ["a login restriction can't be lifted in chat", 'verify your identity', 'an agent lifts the restriction', 'usually takes about 48 hours'],
    review: ['an agent can look into your account only after', 'verified your identity', 'usually takes about 48 hours'],
    secretsNotice: ['support will never ask for your password', 'a 2FA code', 'setup key'],
  },
};

/**
 * Words that promise something no reason is approved for (a reset, removing 2FA, setting it up
 * again): one story per reason, from the first message to the last notification.
 */
export const NEVER_PROMISED: Readonly<Record<Lang, readonly string[]>> = {
  ja: ['リセット', '解除する手続き', '2段階認証を解除', '再設定', '設定し直'],
  en: ['reset', 'remove your 2FA', 'set up 2FA again', 'set up your 2FA again', 'disable'],
};

/** Fragments of the closing message after the ticket is opened (what to expect). */
export const TICKET_FRAGMENTS: Readonly<Record<Lang, { created: string[]; nextSwitch: string[]; nextNumber: string[]; nextUnlock: string[]; nextReview: string[] }>> = {
  ja: {
    created: ['受付番号は'],
    nextSwitch: ['2段階認証の方法をSMSまたは電話に切り替え', 'このチャットでお知らせします', 'コードはご登録の電話番号に届きます', '同じ電話番号を使える状態に', '通常24時間ほど出金を停止'],
    nextNumber: ['ご登録の電話番号を変更し', 'このチャットでお知らせします'],
    nextUnlock: ['ログイン制限を解除', 'このチャットでお知らせします'],
    nextReview: ['担当者がお客様のアカウントとご相談内容について確認し', 'このチャットでご連絡します'],
  },
  en: {
    created: ['Your ticket number is'],
    nextSwitch: ['an agent will switch your 2FA to SMS or phone call', 'let you know in this chat', 'Codes will then go to your registered phone number', 'make sure you can use that same number', 'withdrawals are usually paused for 24 hours'],
    nextNumber: ['an agent will update your registered phone number', 'let you know in this chat'],
    nextUnlock: ['lift the login restriction', 'let you know in this chat'],
    nextReview: ['an agent will look into your request', 'reply in this chat'],
  },
};

/** What the customer is told a person will do once verified, by reason (what the desk approves for it). */
export function afterVerification(reason: HandoffReason): 'unlock' | 'switch' | 'number' | 'review' {
  if (reason === 'login_lockout') return 'unlock';
  if (reason === 'customer_requested') return 'review';
  return reason === 'phone_number_changed' || reason === 'registered_number_wrong' ? 'number' : 'switch';
}

/** What the customer is told before verification, by reason: the same story as after it. */
export function handoffKind(reason: HandoffReason): 'unlock' | 'switch' | 'number' | 'review' {
  return afterVerification(reason);
}

/** Whether the chat asks before the procedure: "start now?" after no backup, "a question or a change?" for a person. */
export function askedBeforeProcedure(reason: HandoffReason): 'startNow' | 'contactOrProcedure' | undefined {
  if (reason === 'app_lost_no_backup' || reason === 'phone_lost_no_backup') return 'startNow';
  return reason === 'customer_requested' ? 'contactOrProcedure' : undefined;
}

/** The option (`identity:options.<key>`) that goes on to the identity questions, when one is asked. */
export function answerBeforeProcedure(reason: HandoffReason): 'startNow' | 'startProcedure' | undefined {
  const asked = askedBeforeProcedure(reason);
  return asked === undefined ? undefined : asked === 'startNow' ? 'startNow' : 'startProcedure';
}

/** The secret warning, as the customer reads it. */
export const SECRET_WARNING: Readonly<Record<Lang, string>> = {
  ja: 'ご注意ください：送信された内容に、2段階認証コード・セットアップキー・リカバリーフレーズ・パスワードなどの秘密情報',
  en: 'Careful: your message contained something that looks like a secret',
};
