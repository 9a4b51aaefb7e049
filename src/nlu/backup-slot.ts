/**
 * "No backup" said in the message itself (「バックアップしないでアプリ消しちゃいました」, "I deleted the app,
 * never backed it up"): the guide's "did you back up the key?" is then already answered. Rules over
 * normalised text (see `normalize`: katakana as hiragana, "didn't" as "didnt").
 */
import { normalizeKana } from './normalize.js';

const re = (source: string): RegExp => new RegExp(normalizeKana(source), 'u');

/** The backup denied: not made, not kept, none at all. */
const NO_BACKUP = [
  // バックアップしないで (not しないと, "must I?") / してない / 取ってない / もとってなかった / していません / 取らずに / はない / なし
  re('バックアップ\\s?(?:は|も|を|が)?\\s?(?:し|取|と)?(?:っ?て|ら)?(?:い)?(?:ない(?!と)|なかった|ません|ず)|バックアップ(?:は|も|が)?\\s?(?:なし|無し|無い|ありません)'),
  /\b(?:no|without(?: a| any)?) backups?\b/u,
  /\b(?:didnt|did not|never|havent|have not|hadnt|had not|not) (?:\w+ ){0,2}back(?:ed)? ?(?:it |them |anything |that )?up\b/u,
  /\b(?:dont|do not|didnt|did not|havent|have not) (?:have|got|make|made|take|keep|kept) (?:a |any )?backups?\b/u,
];

/** A hedge or a condition ("かも", "if I have no backup", 「バックアップしてない場合」): the question decides. */
const UNSURE_OR_IF = /かも|かな|(?:と|って)?思う|場合|なら|たら|(?<![a-z])(?:maybe|might|perhaps|probably|i think|not sure|if|whether)(?![a-z])/u;

/** False when the message says there is no backup; undefined when it says nothing sure about one. */
export function extractHasBackup(text: string): false | undefined {
  if (UNSURE_OR_IF.test(text)) return undefined;
  return NO_BACKUP.some((p) => p.test(text)) ? false : undefined;
}
