/**
 * Slot extraction: which verification methods a message names and in what role, and whether a
 * phone replacement changes the phone number. Rules over normalised text (see `normalize`;
 * kana are hiragana there, so patterns are written in katakana and converted once).
 */
import { normalizeKana } from './normalize.js';
import type { Intent, Method } from './intents.js';
import { extractHasBackup } from './backup-slot.js';

/** Slots of a classification; only those the message states are present. */
export interface Slots {
  /** change_method: the method used now. */
  from?: Method;
  /** change_method: the method wanted. */
  to?: Method;
  /** phone_replacement: true when the new phone gets a new number, false when it keeps it. */
  numberChanges?: boolean;
  /** The one method the message names (for phone_replacement: the current method). */
  method?: Method;
  /**
   * phone_replacement / phone_lost: the phone number has already changed (past tense: 「もう変わった」,
   * 「変更済み」, "my number already changed"), not a change still to come.
   */
  numberAlreadyChanged?: boolean;
  /** app_deleted / phone_lost / phone_replacement: false when the message says there is no backup (backup-slot.ts). */
  hasBackup?: boolean;
}

const re = (source: string): RegExp => new RegExp(normalizeKana(source), 'gu');
const L = '(?<![a-z])';
const R = '(?![a-z])';

const METHOD_PATTERNS: readonly (readonly [Method, RegExp])[] = [
  ['sms', re(`${L}(?:sms|text messages?|text msgs?|texts?)${R}|ショートメ(?:ール|ッセージ)?|ショートメッセージ|エスエムエス`)],
  [
    'app',
    re(
      `${L}(?:(?:google |ms |microsoft )?authenticator(?: app)?|auth(?:enticator|entication)? apps?|authy|totp|apps?)${R}` +
        '|(?:グーグル|google)?(?:認証)?アプリ|オーセンティケーター?|グーグル認証',
    ),
  ],
  ['voice', re(`${L}(?:voice(?: calls?)?|phone calls?|calls?)${R}|(?<!携帯)(?:お)?電話(?!番号|会社|帳)|音声|通話|着信|コール`)],
];

interface Mention {
  readonly method: Method;
  readonly start: number;
  readonly end: number;
}

