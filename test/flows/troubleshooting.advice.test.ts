/**
 * The order and accuracy of the flow's advice, and the tone of its texts (issue 15): each rule a
 * careful reading of the guide found broken once, checked so it stays fixed.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { isStepMeta, type StepMeta } from '../../flows/step-meta.js';
import { describePath } from '../../flows/troubleshooting/path-answers.js';
import { HANDOFF_STATE_IDS, QUESTION_STEP_IDS, troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import { DEFAULT_SCREEN_LABELS, SCREEN_LABEL_KEYS } from '../../src/i18n/screen-labels.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from './troubleshooting-harness.js';

type Json = string | { [key: string]: Json };
const NAMESPACES = ['troubleshooting', 'options', 'common', 'nlu', 'handoff', 'tickets', 'identity', 'webchat', 'alerts', 'desk', 'tree'];
function flatten(value: Json, prefix: string, out: Map<string, string>): void {
  if (typeof value === 'string') out.set(prefix, value);
  else for (const [k, v] of Object.entries(value)) flatten(v, prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`, out);
}
/** The customer-facing namespaces of one language, flattened to `ns:key.path` → text. */
function load(lang: 'ja' | 'en'): Map<string, string> {
  const out = new Map<string, string>();
  for (const ns of NAMESPACES) {
    const file = fileURLToPath(new URL(`../../locales/${lang}/${ns}.json`, import.meta.url));
    flatten(JSON.parse(readFileSync(file, 'utf8')) as Json, `${ns}:`, out);
  }
  return out;
}
const texts = { ja: load('ja'), en: load('en') };
const LANGS = ['ja', 'en'] as const;

function node(id: string): AnyStateNode {
  return troubleshootingMachine.getStateNodeById(id);
}
function meta(id: string): StepMeta {
  const m = node(id).meta as unknown;
  if (!isStepMeta(m)) throw new Error(`${id} has no step meta`);
  return m;
}
const text = (lang: 'ja' | 'en', key: string): string => texts[lang].get(key) ?? `<missing ${key}>`;
const optionIds = (id: string) => meta(id).options.map((o) => o.id);
const lastMessage = (lang: 'ja' | 'en', id: string) => text(lang, meta(id).messages.at(-1)!);

