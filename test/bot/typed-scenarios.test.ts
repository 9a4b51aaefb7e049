/**
 * The guide's scenarios typed as text, the way customers write: yes/no and はい/いいえ, option
 * numbers (also full-width and 「2番」), option words in either language and any case, short
 * sentences, and answers in the other language than the conversation's. Each row: what the
 * customer types after the welcome → how the conversation ends, and every reply stays in the
 * conversation's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotHarness } from '../helpers/bot-harness.js';
import { outcomeOf, type SeenOutcome } from '../helpers/outcome-of.js';
import { LOCALE_OF, replyProblems, type Lang } from '../helpers/reply-checks.js';

interface Row {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outcome: SeenOutcome;
}

const TABLE: Readonly<Record<Lang, readonly Row[]>> = {
  ja: [
    { name: 'コードが通らない: 別サービスのコードだった (option words)', inputs: ['コードが通らない', 'できました', 'はい'], outcome: 'resolved' },
    { name: 'コードが通らない: 有効期限切れ (full-width numbers)', inputs: ['２', '２', '１', '解決した'], outcome: 'resolved' },
    { name: 'コードが通らない: 全部だめで担当者へ (「2番」, いいえ ×3, 担当者)', inputs: ['2番', 'いいえ', 'いいえ', 'いいえ', '担当者'], outcome: 'handoff:customer_requested' },
    { name: 'アプリを削除、バックアップなし', inputs: ['アプリを削除した', 'いいえ'], outcome: 'handoff:app_lost_no_backup' },
    { name: 'アプリを削除、バックアップから復元できた', inputs: ['3', 'はい', '解決した', 'できた'], outcome: 'resolved' },
    { name: 'アプリを削除、復元できない', inputs: ['3', 'はい', '復元できない'], outcome: 'handoff:app_lost_no_backup' },
    { name: 'SMSが届かない (full-width ＳＭＳ), 全部だめ, 担当者に相談 (option 1)', inputs: ['ＳＭＳが届かない', 'いいえ', 'いいえ', 'いいえ', 'いいえ', '1'], outcome: 'handoff:customer_requested' },
    { name: 'SMSが届かない: 機内モードだった', inputs: ['4', 'いいえ', 'いいえ', 'はい', 'hai'], outcome: 'resolved' },
    { name: '電話がかかってこない: 登録番号が違う', inputs: ['電話がかかってこない', 'いいえ'], outcome: 'handoff:registered_number_wrong' },
    { name: '電話がかかってこない: 117で電波を確認', inputs: ['5', 'はい', 'いいえ', 'いいえ', 'はい', 'はい、解決しました'], outcome: 'resolved' },
    { name: '認証方法の変更: SMS → アプリ', inputs: ['認証方法の変更', 'SMS', 'アプリ', 'はい', 'yes'], outcome: 'resolved' },
    { name: '認証方法の変更: 電話 → SMS (katakana-free words)', inputs: ['6', '電話', 'sms', 'できました', '解決しました'], outcome: 'resolved' },
    { name: '認証方法の変更: ログインできない → SMSが届かない', inputs: ['6', 'ログインできない', 'SMSが届かない', 'はい', 'it worked'], outcome: 'resolved' },
    { name: 'バックアップ: 読んで了解', inputs: ['バックアップ', '次へ', 'わかりました', 'はい'], outcome: 'resolved' },
    { name: 'バックアップ: もうなくした', inputs: ['7', '次へ', '紛失・バックアップなし'], outcome: 'handoff:phone_lost_no_backup' },
    { name: 'スマホをなくした: アプリ、バックアップなし', inputs: ['スマホをなくした', 'アプリ', 'いいえ'], outcome: 'handoff:phone_lost_no_backup' },
    { name: 'スマホが壊れた: 電話、番号が変わった', inputs: ['8', '電話', 'いいえ'], outcome: 'handoff:phone_number_changed' },
    { name: 'ログイン制限', inputs: ['ログイン制限', 'はい'], outcome: 'handoff:login_lockout' },
    { name: '機種変更: 電話、番号変更済み', inputs: ['機種変更', '電話', 'はい', '番号変更済み'], outcome: 'handoff:phone_number_changed' },
    { name: '機種変更: SMS、番号そのまま', inputs: ['10', 'SMS', 'いいえ', 'わかりました', '解決した'], outcome: 'resolved' },
    { name: '機種変更: アプリ、バックアップなし、旧端末は手放した', inputs: ['10', 'アプリ', 'いいえ', '手放した'], outcome: 'handoff:phone_lost_no_backup' },
    { name: 'a sentence: 「はい、できました！」', inputs: ['2', 'はい、できました！', 'できた'], outcome: 'resolved' },
    { name: 'mixed: "yes" in a Japanese chat', inputs: ['9', 'yes'], outcome: 'handoff:login_lockout' },
    { name: 'mixed: English option words and "No" in a Japanese chat', inputs: ['deleted the app', 'No'], outcome: 'handoff:app_lost_no_backup' },
    { name: 'stops at the question when the answer is missing', inputs: ['2', 'いいえ'], outcome: 'at:codeRejectedExpired' },
    { name: 'SMSが届かない: 「きました」(hiragana) は届いた', inputs: ['SMSが届かない', 'きました', 'hai'], outcome: 'resolved' },
    { name: 'SMSが届かない: 「まだこない」で次の確認へ', inputs: ['SMSが届かない', 'まだこない'], outcome: 'at:smsNotReceivedSignal' },
    { name: 'コードが通らない: 「通りません」で次の確認へ', inputs: ['コードが通らない', 'やっぱり通りません'], outcome: 'at:codeRejectedExpired' },
    // Issue 18: "has this solved your problem?" answered no, typed.
    { name: '解決しましたか: 「いいえ」で残りの確認の案内', inputs: ['SMSが届かない', '届いた', 'いいえ'], outcome: 'at:notSolvedMoreChecks' },
    { name: '解決しましたか: 「まだです」→ 残りの確認 → 次の確認', inputs: ['SMSが届かない', '届いた', 'まだです', '残りの項目を確認する'], outcome: 'at:smsNotReceivedSignal' },
    { name: '解決しましたか: 「iie」(romaji) → 確認はもうない → 担当者', inputs: ['2', 'いいえ', 'いいえ', 'できた', 'iie', '担当者に相談'], outcome: 'handoff:customer_requested' },
    { name: '解決しましたか: 「解決していません」', inputs: ['1', 'わかりました', 'まだ解決していません'], outcome: 'at:notSolved' },
  ],
  en: [
    { name: 'code not accepted: code of another service (lower case words)', inputs: ['code not accepted', 'yes', 'yes'], outcome: 'resolved' },
    { name: 'code not accepted: outdated browser (full-width 2, upper case)', inputs: ['２', 'NO', 'No', 'YES', 'it worked'], outcome: 'resolved' },
    { name: 'code not accepted: nothing helps, agent', inputs: ['2', 'no', 'no', 'no', 'agent'], outcome: 'handoff:customer_requested' },
    { name: 'deleted the app, no backup', inputs: ['deleted the app', 'no'], outcome: 'handoff:app_lost_no_backup' },
    { name: 'deleted the app, restored from the backup', inputs: ['3', 'y', 'that worked', 'Yes, thanks'], outcome: 'resolved' },
    { name: 'no SMS code: nothing helps, talk to an agent (option 1)', inputs: ['No SMS code', 'no', 'no', 'no', 'no', '1'], outcome: 'handoff:customer_requested' },
    { name: 'no SMS code: poor signal', inputs: ['no sms code', 'nope', 'it worked', 'yeah'], outcome: 'resolved' },
    { name: 'no SMS code: "still doesnt work" (no apostrophe) goes to the next check', inputs: ['no sms code', 'still doesnt work'], outcome: 'at:smsNotReceivedSignal' },
    { name: 'no SMS code: "didnt work" goes to the next check', inputs: ['no sms code', 'didnt work'], outcome: 'at:smsNotReceivedSignal' },
    // One normaliser (src/nlu/normalize.ts) for synonyms and input: each list holds one spelling.
    { name: 'no SMS code: "hasn’t arrived" (curly apostrophe) and "hasnt arrived" are one answer', inputs: ['no sms code', 'hasn’t arrived', 'hasnt arrived'], outcome: 'at:smsNotReceivedAirplaneMode' },
    { name: 'no phone call: registered number wrong', inputs: ['no phone call', 'no'], outcome: 'handoff:registered_number_wrong' },
    { name: 'change 2FA method: SMS → app', inputs: ['change 2fa method', 'sms', 'authenticator app', 'it worked', 'はい'], outcome: 'resolved' },
    { name: 'change 2FA method: app → phone call, fails, agent option', inputs: ['6', 'app', 'phone call', 'still not working', '1'], outcome: 'handoff:customer_requested' },
    { name: 'backing up: lost it, no backup', inputs: ['backing up 2fa', 'next', 'lost it, no backup'], outcome: 'handoff:phone_lost_no_backup' },
    { name: 'lost phone: phone call, new number', inputs: ['lost/broken phone', 'phone call', 'no'], outcome: 'handoff:phone_number_changed' },
    { name: 'lost phone: SMS, same number, codes arrive', inputs: ['8', 'text', 'yes', 'worked', 'hai'], outcome: 'resolved' },
    { name: 'login locked', inputs: ['login locked', 'yes'], outcome: 'handoff:login_lockout' },
    { name: 'new phone: app, no backup, app deleted', inputs: ['new phone', 'app', 'no', 'app deleted'], outcome: 'handoff:app_lost_no_backup' },
    { name: 'new phone: SMS, same number (option 10)', inputs: ['10', 'sms', 'no', 'got it', 'solved'], outcome: 'resolved' },
    { name: 'methods overview understood', inputs: ['1', 'Got it!', 'that worked'], outcome: 'resolved' },
    { name: 'a sentence: "Yes, it worked!"', inputs: ['2', 'Yes, it worked!', 'yes'], outcome: 'resolved' },
    { name: 'mixed: はい / 解決した in an English chat', inputs: ['3', 'はい', '解決した', 'it worked'], outcome: 'resolved' },
    { name: 'mixed: Japanese topic words in an English chat', inputs: ['ログイン制限', 'はい'], outcome: 'handoff:login_lockout' },
    { name: 'agent at the main menu', inputs: ['agent'], outcome: 'handoff:customer_requested' },
    { name: 'stops at the question when the answer is missing', inputs: ['4', 'no'], outcome: 'at:smsNotReceivedSignal' },
    // Issue 18: "has this solved your problem?" answered no, typed.
    { name: 'solved? "no" offers the remaining checks', inputs: ['no sms code', 'it arrived', 'no'], outcome: 'at:notSolvedMoreChecks' },
    { name: 'solved? "still not working" → remaining checks → the next one', inputs: ['no sms code', 'it arrived', 'still not working', 'continue'], outcome: 'at:smsNotReceivedSignal' },
    { name: 'solved? "not yet" with no check left → agent', inputs: ['2', 'no', 'no', 'worked', 'not yet', 'talk to an agent'], outcome: 'handoff:customer_requested' },
    { name: 'solved? "iie" (romaji) after advice', inputs: ['1', 'got it', 'iie'], outcome: 'at:notSolved' },
  ],
};

describe.each(['ja', 'en'] as const)('typed scenarios (%s)', (lang) => {
  let harness: BotHarness;
  beforeAll(() => {
    harness = new BotHarness({ locale: LOCALE_OF[lang] });
  });
  afterAll(() => harness.close());

  it.each(TABLE[lang].map((row, i) => [row.name, i] as const))('%s', async (_name, i) => {
    const row = TABLE[lang][i]!;
    const conversation = { id: `typed-${lang}-${i}` } as never;
    const all = [...(await harness.join({ conversation }))];
    let last = all;
    for (const input of row.inputs) {
      last = await harness.say(input, { conversation });
      all.push(...last);
      // Every typed input gets an answer that moves on; none is read as "not understood".
      const t = harness.services.localizer.forLanguage(lang);
      expect(last.map((r) => r.text), `after ${JSON.stringify(input)}`).not.toContain(t('common:notUnderstood'));
      expect(last.map((r) => r.text), `after ${JSON.stringify(input)}`).not.toContain(t('common:notUnderstoodMenu'));
    }
    expect(outcomeOf(last, harness.services.localizer, lang)).toBe(row.outcome);
    expect(replyProblems(all, lang)).toEqual([]);
  });
});
