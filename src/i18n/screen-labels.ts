/**
 * The names of the exchange's own screens, buttons and menu items that the change-method steps
 * quote, per language of the chat. They live in configuration (SCREEN_LABELS_JA / _EN) beside the
 * menu path, because they belong to the exchange's site, not to the guide's wording: another
 * exchange sets its own.
 *
 * Each value is written as the text should show it, quotes included. GMO Coin's screens are in
 * Japanese only, so the English chat quotes the Japanese label and glosses it in English
 * (「アプリへ変更」 (Change to app)): a customer looks for the words the screen really shows.
 */
import type { Language } from './language.js';

/** Every label a text may quote as `{{screen.<key>}}`. */
export const SCREEN_LABEL_KEYS = [
  'securityPage',
  'twoStep',
  'changeSection',
  'changeToApp',
  'changeToVoice',
  'changeToSms',
  'shownSms',
  'shownApp',
  'shownVoice',
  'confirmSms',
  'confirmApp',
  'confirmVoice',
  'setSms',
  'setVoice',
  'send',
  'currentMethod',
] as const;

export type ScreenLabelKey = (typeof SCREEN_LABEL_KEYS)[number];

/** One language's labels, quotes included. */
export type ScreenLabels = Readonly<Record<ScreenLabelKey, string>>;

const JA: ScreenLabels = {
  securityPage: '「セキュリティ」',
  twoStep: '「2段階認証」',
  changeSection: '「認証方法を変更する」',
  changeToApp: '「アプリへ変更」',
  changeToVoice: '「お電話へ変更」',
  changeToSms: '「SMS変更」',
  shownSms: '「SMS」',
  shownApp: '「アプリ」',
  shownVoice: '「お電話」',
  confirmSms: '「現在の承認方法（SMS）を確認」',
  confirmApp: '「現在の承認方法（アプリ）を確認」',
  confirmVoice: '「現在の承認方法（お電話）を確認」',
  setSms: '「新しい確認方法（SMS）を設定」',
  setVoice: '「新しい確認方法（お電話）を設定」',
  send: '「送信」',
  currentMethod: '「現在の認証方法」',
};

const EN: ScreenLabels = {
  securityPage: '「セキュリティ」 (Security)',
  twoStep: '「2段階認証」 (2-step verification)',
  changeSection: '「認証方法を変更する」 (Change verification method)',
  changeToApp: '「アプリへ変更」 (Change to app)',
  changeToVoice: '「お電話へ変更」 (Change to phone call)',
  changeToSms: '「SMS変更」 (Change to SMS)',
  shownSms: '「SMS」',
  shownApp: '「アプリ」 (app)',
  shownVoice: '「お電話」 (phone call)',
  confirmSms: '「現在の承認方法（SMS）を確認」 (Confirm current method: SMS)',
  confirmApp: '「現在の承認方法（アプリ）を確認」 (Confirm current method: app)',
  confirmVoice: '「現在の承認方法（お電話）を確認」 (Confirm current method: phone)',
  setSms: '「新しい確認方法（SMS）を設定」 (Set new method: SMS)',
  setVoice: '「新しい確認方法（お電話）を設定」 (Set new method: phone)',
  send: '「送信」 (Send)',
  currentMethod: '「現在の認証方法」 (Current method)',
};

/** GMO Coin's screens, as each language's chat quotes them (the defaults of SCREEN_LABELS_*). */
export const DEFAULT_SCREEN_LABELS: Readonly<Record<Language, ScreenLabels>> = { ja: JA, en: EN };
