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
const NAMESPACES = ['troubleshooting', 'options', 'common', 'nlu', 'handoff', 'tickets', 'identity'];
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
    expect(text('ja', key)).toMatch(/電波（モバイルネットワーク）/);
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
    const methods = run(['topic.methodsOverview', 'answer.ok']).getSnapshot();
    const backup = run(['topic.backup', 'answer.next', 'answer.ok']).getSnapshot();
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
      if (/[^\x00-\x7f]/.test(en)) expect(en, key).toMatch(/^「.+」 \([^()]+\)$/);
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

  it('Japanese: 「どれ」 for three or more options, 「どちら」 only for two', () => {
    for (const id of QUESTION_STEP_IDS) {
      const q = lastMessage('ja', id);
      if (meta(id).options.length >= 3) expect(q, id).not.toMatch(/どちら/);
    }
    expect(text('ja', 'nlu:clarify')).not.toMatch(/どちら/);
  });

  it('Japanese: labels written out, and the retry question in the desk\'s words', () => {
    expect(text('ja', 'options:oldAppGone.label')).toBe('アプリ削除・初期化済み');
    for (const [key, value] of [...texts.ja].filter(([k]) => k.endsWith('.label'))) expect(value, key).not.toMatch(/済$/);
    expect(text('ja', 'troubleshooting:codeRejected.loggedIn')).toBe('もう一度お試しいただき、ログインできましたか？');
  });

  it('English: plain support English, no "formal procedure"', () => {
    for (const [key, value] of customerFacing('en')) expect(value, key).not.toMatch(/formal procedure|requires a procedure/i);
    expect(text('en', 'troubleshooting:lockout.messageShown.explain')).toMatch(/verify your identity with our support team/);
  });

  it('English: the ticket status line nests no parentheses, even for a reason that has some', () => {
    const line = text('en', 'tickets:statusLine').replace('{{reason}}', text('en', 'tickets:reason.app_lost_no_backup'));
    expect(line).not.toMatch(/\([^)]*\(/);
  });
});