/** Every method mentioned, in text order (overlaps resolved in favour of the longer match). */
export function findMethods(text: string): Mention[] {
  const found: Mention[] = [];
  for (const [method, pattern] of METHOD_PATTERNS) {
    pattern.lastIndex = 0;
    for (const m of text.matchAll(pattern)) {
      found.push({ method, start: m.index, end: m.index + m[0].length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Mention[] = [];
  for (const m of found) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) continue;
    kept.push(m);
  }
  return kept;
}

type Role = 'from' | 'to' | undefined;

const JA_SUFFIX = '(?:\\s?(?:での|で|の)?\\s?(?:2段階)?(?:認証|承認|確認)?(?:方法|方式|コード)?)?\\s?';
const JA_FROM_AFTER = re(`^${JA_SUFFIX}(?:から|をやめ|を止め|は(?:もう)?(?:使わ|やめ|いや)|じゃなく|ではなく|で(?:設定|登録|認証)し|を使って|にして(?:い)?る|を変更|を変え)`);
const JA_TO_AFTER = re(`^${JA_SUFFIX}(?:に|へ|を使いたい|がいい|にしたい|に変)`);
const JA_FROM_BEFORE = re('(?:今は|いまは|現在|今|いま)\\s?(?:の)?\\s?$');
const EN_FROM_BEFORE =
  /(?:from|instead of|stop using|stop|away from|off|rid of|replace|replacing|currently|current|currently using|currently on|i use|i m using|im using|using|i have|i m on|im on|change|changing|my|over|than)\s(?:the |my |a |an |using )?(?:google )?$/u;
const EN_TO_BEFORE = /(?:to|into|for|with|over to|prefer|rather|to use|want|switch to|move to|use)\s(?:the |a |an |an? |using )?(?:google )?$/u;
const EN_TO_AFTER = /^\s(?:instead|rather)/u;

function roleOf(text: string, m: Mention): Role {
  const after = text.slice(m.end, m.end + 24);
  const before = text.slice(Math.max(0, m.start - 24), m.start);
  JA_FROM_AFTER.lastIndex = 0;
  JA_TO_AFTER.lastIndex = 0;
  JA_FROM_BEFORE.lastIndex = 0;
  if (JA_FROM_AFTER.test(after)) return 'from';
  if (JA_TO_AFTER.test(after)) return 'to';
  if (EN_TO_AFTER.test(after)) return 'to';
  // "to use" must win over "use" (from), and "switch from X to Y" is decided per mention.
  if (/(?:to|into)\s(?:use\s|using\s)?(?:the |a |an |my )?(?:google )?$/u.test(before)) return 'to';
  if (/(?:put|set|switch|move|change)\s(?:\w+\s){0,3}on\s(?:the |a )?$/u.test(before)) return 'to';
  if (EN_FROM_BEFORE.test(before)) return 'from';
  if (EN_TO_BEFORE.test(before)) return 'to';
  if (JA_FROM_BEFORE.test(before)) return 'from';
  return undefined;
}

interface Roles {
  from?: Mention;
  to?: Mention;
  unassigned: Mention[];
}

/** Mentions whose wording marks them as current (from) or wanted (to); the first of each wins. */
function assignRoles(text: string, mentions: readonly Mention[]): Roles {
  const roles: Roles = { unassigned: [] };
  for (const m of mentions) {
    const role = roleOf(text, m);
    if (role === 'from' && roles.from === undefined) roles.from = m;
    else if (role === 'to' && roles.to === undefined) roles.to = m;
    else if (role === undefined) roles.unassigned.push(m);
  }
  return roles;
}

/** Current and target method of a change request ("SMSからアプリに", "switch to the app"). */
export function extractMethodChange(text: string): Pick<Slots, 'from' | 'to'> {
  const { from, to, unassigned } = assignRoles(text, findMethods(text));
  let current = from?.method;
  let target = to?.method;
  const [a, b] = unassigned;
  if (current === undefined && target === undefined) {
    // "sms to app" / "SMS アプリ": two bare mentions read as current then target.
    if (unassigned.length === 2 && a && b && a.method !== b.method) return { from: a.method, to: b.method };
  } else if (unassigned.length === 1 && a) {
    // "sms to the app": a bare mention before the target is the current method, and one after
    // the current method is the target.
    if (current === undefined && to && a.start < to.start && a.method !== target) current = a.method;
    else if (target === undefined && from && a.start > from.start && a.method !== current) target = a.method;
  }
  const slots: Pick<Slots, 'from' | 'to'> = {};
  if (current !== undefined) slots.from = current;
  if (target !== undefined && target !== current) slots.to = target;
  return slots;
}

const NUMBER_KEPT = [
  re('(?:電話)?番号\\s?(?:は|が|も|を)?\\s?(?:変わらない|変わらず|変わりません|変わんない|変わらへん|変わらん|変えへん|変わらなく|変えない|変えません|変更しない|変更なし|変更はない|変更ありません|そのまま|同じ|一緒|引き継|引継|変わることはない)'),
  re('同じ(?:電話)?番号|番号(?:は|も)?変えず|番号そのまま|ナンバーポータビリティ|(?<![a-z])mnp(?![a-z])'),
  /\bsame (?:phone |mobile |cell |telephone )?(?:number|no)\b|\bkeep(?:ing)? (?:my |the |our )?(?:same )?(?:phone |mobile |cell )?number\b|\bport(?:ing)? (?:my |the )?(?:phone )?number\b/u,
  /\bnumber (?:\w+ ){0,3}(?:stay|stays|remain|remains|unchanged|same|not chang|wont chang|doesnt chang|isnt chang|wouldnt chang|won t chang|not be chang|never chang)/u,
  /\b(?:not|wont|dont|doesnt|isnt|no) (?:\w+ ){0,3}chang\w* (?:\w+ ){0,2}number\b/u,
];
const NUMBER_CHANGES = [
  re('(?:電話)?番号\\s?(?:も|が|は|を|まで)?\\s?(?:変わ|変え|変更|かわ|新しく)|新しい(?:電話)?番号|別の(?:電話)?番号|番号変'),
  /\b(?:new|different|another) (?:phone |mobile |cell |telephone )?(?:number|no)\b|\bnumber (?:\w+ ){0,3}chang|\bchang\w* (?:my |the |our |phone )*number\b/u,
];

/** Whether a phone replacement changes the number: true, false, or undefined when not stated. */
export function extractNumberChanges(text: string): boolean | undefined {
  for (const p of NUMBER_KEPT) {
    p.lastIndex = 0;
    if (p.test(text)) return false;
  }
  for (const p of NUMBER_CHANGES) {
    p.lastIndex = 0;
    if (p.test(text)) return true;
  }
  return undefined;
}

/** A number change told in the past tense; conditionals (「変わったら」, "if my number changes") are not. */
const NUMBER_ALREADY_CHANGED = [
  re(
    '(?:電話|携帯)?番号\\s?(?:は|が|も|まで)?\\s?(?:もう|すでに|既に|とっくに)?\\s?' +
      '(?:変わ|かわ)(?:った(?!ら)|っちゃ(?:った|いました)|ってしま(?:った|いました)|ってる(?!な)|っている|ってます|っています|りました)',
  ),
  re('(?:電話|携帯)?番号\\s?(?:は|を|も)?\\s?(?:もう|すでに|既に)?\\s?(?:変えた(?![らいく])|変えました|変えちゃ|変えてしま|変更(?:済|ずみ|した(?![らいく])|しました|しちゃ|してしま|してある|されて))'),
  re('(?:電話|携帯)?番号\\s?(?:は|を|も)?\\s?(?:もう|すでに|既に)?\\s?(?:解約した(?![らいく])|解約しました|解約済)|(?:もう|すでに|既に)(?:新しい|別の)(?:電話)?番号'),
  /\bnumber (?:(?:has|had|have|was|is|already|been|got|now|just|recently) ){0,3}(?:changed|different now|gone)\b/u,
  /\b(?:already|just|recently) (?:changed|switched|ported|moved) (?:to )?(?:my |a |the |our )?(?:new |different )?(?:phone |mobile |cell )?(?:number|no)\b/u,
  /\b(?:i|we|ive|weve) (?:have |had )?(?:changed|switched to|got|gotten|moved to) (?:my |a |the |our )?(?:new |different )(?:phone |mobile |cell )?(?:number|no)\b/u,
  /\b(?:i|we|ive|weve) (?:have |had )?changed (?:my |the |our )(?:phone |mobile |cell )?(?:number|no)\b/u,
  /\bold (?:phone |mobile |cell )?number (?:is |was )?(?:gone|cancell?ed|deactivated|not mine|no longer)/u,
];
/** Where the text takes the past back ("hasn't changed", 「変わってない」). */
const NUMBER_NOT_CHANGED = [
  re('番号\\s?(?:は|が|も)?\\s?(?:まだ)?\\s?(?:変わってない|変わっていない|変わってません|変わっていません|変えてない|変えていない|変更してない|変更していない)'),
  /\b(?:not|never|hasnt|hadnt|havent|didnt|isnt|wasnt|not yet) (?:\w+ ){0,3}chang/u,
  /\bif (?:\w+ ){0,3}(?:number|chang)/u,
];

/** A hedge ("かも", "maybe"): the customer is not sure the number changed, so the questions decide. */
const HEDGED = /かも|かな|(?:と|って)?思う|(?<![a-z])(?:maybe|might|perhaps|probably|i think|not sure)(?![a-z])/u;

/** Whether the message says the phone number has already changed (true), or nothing about it (undefined). */
export function extractNumberAlreadyChanged(text: string): true | undefined {
  if (HEDGED.test(text)) return undefined;
  for (const p of NUMBER_NOT_CHANGED) {
    p.lastIndex = 0;
    if (p.test(text)) return undefined;
  }
  for (const p of NUMBER_KEPT) {
    p.lastIndex = 0;
    if (p.test(text)) return undefined;
  }
  for (const p of NUMBER_ALREADY_CHANGED) {
    p.lastIndex = 0;
    if (p.test(text)) return true;
  }
  return undefined;
}

/**
 * The single method a message names, or, when it names several, the one its wording marks as
 * current ("今はSMS", "i use the app"); undefined when that is not clear ("電話もSMSも来ない").
 */
export function extractMethod(text: string): Method | undefined {
  const mentions = findMethods(text);
  const distinct = new Set(mentions.map((m) => m.method));
  if (distinct.size === 1) return mentions[0]?.method;
  return assignRoles(text, mentions).from?.method;
}

/** Slots relevant to an intent, from normalised text. */
export function extractSlots(text: string, intent: Intent): Slots {
  if (intent === 'change_method') return extractMethodChange(text);
  if (intent === 'out_of_scope' || intent === 'greeting' || intent === 'thanks' || intent === 'human_agent' || intent === 'ticket_status') {
    return {};
  }
  const slots: Slots = {};
  const method = extractMethod(text);
  if (method !== undefined) slots.method = method;
  if (intent === 'phone_replacement') {
    const numberChanges = extractNumberChanges(text);
    if (numberChanges !== undefined) slots.numberChanges = numberChanges;
  }
  if ((intent === 'phone_replacement' || intent === 'phone_lost') && extractNumberAlreadyChanged(text)) slots.numberAlreadyChanged = true;
  if ((intent === 'app_deleted' || intent === 'phone_lost' || intent === 'phone_replacement') && extractHasBackup(text) === false) slots.hasBackup = false;
  return slots;
}
