/**
 * Checks on bot replies as a customer reads them: no raw locale keys, no text in the other
 * language, and the buttons a step must show. Shared by the conversation tests in test/bot.
 */
import type { StepMeta } from '../../flows/step-meta.js';
import { isStepMeta } from '../../flows/step-meta.js';
import { MAIN_MENU_ID, troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import type { Localizer } from '../../src/i18n/i18n.js';
import type { SeenReply } from './bot-harness.js';

export type Lang = 'ja' | 'en';

export const LOCALE_OF: Readonly<Record<Lang, string>> = { ja: 'ja-JP', en: 'en-US' };

/** Hiragana, katakana (full and half width), CJK ideographs, Japanese punctuation. */
const JAPANESE = /[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/u;

/** The language-switch word, legitimately shown in English replies (button and help text). */
const SWITCH_TO_JAPANESE = '日本語';

/**
 * A Japanese screen label quoted in English with its English gloss: 「アプリへ変更」 (Change to app),
 * or a menu path 「口座情報」→「セキュリティ」 (Account → Security). The exchange's screens are in
 * Japanese, so the English chat names what the customer will really see; without the gloss it
 * would be Japanese in an English reply.
 */
const GLOSSED_SCREEN_LABEL = /「[^」]+」(?:\s*→\s*「[^」]+」)*\s\([^()\u3000-\u9fff]+\)/gu;

/** A screen label that is Latin already, quoted as the screen shows it: 「SMS」 needs no gloss. */
const LATIN_SCREEN_LABEL = /「[\x20-\x7e]+」/gu;

/** English text without the glossed Japanese screen labels it may quote (see GLOSSED_SCREEN_LABEL). */
export function withoutGlossedScreenLabels(text: string): string {
  return text.replace(GLOSSED_SCREEN_LABEL, '').replace(LATIN_SCREEN_LABEL, '');
}

export function hasJapanese(text: string): boolean {
  return JAPANESE.test(text);
}

/** Every string a customer can read in a reply: text, button titles, card texts. */
export function readableStrings(reply: SeenReply): string[] {
  const out = [reply.text, ...reply.buttons];
  for (const att of reply.activity.attachments ?? []) collectStrings(att.content, out);
  return out.filter((s) => s !== '');
}

function collectStrings(node: unknown, out: string[], key = ''): void {
  if (typeof node === 'string') {
    // Card plumbing (types, ids, schema URLs, styles) is not text a customer reads.
    if (['text', 'title', 'label', 'placeholder', 'errorMessage', 'value', 'subtitle'].includes(key)) out.push(node);
    return;
  }
  if (Array.isArray(node)) for (const n of node) collectStrings(n, out, key);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) if (k !== 'data') collectStrings(v, out, k);
  }
}

/**
 * A string that shows a locale key instead of text. i18next returns a missing key without its
 * namespace (`smsNotReceived.airplaneMode.prompt`), so besides namespaced keys and unfilled
 * `{{placeholders}}` this catches dotted identifiers and camelCase words followed by `.word`.
 */
