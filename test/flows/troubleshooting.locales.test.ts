/**
 * The troubleshooting flow's locale files: every key a step names exists in both languages,
 * the two languages have the same keys, and each text is in its own language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { isStepMeta, type StepMeta } from '../../flows/step-meta.js';
import { OPTION_IDS, troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import { SCREEN_LABEL_KEYS } from '../../src/i18n/screen-labels.js';
import { localeTexts, namespaceKeys } from './troubleshooting-harness.js';

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const ALLOWED_VARIABLES = new Set(['exchangeName', 'securityMenuPath', 'supportContact', ...SCREEN_LABEL_KEYS.map((k) => `screen.${k}`)]);
const LANGS = ['ja', 'en'] as const;
const texts = { ja: localeTexts('ja'), en: localeTexts('en') };

function metas(node: AnyStateNode = troubleshootingMachine.root): { id: string; meta: StepMeta }[] {
  const own = isStepMeta(node.meta) ? [{ id: node.id, meta: node.meta }] : [];
  return [...own, ...Object.values(node.states).flatMap((child) => metas(child))];
}

const variables = (text: string): string[] => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!).sort();

/** Roughly what the interpreter does before comparing words (NFKC, lower case, katakana → hiragana). */
const fold = (word: string): string =>
  word
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60))
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('troubleshooting locales', () => {
  it.each(['troubleshooting', 'options'])('%s.json has the same keys in ja and en', (ns) => {
    expect(namespaceKeys('ja', ns)).toEqual(namespaceKeys('en', ns));
  });

  it.each(LANGS)('has every message key of every step in %s', (lang) => {
    const missing = metas().flatMap(({ id, meta }) => meta.messages.filter((k) => !texts[lang].has(k)).map((k) => `${id}: ${k}`));
    expect(missing).toEqual([]);
  });

  it.each(LANGS)('has a label and synonyms for every option in %s', (lang) => {
    const shown = new Set(metas().flatMap(({ meta }) => meta.options.map((o) => o.id)));
    for (const id of new Set([...shown, ...OPTION_IDS])) {
      expect(texts[lang].get(`options:${id}.label`), `${lang} options:${id}.label`).toBeTruthy();
      expect(texts[lang].get(`options:${id}.synonyms`), `${lang} options:${id}.synonyms`).toBeTruthy();
    }
  });

  // The desk's tree diagram numbers the checks as the customer hears them (issue 15: the call
  // checks' ③ and ④ were swapped there, so an agent saw another order than the customer).
  it.each(LANGS)('numbers each check in the tree diagram as the customer reads it, in %s', (lang) => {
    const labels = (JSON.parse(readFileSync(join('locales', lang, 'tree.json'), 'utf8')) as { step: Record<string, string> }).step;
    const numberOf = (text: string): number | undefined => {
      const circled = /[①-⑨]/.exec(text);
      if (circled) return circled[0].charCodeAt(0) - 0x2460 + 1;
      const plain = /^(?:\D{0,12}?)(\d)\)|(?:Check|Cause) (\d)\b/.exec(text);
      return plain ? Number(plain[1] ?? plain[2]) : undefined;
    };
    const compared = metas().flatMap(({ id, meta }) => {
      const label = labels[id.split('.').at(-1)!];
      const check = meta.messages.map((k) => texts[lang].get(k) ?? '').find((text) => numberOf(text) !== undefined);
      if (!label || !check || /^\d-\d/.test(label) || numberOf(label) === undefined) return [];
      return [{ id, label: numberOf(label), check: numberOf(check) }];
    });
    expect(compared.length).toBeGreaterThanOrEqual(11);
    expect(compared.filter((c) => c.label !== c.check)).toEqual([]);
  });

  it('has no keys nobody uses', () => {
    const used = new Set(metas().flatMap(({ meta }) => meta.messages));
    const unused = [...texts.ja.keys()].filter((k) => k.startsWith('troubleshooting:') && !used.has(k));
    expect(unused).toEqual([]);
    const optionKeys = new Set(OPTION_IDS.flatMap((id) => [`options:${id}.label`, `options:${id}.synonyms`]));
    expect([...texts.ja.keys()].filter((k) => k.startsWith('options:') && !optionKeys.has(k))).toEqual([]);
  });

  it('writes English texts without Japanese characters', () => {
    const offenders = [...texts.en].filter(([, text]) => JAPANESE.test(text)).map(([k]) => k);
    expect(offenders).toEqual([]);
  });

  it('writes Japanese texts in Japanese (labels that are names, like SMS, excepted)', () => {
    for (const [key, text] of texts.ja) {
      if (key.endsWith('.synonyms')) {
        expect(text.split('|').some((w) => JAPANESE.test(w)), key).toBe(true);
      } else if (!(key.endsWith('.label') && text === texts.en.get(key))) {
        expect(text, key).toMatch(JAPANESE);
      }
    }
  });

  it('uses the same interpolation variables in both languages, only from configuration', () => {
    for (const [key, ja] of texts.ja) {
      expect(variables(texts.en.get(key) ?? ''), key).toEqual(variables(ja));
      for (const v of variables(ja)) expect(ALLOWED_VARIABLES, `${key}: {{${v}}}`).toContain(v);
    }
  });

  it('never hard-codes the exchange name', () => {
    for (const lang of LANGS) {
      for (const [key, text] of texts[lang]) expect(text, `${lang} ${key}`).not.toMatch(/GMO|ＧＭＯ/i);
    }
  });

  it('never asks the customer to send a password, code or key in the chat', () => {
    for (const [key, text] of texts.en) {
      expect(text, key).not.toMatch(/\b(tell|send|give|share|type|enter)\b[^.]*\b(password|code|key)\b[^.]*\b(here|chat|me|us)\b/i);
    }
    for (const [key, text] of texts.ja) {
      expect(text, key).not.toMatch(/(パスワード|コード|キー)[^。]*(教えて|お知らせ|お送り|送って)[^。]*(ください|下さい)/);
      expect(text, key).not.toMatch(/(ここ|チャット)[^。]*(パスワード|コード|キー)[^。]*(入力|送信)して(ください|下さい)/);
    }
  });

  it('keeps messages short enough for a chat bubble', () => {
    for (const [key, text] of [...texts.ja].filter(([k]) => k.startsWith('troubleshooting:'))) expect(text.length, key).toBeLessThanOrEqual(120);
    for (const [key, text] of [...texts.en].filter(([k]) => k.startsWith('troubleshooting:'))) expect(text.length, key).toBeLessThanOrEqual(200);
  });

  it('keeps button labels short (ja ≤ 13, en ≤ 26 characters)', () => {
    for (const id of OPTION_IDS) {
      expect([...(texts.ja.get(`options:${id}.label`) ?? '')].length, id).toBeLessThanOrEqual(13);
      expect((texts.en.get(`options:${id}.label`) ?? '').length, id).toBeLessThanOrEqual(26);
    }
  });

  it('writes synonyms as non-empty |-separated words, lower-case in English', () => {
    for (const lang of LANGS) {
      for (const [key, text] of texts[lang]) {
        if (!key.endsWith('.synonyms')) continue;
        const words = text.split('|');
        expect(words.every((w) => w.trim() !== '' && w === w.trim()), key).toBe(true);
        if (lang === 'en') expect(text, key).toBe(text.toLowerCase());
      }
    }
  });

  it('never lets one typed word mean two options of the same step', () => {
    const wordsOf = (id: string): Set<string> =>
      new Set(
        LANGS.flatMap((lang) => [
          fold(texts[lang].get(`options:${id}.label`) ?? ''),
          ...(texts[lang].get(`options:${id}.synonyms`) ?? '').split('|').map(fold),
        ]),
      );
    const clashes: string[] = [];
    for (const { id, meta } of metas()) {
      const seen = new Map<string, string>();
      for (const option of meta.options) {
        for (const word of wordsOf(option.id)) {
          const other = seen.get(word);
          if (other && other !== option.id) clashes.push(`${id}: "${word}" is ${other} and ${option.id}`);
          seen.set(word, option.id);
        }
      }
    }
    expect(clashes).toEqual([]);
  });
});
