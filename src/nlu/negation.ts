/**
 * Negated mentions of what would otherwise name a topic ("I didn't delete the app", 「機種変更は
 * してない」, 「SMSじゃなくて」) are taken out of the text the model reads: the customer says
 * it is not that, so the words must count against the topic, not for it. Symptoms stated with a
 * negation ("not getting the SMS", 「届かない」) are kept: only the customer's own actions or the
 * thing they say it is not are removed.
 *
 * Works on normalised text (see `normalize`: kana as hiragana, "didn't" as "didnt").
 */

// Japanese stems of actions that name topics (deleted, changed phones, lost, broke, backed up…).
const JA_ACTIONS = [
  '削除', '消', 'けし', '機種変更', '機種変', 'きしゅへん', '変更', '変え', 'かえ', '替え', '無くし', '失くし', 'なくし', '紛失',
  '落とし', 'おとし', 'ばっくあっぷ', '壊', 'こわ', '水没', 'ろっく', 'あんいんすとうる',
];
// Between the stem and the negation: particles and auxiliaries (は, も, して, しちゃ, され, じゃ, では…).
// The thing not acted on goes too (「スマホ変えてない」, 「アプリも消してない」): a run before the stem
// without particles, and its particle.
const JA_NEGATED_ACTION = new RegExp(
  `(?:[^\\sはがをもにでの、]{1,8}[はがをも]?)?(?:${JA_ACTIONS.join('|')})[をはもがしてちゃいされじで取とっ]{0,5}?(?:ない|なく|ません|ず)[でてし]?`,
  'g',
);
// "X じゃなくて" / "X ではなく": X (up to a particle or space) is what it is not.
const JA_NOT_THIS = /(?:^|(?<=[\sはがをも、]))[^\sはがをも]{1,8}?(?:じゃなくて|じゃなく|じゃない|ではなくて|ではなく)/g;

const EN_NEGATIONS = new Set(['didnt', 'havent', 'hasnt', 'not', 'never', 'dont', 'wasnt', 'isnt', 'arent', 'werent', 'without', 'no', 'neither', 'nor']);
const EN_FILLERS = new Set(['a', 'an', 'the', 'my', 'it', 'even', 'yet', 'really', 'any', 'have', 'had', 'been', 'get', 'got', 'do', 'did', 'is', 'was', 'accidentally', 'ever', 'actually']);
const EN_ACTIONS = new Set([
  'delete', 'deleted', 'deleting', 'remove', 'removed', 'uninstall', 'uninstalled', 'erase', 'erased', 'wipe', 'wiped',
  'change', 'changed', 'changing', 'switch', 'switched', 'new', 'replace', 'replaced', 'upgrade', 'upgraded',
  'lose', 'lost', 'broke', 'broken', 'break', 'backup', 'backed', 'stolen', 'locked', 'lockout',
]);
const EN_OBJECTS = new Set(['phone', 'phones', 'device', 'the', 'app', 'apps', 'authenticator', 'it', 'my', 'a', 'up', 'number', 'anything', 'of', 'iphone', 'android']);

/** Normalised text without its negated topic mentions (see the module comment). */
export function withoutNegatedMentions(normalized: string): string {
  if (normalized === '') return normalized;
  let text = normalized.replace(JA_NEGATED_ACTION, ' ').replace(JA_NOT_THIS, ' ');
  const words = text.split(' ');
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!EN_NEGATIONS.has(word) && !(word === 'did' && words[i + 1] === 'not') && !(word === 'do' && words[i + 1] === 'not')) {
      kept.push(word);
      continue;
    }
    let j = i + 1;
    if (words[j] === 'not') j++;
    let skipped = 0;
    while (j < words.length && skipped < 3 && EN_FILLERS.has(words[j] ?? '')) {
      j++;
      skipped++;
    }
    if (!EN_ACTIONS.has(words[j] ?? '')) {
      kept.push(word);
      continue;
    }
    j++;
    for (let k = 0; k < 2 && EN_OBJECTS.has(words[j] ?? ''); k++) j++;
    i = j - 1;
  }
  text = kept.join(' ');
  return text.replace(/\s+/g, ' ').trim();
}