export function looksLikeRawKey(text: string): boolean {
  return (
    /\b(?:troubleshooting|options|common|identity|handoff|tickets):[A-Za-z]/.test(text) ||
    /\{\{|\}\}|\$t\(/.test(text) ||
    /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/.test(text.trim()) ||
    /\b[a-z]+[A-Z][A-Za-z0-9]*\.[A-Za-z]/.test(text)
  );
}

/** Problems a customer would notice in these replies for a conversation in `lang` (empty = fine). */
export function replyProblems(replies: readonly SeenReply[], lang: Lang): string[] {
  const problems: string[] = [];
  for (const reply of replies) {
    for (const s of readableStrings(reply)) {
      if (looksLikeRawKey(s)) problems.push(`raw key or placeholder: ${JSON.stringify(s)}`);
      if (lang === 'en' && hasJapanese(withoutGlossedScreenLabels(s.replaceAll(SWITCH_TO_JAPANESE, '')))) {
        problems.push(`Japanese in an English reply: ${JSON.stringify(s)}`);
      }
    }
    if (lang === 'ja') {
      if (reply.text !== '' && !hasJapanese(reply.text)) problems.push(`Japanese reply without Japanese: ${JSON.stringify(reply.text)}`);
      // Japanese text quotes at most a product name in Latin letters, never an English sentence.
      const english = /[A-Za-z]+(?:[ ,'’-]+[A-Za-z]+){2,}/.exec(reply.text.replace(/https?:\/\/\S+/g, ''));
      if (english) problems.push(`English words in a Japanese reply: ${JSON.stringify(english[0])} in ${JSON.stringify(reply.text)}`);
    }
  }
  return problems;
}

/** The meta of a troubleshooting state by id. */
export function metaOf(stepId: string): StepMeta {
  const meta = troubleshootingMachine.getStateNodeById(stepId).meta as unknown;
  if (!isStepMeta(meta)) throw new Error(`${stepId} has no step meta`);
  return meta;
}

interface AnswerValue {
  t: 'answer';
  step: string;
  event: string;
}

function isAnswerValue(v: unknown): v is AnswerValue {
  return typeof v === 'object' && v !== null && (v as { t?: unknown }).t === 'answer' && typeof (v as { step?: unknown }).step === 'string';
}

/** The step the customer is asked about: the step named by the answer buttons of the last reply with buttons. */
export function askedStep(replies: readonly SeenReply[]): string | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const answer = replies[i]!.values.find(isAnswerValue);
    if (answer) return answer.step;
  }
  return undefined;
}

/** The button (title and value) that answers `event` at `step`, if shown. */
export function answerButton(replies: readonly SeenReply[], step: string, event: string): { title: string; value: AnswerValue } | undefined {
  for (let i = replies.length - 1; i >= 0; i--) {
    const r = replies[i]!;
    const index = r.values.findIndex((v) => isAnswerValue(v) && v.step === step && v.event === event);
    if (index >= 0) return { title: r.buttons[index]!, value: r.values[index] as AnswerValue };
  }
  return undefined;
}

/** The button titles a troubleshooting step must show, in order: its options, then navigation. */
export function expectedButtons(localizer: Localizer, lang: Lang, stepId: string): string[] {
  const t = localizer.forLanguage(lang);
  const options = metaOf(stepId).options.map((o) => t(`options:${o.id}.label`));
  const navigation =
    stepId === MAIN_MENU_ID
      ? [t('common:buttons.agent'), t('common:buttons.otherLanguage')]
      : [t('common:buttons.back'), t('common:buttons.menu')];
  return [...options, ...navigation];
}

/** The texts of a step's messages in one language, in order. */
export function stepTexts(localizer: Localizer, lang: Lang, stepId: string): string[] {
  const t = localizer.forLanguage(lang);
  return metaOf(stepId).messages.map((key) => t(key));
}

/**
 * What must hold when the customer is shown question `stepId`: its messages in order, and on the
 * last of them exactly its option buttons plus navigation. Returns problems (empty = fine).
 */
export function questionProblems(replies: readonly SeenReply[], localizer: Localizer, lang: Lang, stepId: string): string[] {
  const problems: string[] = [];
  const texts = replies.map((r) => r.text);
  const expected = stepTexts(localizer, lang, stepId);
  let from = 0;
  for (const text of expected) {
    const at = texts.indexOf(text, from);
    if (at < 0) problems.push(`${stepId}: message ${JSON.stringify(text.slice(0, 60))} not shown (in order)`);
    else from = at + 1;
  }
  const last = replies.at(-1);
  if (!last) return [...problems, `${stepId}: no reply`];
  const want = expectedButtons(localizer, lang, stepId);
  if (JSON.stringify(last.buttons) !== JSON.stringify(want)) {
    problems.push(`${stepId}: buttons ${JSON.stringify(last.buttons)}, expected ${JSON.stringify(want)}`);
  }
  const answers = last.values.filter(isAnswerValue);
  const events = metaOf(stepId).options.map((o) => o.event);
  if (answers.some((v) => v.step !== stepId) || JSON.stringify(answers.map((v) => v.event)) !== JSON.stringify(events)) {
    problems.push(`${stepId}: button values ${JSON.stringify(answers)} do not answer this step with ${JSON.stringify(events)}`);
  }
  return problems;
}

/** Whether any reply has exactly this text. */
export function shows(replies: readonly SeenReply[], text: string): boolean {
  return replies.some((r) => r.text === text);
}

/** The Adaptive Card of a reply set, if one was sent. */
export function adaptiveCard(replies: readonly SeenReply[]): Record<string, unknown> | undefined {
  for (const r of replies) {
    for (const att of r.activity.attachments ?? []) {
      if (att.contentType === 'application/vnd.microsoft.card.adaptive') return att.content as Record<string, unknown>;
    }
  }
  return undefined;
}
