/**
 * The tree's words: tree.json has the same keys in both languages, every step the machine asks has
 * a short label for its box and every guide section a name, in the language of the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../../src/app.js';
import { MAIN_MENU_ID, QUESTION_STEP_IDS, SECTIONS } from '../../../flows/troubleshooting/index.js';

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
type Tree = { [key: string]: string | Tree };
const load = (lang: 'ja' | 'en') => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'tree.json'), 'utf8')) as Tree;
const flat = (tree: Tree, prefix = ''): Record<string, string> =>
  Object.fromEntries(Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flat(v, `${prefix}${k}.`)))));
const texts = { ja: flat(load('ja')), en: flat(load('en')) };

describe('tree locales', () => {
  it('have the same keys in ja and en', () => {
    expect(Object.keys(texts.ja).sort()).toEqual(Object.keys(texts.en).sort());
  });

  it.each(['ja', 'en'] as const)('label every step and name every guide section in %s', (lang) => {
    const keys = [...[MAIN_MENU_ID, ...QUESTION_STEP_IDS].map((id) => `step.${id}`), ...Object.keys(SECTIONS).map((k) => `section.${k}`)];
    expect(keys.filter((k) => !texts[lang][k])).toEqual([]);
  });

  it('hold every key the tree code names', () => {
    const dir = join(LOCALES_DIR, '..', 'src', 'desk', 'tree');
    const used = new Set(readdirSync(dir).flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/'tree:([A-Za-z_.]+)'/g)].map((m) => m[1]!)));
    expect(used.size).toBeGreaterThan(12);
    expect([...used].filter((key) => !texts.ja[key] || !texts.en[key])).toEqual([]);
  });

  it('write each language in its own script', () => {
    const steps = (lang: 'ja' | 'en') => Object.entries(texts[lang]).filter(([k]) => k.startsWith('step.'));
    expect(steps('ja').filter(([, v]) => !JAPANESE.test(v))).toEqual([]);
    expect(Object.entries(texts.en).filter(([, v]) => JAPANESE.test(v))).toEqual([]);
  });
});