describe('order and accuracy of the advice', () => {
  it('code rejected: the warning that repeated tries lock the login comes first, before any check', () => {
    const messages = meta('codeRejectedOtherService').messages;
    expect(messages[0]).toBe('troubleshooting:codeRejected.caution');
    expect(messages.indexOf('troubleshooting:codeRejected.caution')).toBeLessThan(messages.indexOf('troubleshooting:codeRejected.otherService.check'));
    expect(text('ja', messages[0]!)).toMatch(/ログインが制限/);
    expect(text('en', messages[0]!)).toMatch(/restrict your login/);
    // Said once, at the start: the end of the checks does not repeat it as news.
    expect(meta('codeRejectedUnresolved').messages).not.toContain('troubleshooting:codeRejected.caution');
  });

  it('SMS needs the mobile network, not mobile data', () => {
    const key = 'troubleshooting:smsNotReceived.airplaneMode.detail';
    expect(text('en', key)).toMatch(/mobile network/);
    expect(text('en', key)).not.toMatch(/mobile data(\/\w+)? (must|has to|needs to) be on/i);
    expect(text('en', key)).toMatch(/mobile data doesn't need to be on/);
    // The guide's own sentence first, then the note on mobile data.
    expect(text('ja', key)).toMatch(/^SMSの受信には携帯電話の電波（モバイル通信）が必要です。モバイルデータ通信はオフでも受け取れます。/);
    expect(text('ja', key)).not.toMatch(/「モバイル通信」がオン/);
  });

  it('every step answered yes or no ends with a question (in both languages)', () => {
    const yesNo = QUESTION_STEP_IDS.filter((id) => meta(id).options.some((o) => o.event === 'answer.yes' || o.event === 'answer.no'));
    expect(yesNo).toContain('callNotReceivedRegisteredNumber');
    for (const id of yesNo) {
      expect(lastMessage('ja', id), id).toMatch(/？$/);
      expect(lastMessage('en', id), id).toMatch(/\?$/);
    }
  });

  it('"did the code arrive?" is answered "arrived / not yet", "did the call come?" "it came / not yet", never "solved"', () => {
    const smsChecks = QUESTION_STEP_IDS.filter((id) => meta(id).messages.at(-1) === 'troubleshooting:smsNotReceived.received');
    const callChecks = QUESTION_STEP_IDS.filter((id) => meta(id).messages.at(-1) === 'troubleshooting:callNotReceived.received');
    expect(smsChecks).toHaveLength(4);
    expect(callChecks).toHaveLength(3);
    for (const id of smsChecks) expect(optionIds(id), id).toEqual(['arrived', 'notArrived']);
    for (const id of callChecks) expect(optionIds(id), id).toEqual(['callCame', 'callNotYet']);
    expect(optionIds('phoneLostReceiveOnNewPhone')[0]).toBe('arrived');
    expect(text('ja', 'options:arrived.label')).toBe('届いた');
    expect(text('ja', 'options:notArrived.label')).toBe('まだ届かない');
    expect(text('en', 'options:notArrived.label')).toBe('Not yet');
    // The "did it work?" buttons answer "were you able to …?" in Japanese too, not 「解決した」.
    expect(text('ja', 'options:worked.label')).toBe('できた');
    expect(text('ja', 'options:notWorked.label')).toBe('できなかった');
  });

  it.each([
    ['changeMethodCurrent', 'changeMethodFindCurrent'],
    ['phoneLostMethod', 'phoneLostFindMethod'],
    ['phoneReplacementMethod', 'phoneReplacementFindMethod'],
  ])('"which method do you use?" (%s) offers "not sure", which says how to find out and asks again', (askId, findId) => {
    expect(optionIds(askId)).toContain('notSure');
    const target = node(askId).transitions.get('answer.notSure')?.[0]?.target?.[0]?.id;
    expect(target).toBe(findId);
    const methods = optionIds(askId).filter((o) => ['sms', 'app', 'voice'].includes(o));
    expect(optionIds(findId)).toEqual(expect.arrayContaining(methods));
    expect(optionIds(findId)).not.toContain('notSure');
    // The way to find out comes before the question asked again.
    const messages = meta(findId).messages;
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.at(-1)).toBe(meta(askId).messages.at(-1));
    for (const lang of LANGS) expect(text(lang, messages[0]!)).toMatch(/\{\{securityMenuPath\}\}|SMS/);
    expect(text('ja', 'options:notSure.label')).toBe('わからない');
    expect(text('en', 'options:notSure.label')).toBe('Not sure');
  });

  it('informational topics end in "anything else?", not "glad that\'s sorted"', () => {
    const methods = run(['topic.methodsOverview', 'answer.ok', 'answer.yes']).getSnapshot();
    const backup = run(['topic.backup', 'answer.next', 'answer.ok', 'answer.yes']).getSnapshot();
    for (const s of [methods, backup]) {
      expect(s.status).toBe('done');
      expect(s.output).toEqual({ kind: 'resolved' });
      expect(Object.keys(s.getMeta())).toContain('informed');
    }
    expect(meta('informed').closing).toBe('common:anythingElse');
    expect(text('en', 'common:anythingElse')).toMatch(/anything else/i);
    expect(text('ja', 'common:anythingElse')).toMatch(/ほかに/);
    expect(text('en', 'common:anythingElse')).not.toMatch(/sorted|glad/i);
    // A fix still ends with the usual closing.
    expect(meta('resolved').closing).toBeUndefined();
  });

  it('a lost phone whose backup will not restore is answered as that, not as "no backup"', () => {
    const snapshot = run(['topic.phoneLostOrBroken', 'choose.app', 'answer.yes', 'answer.restoreFailed']).getSnapshot();
    expect(snapshot.output).toEqual({ kind: 'handoff', reason: 'phone_lost_no_backup' });
    expect(Object.keys(snapshot.getMeta())).toContain('handoffPhoneLostRestoreFailed');
    expect(text('en', meta('handoffPhoneLostRestoreFailed').messages[0]!)).toMatch(/backup won't restore/);
    expect(text('ja', meta('handoffPhoneLostRestoreFailed').messages[0]!)).toMatch(/バックアップから復元できない/);
    expect(text('en', meta('handoffPhoneLostRestoreFailed').messages[0]!)).not.toMatch(/have no backup/);
    // The desk, which knows only the ticket's reason, still names the answer that led there.
    const path = describePath(troubleshootingMachine, ['phoneLostMethod', 'phoneLostHasBackup', 'phoneLostRestore'], HANDOFF_STATE_IDS.phone_lost_no_backup);
    expect(path.map((p) => p.answerId)).toEqual(['app', 'yes', 'restoreFailed']);
  });

  it('English names GMO Coin\'s Japanese screen labels with an English gloss, from configuration', () => {
    const changeTexts = [...texts.en].filter(([k]) => k.startsWith('troubleshooting:changeMethod.') || k.startsWith('troubleshooting:method.'));
    for (const [key, value] of changeTexts) {
      // Screen names come from {{screen.*}} / {{securityMenuPath}}, never an English label the screen does not show.
      expect(value, key).not.toMatch(/"(2-Step Verification|Change to app|Change to phone call|Change to SMS|Send|Change verification method)"/);
    }
    expect(text('en', 'troubleshooting:changeMethod.steps.requestApp')).toContain('{{screen.changeToApp}}');
    expect(DEFAULT_SCREEN_LABELS.en.changeToApp).toBe('「アプリへ変更」 (Change to app)');
    expect(DEFAULT_SCREEN_LABELS.ja.changeToApp).toBe('「アプリへ変更」');
    for (const key of SCREEN_LABEL_KEYS) {
      const ja = DEFAULT_SCREEN_LABELS.ja[key];
      const en = DEFAULT_SCREEN_LABELS.en[key];
      // English shows the Japanese label (what the screen says) and glosses it, unless it is Latin already.
      if (/[^\x00-\x7f]/.test(en) && en !== ja) expect(en, key).toMatch(/^「.+」 \([^()]+\)$/);
      expect(en.includes(ja) || ja === '「SMS」', key).toBe(true);
    }
  });

  it('the three directions the guide does not describe are marked extrapolated and say less', () => {
    const guide = ['changeMethodSmsToApp', 'changeMethodAppToVoice', 'changeMethodVoiceToSms'];
    const inferred = ['changeMethodAppToSms', 'changeMethodSmsToVoice', 'changeMethodVoiceToApp'];
    for (const id of guide) expect(meta(id).extrapolated, id).toBeUndefined();
    for (const id of inferred) {
      const m = meta(id);
      expect(m.extrapolated, id).toBe(true);
      expect(m.messages, id).toContain('troubleshooting:changeMethod.other.note');
      expect(node(id).description, id).toMatch(/extrapolated/);
      for (const lang of LANGS) {
        const steps = m.messages.filter((k) => k.includes('.other.')).map((k) => text(lang, k));
        // No exact button or screen names: those are known only for the guide's own directions.
        for (const s of steps) expect(s, `${id} ${lang}`).not.toMatch(/\{\{screen\.(changeTo|confirm|set|send)/);
      }
    }
  });
});

describe('tone', () => {
  const customerFacing = (lang: 'ja' | 'en') =>
    [...texts[lang]].filter(([k]) => /^(troubleshooting|options|common|nlu|handoff|tickets|identity):/.test(k) && !k.endsWith('.synonyms'));

  it('Japanese: one register, the support desk\'s (no 〜しましょう), full-width parentheses', () => {
    for (const [key, value] of customerFacing('ja')) {
      expect(value, key).not.toMatch(/ましょう/);
      // `$t(ns:key)` is i18next's nesting, replaced by a label before the customer sees it.
      expect(value.replace(/\$t\([^)]*\)/g, ''), key).not.toMatch(/[()]/);
    }
  });

  // The web chat's page, the desk's console and alerts, and the tree diagram are read by
  // customers and agents too: the same register rules hold there.
  it('Japanese everywhere (web chat, desk, alerts, tree): no 〜しましょう, full-width parentheses, one apology, お客様', () => {
    const everywhere = [...texts.ja].filter(([k]) => /^(webchat|alerts|desk|tree):/.test(k));
    expect(everywhere.length).toBeGreaterThan(200);
    for (const [key, value] of [...everywhere, ...customerFacing('ja')]) {
      expect(value, key).not.toMatch(/ましょう|申し訳ありません|お客さま/);
      expect(value.replace(/\$t\([^)]*\)/g, '').replace(/\{\{[^}]*\}\}/g, ''), key).not.toMatch(/[()]/);
    }
  });

  it('Japanese: 「どれ」 for three or more options, 「どちら」 only for two', () => {
    for (const id of QUESTION_STEP_IDS) {
      const q = lastMessage('ja', id);
      if (meta(id).options.length >= 3) expect(q, id).not.toMatch(/どちら/);
    }
    expect(text('ja', 'nlu:clarify')).not.toMatch(/どちら/);
  });

  it('Japanese: labels written out, and the retry question in the desk\'s words', () => {
    expect(text('ja', 'options:oldAppGone.label')).toBe('アプリを削除・初期化した');
    for (const [key, value] of [...texts.ja].filter(([k]) => k.endsWith('.label'))) expect(value, key).not.toMatch(/済$/);
    expect(text('ja', 'troubleshooting:codeRejected.loggedIn')).toBe('この点を確認したうえで、最新のコードで一度だけお試しください。ログインできましたか？');
  });

  it('English: plain support English, no "formal procedure"', () => {
    for (const [key, value] of customerFacing('en')) expect(value, key).not.toMatch(/formal procedure|requires a procedure/i);
    expect(text('en', 'troubleshooting:lockout.messageShown.explain')).toMatch(/contact our support team/);
  });

  it('English: the ticket status line nests no parentheses, even for a reason that has some', () => {
    const line = text('en', 'tickets:statusLine').replace('{{reason}}', text('en', 'tickets:reason.app_lost_no_backup'));
    expect(line).not.toMatch(/\([^)]*\(/);
  });
});

/** Issue 15: the Japanese support lead's review of the texts against the guide, one finding a line. */
describe("the support lead's review (issue 15)", () => {
  const all = (lang: 'ja' | 'en') => [...texts[lang]].filter(([k]) => !k.endsWith('.synonyms'));

  it('"talk to a person" promises a review, not a change (#3, #12)', () => {
    expect(text('ja', 'identity:offer.contactOrProcedure')).toContain('担当者がアカウントとご相談内容を確認し、必要なお手続きをご案内します。最初にご本人確認をさせていただきます。');
    expect(text('ja', 'identity:offer.contactOrProcedure')).not.toMatch(/認証方法の変更|ログイン制限の解除|始められます/);
    expect(text('en', 'identity:offer.contactOrProcedure')).toContain("An agent will review your account and tell you what to do next. We'll first verify your identity.");
    expect(text('en', 'identity:offer.contactOrProcedure')).toContain('I can get that started here');
    expect(text('en', 'identity:offer.contactOrProcedure')).not.toMatch(/procedure/);
    expect(text('ja', 'identity:options.startProcedure.label')).toBe('担当者に確認を依頼');
    expect(text('en', 'identity:options.startProcedure.label')).toBe('Ask an agent to review');
    // "Start now?" follows the explanation that already says identity comes first.
    expect(text('ja', 'identity:offer.startNow')).toBe('今からご本人確認を始めますか？');
    expect(text('en', 'identity:offer.startNow')).toBe('Would you like to start identity verification now?');
    // Plain support English, not a literal お手続き ("the procedure"), when the customer says not now.
    expect(text('en', 'identity:declined.notNow')).toContain('to verify your identity with our support team');
    expect(text('en', 'identity:declined.notNow')).not.toMatch(/procedure/);
  });

  it('after warning against retries, the check asks for one try with a fresh code (#4)', () => {
    expect(text('en', 'troubleshooting:codeRejected.loggedIn')).toBe('After this check, try once with a fresh code. Were you able to log in?');
    expect(text('en', 'troubleshooting:codeRejected.caution')).toContain("you'd then need to contact support to have it lifted. Please don't keep retrying.");
  });

  it('a switch to SMS or phone call says where the codes go, in the closing and the notification (#5)', () => {
    for (const key of ['handoff:whatNextSwitch', 'tickets:notify.changeCarriedOut.switch_2fa_to_sms_or_voice']) {
      expect(text('ja', key), key).toContain('コードはご登録の電話番号に届きます。スマホをなくされた場合は、同じ電話番号を使える状態にしてください。');
      expect(text('en', key), key).toMatch(/go to your registered phone number; if you've lost your phone, please make sure you can use that same number\./);
    }
  });

  it('both languages say support acts and identity is verified, for every handoff reason (#6)', () => {
    for (const [key, ja] of all('ja').filter(([k]) => k.startsWith('troubleshooting:handoff.') && k !== 'troubleshooting:handoff.customerRequested')) {
      expect(ja, key).toMatch(/サポートで.+お手続きにはご本人確認が必要です。$/);
      expect(text('en', key), key).toMatch(/support .+\. This requires verifying your identity\.$/);
    }
    expect(text('ja', 'troubleshooting:handoff.appLostNoBackup')).toContain('サポートで2段階認証の方法を「SMS」か「電話」に切り替えます。お手続きにはご本人確認が必要です。');
  });

  it('the change steps end as steps, and the directions the guide lacks say so (#7, #8)', () => {
    expect(text('ja', 'troubleshooting:changeMethod.steps.prompt')).toBe('手順は以上です。変更できましたか？');
    expect(text('en', 'troubleshooting:changeMethod.steps.prompt')).toBe('Those are all the steps. Did the change go through?');
    expect(text('ja', 'troubleshooting:changeMethod.other.note')).toBe('この変更については画面の詳しい表示をお伝えできないため、おおまかな流れをご案内します。実際の画面の表示に従ってお進みください。');
    expect(text('en', 'troubleshooting:changeMethod.other.note')).toBe("We can't give the exact screen names for this change, so here is the general flow; please follow what the screen shows.");
  });

  it('ticket statuses and reasons are labels that agree across languages (#9, #10, minor)', () => {
    expect(text('ja', 'tickets:status.verified')).toBe('本人確認済み・対応中');
    expect(text('en', 'tickets:status.verified')).toBe('identity verified, in progress');
    expect(text('ja', 'tickets:status.verification_failed')).toBe('本人確認不可');
    expect(text('ja', 'tickets:reason.app_lost_no_backup')).toBe('認証アプリが使えない（有効なバックアップなし）');
    expect(text('en', 'tickets:reason.app_lost_no_backup')).toBe('authenticator app unavailable (no usable backup)');
    for (const lang of LANGS) expect(text(lang, 'tickets:status.verified'), lang).not.toMatch(/承認|approval/);
  });

  it('a number update says SMS and phone-call codes go to the updated number (#11)', () => {
    expect(text('ja', 'tickets:notify.changeCarriedOut.update_phone_number')).toContain('SMS・電話のコードは、変更後の番号に届きます。');
    expect(text('en', 'tickets:notify.changeCarriedOut.update_phone_number')).toContain('SMS and phone-call codes now go to the updated number.');
  });

  it('the current method is shown next to the label; buttons are written as the customer would say them (#13, #14)', () => {
    expect(text('en', 'troubleshooting:method.securityPage')).toContain('also shows it next to {{screen.currentMethod}}');
    const labels = {
      lostNoBackup: ['バックアップなしで紛失した', 'Lost phone, no backup', '紛失・バックアップなし'],
      numberAlreadyChanged: ['電話番号がすでに変わった', 'Number already changed', '番号がすでに変わった'],
      oldPhoneGone: ['旧スマホが手元にない', "Don't have the old phone", '手放した・紛失'],
      oldAppGone: ['アプリを削除・初期化した', 'App deleted or phone wiped', 'アプリ削除・初期化済み'],
    };
    for (const [id, [ja, en, old]] of Object.entries(labels)) {
      expect(text('ja', `options:${id}.label`)).toBe(ja);
      expect(text('en', `options:${id}.label`)).toBe(en);
      // The old label still matches when typed.
      expect(text('ja', `options:${id}.synonyms`).split('|'), id).toContain(old);
    }
    // The texts that name a button quote its label, so they cannot drift apart.
    expect(text('ja', 'troubleshooting:backup.risks.prompt')).toContain('「$t(options:lostNoBackup.label)」');
    expect(text('ja', 'troubleshooting:phoneReplacement.switchToApp.prompt')).toContain('「$t(options:numberAlreadyChanged.label)」');
    expect(text('en', 'troubleshooting:backup.risks.prompt')).toContain('"$t(options:lostNoBackup.label)"');
    expect(text('en', 'troubleshooting:phoneReplacement.switchToApp.prompt')).toContain('"$t(options:numberAlreadyChanged.label)"');
  });

  it('one word for the phone method: "phone call" in English, 「電話」 in Japanese (#15)', () => {
    for (const [key, value] of all('en')) expect(value, key).not.toMatch(/voice call/i);
    for (const [key, value] of all('ja')) expect(value, key).not.toContain('音声通話');
    expect(DEFAULT_SCREEN_LABELS.en.changeToVoice).toBe('「お電話へ変更」 (Change to phone call)');
    expect(DEFAULT_SCREEN_LABELS.en.shownVoice).toBe('「お電話」 (phone call)');
    expect(DEFAULT_SCREEN_LABELS.en.shownSms).toBe('「SMS」');
  });

  it('the minor wording items', () => {
    const ja: Record<string, string> = {
      'troubleshooting:smsNotReceived.signal.detail': 'コードの再送信をお試しください',
      'troubleshooting:phoneReplacement.appBackup.message': 'QRコードのバックアップを必ずお取りください。',
      'troubleshooting:phoneReplacement.backupNow.backup': 'おすすめします',
      'common:resolvedClosing': '解決してよかったです。',
      'common:unsure': 'ご確認のうえお答えください。',
      'nlu:alsoOffer': 'もう一つのお困りごとは、こちらからご案内します。',
      'identity:emptyAnswer': '入力されていないようです。もう一度ご入力ください。',
      'identity:errors.dateOfBirth.tooOld': '年をご確認ください',
      'identity:errors.dateOfBirth.future': '正しい日付をご入力ください。',
      'identity:form.fullName.label': '漢字・ひらがな・カタカナ・ローマ字',
      'common:buttons.status': 'お問い合わせ状況',
      'tickets:notify.infoRequested': '担当者より確認したいことがございます。',
      'tickets:notify.changeCarriedOut.unlock_login': 'お間違えのないようご入力ください。',
    };
    const en: Record<string, string> = {
      'troubleshooting:smsNotReceived.methodSetting.detail': 'use your current method instead (app or phone call)',
      'troubleshooting:codeRejected.expired.detail': 'Use a new code (for SMS, request a new one).',
      'troubleshooting:changeMethod.cannotLogIn.message': "I'll help you find the cause.",
      'identity:options.correct.phoneLast4.label': 'Correct last 4 digits',
      'troubleshooting:methodsOverview.types': 'SMS, authenticator app or phone call',
    };
    for (const [key, part] of Object.entries(ja)) expect(text('ja', key), key).toContain(part);
    for (const [key, part] of Object.entries(en)) expect(text('en', key), key).toContain(part);
    // The name's label allows what its error message allows.
    expect(text('ja', 'identity:errors.fullName.invalid')).toContain('漢字・ひらがな・カタカナ・ローマ字');
    expect(text('ja', 'identity:ask.fullName')).toContain('漢字・ひらがな・カタカナ・ローマ字');
    // Replies in chat are not attached to a ticket, so a request for information keeps the support-contact route.
    expect(text('ja', 'tickets:notify.infoRequested')).toContain('{{supportContact}} からご回答ください');
    // A backup when switching phones is recommended, not required.
    expect(text('en', 'troubleshooting:phoneReplacement.backupNow.backup')).toContain('we recommend');
  });
});
