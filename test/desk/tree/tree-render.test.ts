/**
 * Issue 11 (and 18): the tree as the desk shows it. The SVG is parsed strictly (test/desk/tree/xml.ts),
 * so each check reads what a browser would: a customer's path from the end-to-end scenarios lit in
 * order, labels in the agent's language, every text escaped, counts coloured with a legend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLocalizer, type Translate } from '../../../src/i18n/i18n.js';
import { describePath } from '../../../flows/troubleshooting/path-answers.js';
import { HANDOFF_STATE_IDS, troubleshootingMachine } from '../../../flows/troubleshooting/index.js';
import { buildTreeGraph, getCachedTreeLayout, renderTroubleshootingTree } from '../../../src/desk/tree/index.js';
import { HANDOFF_ROUTES, REASONS } from '../../e2e/support/scenarios.js';
import { allElements, byClass, parseXml, textOf, type XmlElement } from './xml.js';

const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LAYOUT_TIMEOUT = 120_000;
const graph = buildTreeGraph(troubleshootingMachine);

const node = (svg: XmlElement, id: string) => allElements(svg).find((e) => e.name === 'g' && e.attrs['id'] === `tree-node-${id}`);
const boxText = (g: XmlElement | undefined) =>
  (g?.children ?? [])
    .filter((c): c is XmlElement => typeof c !== 'string' && c.name === 'text')
    .map((t) => t.children.map((s) => (typeof s === 'string' ? s : textOf(s))).join(' '))
    .join(' ');
const classes = (e: XmlElement | undefined) => (e?.attrs['class'] ?? '').split(/\s+/);

describe('the troubleshooting tree as SVG', () => {
  const plain: Partial<Record<'ja' | 'en', XmlElement>> = {};
  let markup = '';

  beforeAll(async () => {
    for (const lang of ['ja', 'en'] as const) {
      markup = await renderTroubleshootingTree({ lang, translate: localizer.forLanguage(lang) });
      plain[lang] = parseXml(markup);
    }
  }, LAYOUT_TIMEOUT);

  it('is one accessible, scalable image with stable, unique ids', () => {
    const svg = plain.en!;
    expect(svg.name).toBe('svg');
    expect(svg.attrs).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', role: 'img', 'aria-labelledby': 'tree-title tree-desc', lang: 'en' });
    expect(svg.attrs['viewBox']).toMatch(/^0 0 \d+(\.\d)? \d+(\.\d)?$/);
    const [title, desc] = svg.children.filter((c): c is XmlElement => typeof c !== 'string');
    expect([title?.name, title?.attrs['id'], textOf(title!)]).toEqual(['title', 'tree-title', 'Troubleshooting tree']);
    expect([desc?.name, desc?.attrs['id']]).toEqual(['desc', 'tree-desc']);
    const ids = allElements(svg).map((e) => e.attrs['id']).filter((id) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
    expect(markup).not.toMatch(/ style="|<style/);
  });

  it('draws every step and final state of the machine, each with its full text in <title>', () => {
    const svg = plain.en!;
    const states = new Set(byClass(svg, 'tree-node').map((g) => g.attrs['data-state']));
    expect(graph.nodes.filter((n) => !states.has(n.id)).map((n) => n.id)).toEqual([]);
    for (const g of byClass(svg, 'tree-node')) {
      const title = g.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'title');
      expect(textOf(title!).length, g.attrs['id']).toBeGreaterThan(boxText(g).replace(/…/g, '').length - 5);
    }
    expect(classes(node(svg, 'resolved--at--resolvedConfirm'))).toContain('tree-node--resolved');
    expect(classes(node(svg, 'handoffLoginLockout--at--lockoutMessageShown'))).toContain('tree-node--handoff');
    expect(boxText(node(svg, 'handoffLoginLockout--at--lockoutMessageShown'))).toBe('Handoff: login restriction');
  });

  it('draws every option of every question as an arrow labelled with its button text', () => {
    const svg = plain.en!;
    const arrows = byClass(svg, 'tree-edge');
    const missing = graph.edges.filter(
      (e) => !arrows.some((a) => a.attrs['data-source'] === e.source && a.attrs['data-target'] === e.target && a.attrs['data-option']!.split(' ').includes(e.optionId)),
    );
    expect(missing.map((e) => e.id)).toEqual([]);
    const label = byClass(svg, 'tree-edge-label').find((l) => l.attrs['data-edge'] === 'tree-edge-smsNotReceivedMethodSetting--notArrived--smsNotReceivedSignal');
    expect(textOf(label!)).toBe('Not yet');
  });

  it.each([
    ['ja', '確認②：電波が悪い？', 'まだ届かない'],
    ['en', 'Check 2: weak signal?', 'Not yet'],
  ] as const)('speaks %s', (lang, question, answer) => {
    const svg = plain[lang]!;
    expect(boxText(node(svg, 'smsNotReceivedSignal')).replace(/\s/g, '')).toBe(question.replace(/\s/g, ''));
    expect(byClass(svg, 'tree-edge-label').map(textOf)).toContain(answer);
    const questions = byClass(svg, 'tree-node--question').map(boxText);
    if (lang === 'ja') expect(questions.filter((q) => !JAPANESE.test(q))).toEqual([]);
    else expect(allElements(svg).filter((e) => e.name === 'tspan' && JAPANESE.test(textOf(e))).map(textOf)).toEqual([]);
  });

  it('computes the layout once per language and reuses it', async () => {
    const before = getCachedTreeLayout('en');
    expect(before?.nodes.length).toBeGreaterThan(graph.nodes.length);
    await renderTroubleshootingTree({ lang: 'en', translate: localizer.forLanguage('en'), path: [{ stepId: 'mainMenu', answerId: 'lockout' }] });
    expect(getCachedTreeLayout('en')).toBe(before);
    expect(getCachedTreeLayout('ja')).not.toBe(before);
  });

  describe.each(REASONS)('the path to %s', (reason) => {
    const route = HANDOFF_ROUTES[reason];
    const endedAt = HANDOFF_STATE_IDS[reason];
    let svg: XmlElement;

    beforeAll(async () => {
      const path = describePath(troubleshootingMachine, route.path, endedAt);
      svg = parseXml(await renderTroubleshootingTree({ lang: 'en', translate: localizer.forLanguage('en'), path, endedAt }));
    }, LAYOUT_TIMEOUT);

    it('numbers each question in order, and the outcome last', () => {
      const numbered = byClass(svg, 'tree-node--path')
        .filter((g) => g.attrs['data-path'])
        .map((g) => [Number(g.attrs['data-path']), g.attrs['data-state']] as const)
        .sort((a, b) => a[0] - b[0]);
      expect(numbered).toEqual([...route.path, endedAt].map((id, i) => [i + 1, id]));
      expect(textOf(byClass(node(svg, route.path[0]!)!, 'tree-step-number')[0]!)).toBe('1');
      expect(classes(node(svg, `${endedAt}--at--${route.path[route.path.length - 1]}`))).toContain('tree-node--path');
    });

    it('highlights the arrow of each answer chosen, and no other', () => {
      // The first option picks the topic in the main menu; the rest answer the path's questions.
      const expected = route.path.map((stepId, i) => [stepId, route.options[i + 1], route.path[i + 1] ?? endedAt]);
      const lit = byClass(svg, 'tree-edge--path').map((a) => [a.attrs['data-source'], a.attrs['data-option'], a.attrs['data-target']]);
      expect(lit).toHaveLength(expected.length);
      for (const [source, option, target] of expected) expect(lit).toContainEqual([source, expect.stringContaining(option!), target]);
    });

    it('tells screen readers the path in words', () => {
      const desc = textOf(allElements(svg).find((e) => e.name === 'desc')!);
      expect(desc).toContain("The customer's path: 1. ");
      expect(desc).toContain('Outcome — Handoff: ');
    });
  });

  it('colours each step by the customers who reached it, shows who left, and explains it in a legend (issue 18)', async () => {
    const counts = {
      mainMenu: { reached: 40, left: 0 },
      smsNotReceivedMethodSetting: { reached: 40, left: 4 },
      smsNotReceivedSignal: { reached: 10, left: 10 },
      resolved: { reached: 20, left: 0 },
      handoffCustomerRequested: { reached: 5, left: 0 },
    };
    const svg = parseXml(await renderTroubleshootingTree({ lang: 'en', translate: localizer.forLanguage('en'), counts }));
    const method = node(svg, 'smsNotReceivedMethodSetting');
    const signal = node(svg, 'smsNotReceivedSignal');
    const never = node(svg, 'lockoutNotYet');
    expect([classes(method), classes(signal), classes(never)].map((c) => c.find((x) => x.startsWith('tree-heat-')))).toEqual(['tree-heat-4', 'tree-heat-1', 'tree-heat-0']);
    expect(signal?.attrs).toMatchObject({ 'data-reached': '10', 'data-left': '10' });
    expect(textOf(byClass(signal!, 'tree-counts')[0]!)).toBe('reached 10 · left 10');
    const width = (g: XmlElement | undefined) => Number(byClass(g!, 'tree-left-bar')[0]?.attrs['width'] ?? 0);
    expect(width(signal)).toBeGreaterThan(150);
    expect(width(method)).toBeGreaterThan(10);
    expect(width(method)).toBeLessThan(30);
    expect(byClass(never!, 'tree-left-bar')).toEqual([]);
    const legend = textOf(byClass(svg, 'tree-legend')[0]!);
    expect(legend).toContain('Customers who reached the step');
    expect(legend).toContain('1–10');
    expect(legend).toContain('31–40');
    expect(legend).toContain('Conversations ended: resolved 20 · handed to an agent 5');

    expect(allElements(plain.en!).some((e) => classes(e).some((c) => c.startsWith('tree-heat-')) || 'data-reached' in e.attrs)).toBe(false);
  }, LAYOUT_TIMEOUT);

  it('counts every ending of an outcome: "anything else?" after advice is resolved, a second ending of a reason is a handoff (issue 15)', async () => {
    const counts = {
      resolved: { reached: 3, left: 0 },
      informed: { reached: 4, left: 0 },
      handoffPhoneLostNoBackup: { reached: 1, left: 0 },
      handoffPhoneLostRestoreFailed: { reached: 2, left: 0 },
    };
    const svg = parseXml(await renderTroubleshootingTree({ lang: 'en', translate: localizer.forLanguage('en'), counts }));
    expect(textOf(byClass(svg, 'tree-legend')[0]!)).toContain('Conversations ended: resolved 7 · handed to an agent 3');
  }, LAYOUT_TIMEOUT);

  it('keeps every text a text: labels with markup and ampersands are escaped', async () => {
    const en = localizer.forLanguage('en');
    const hostile: Translate = (key, vars) =>
      key === 'tree:step.smsNotReceivedSignal'
        ? '<script>alert("x")</script> & Co'
        : key === 'options:notArrived.label'
          ? "Fish & <b>chips</b> 'n' \"peas\""
          : key === 'tree:title'
            ? 'Tree </title><script>'
            : en(key, vars);
    const out = await renderTroubleshootingTree({ lang: 'en', translate: hostile, path: [{ stepId: 'smsNotReceivedSignal', answerId: 'notArrived' }] });
    expect(out).not.toMatch(/<script|<b>|<\/title><script/);
    const svg = parseXml(out);
    expect(boxText(node(svg, 'smsNotReceivedSignal'))).toContain('<script>alert("x")</script>');
    expect(byClass(svg, 'tree-edge-label').map(textOf).join('|')).toContain(`Fish & <b>chips</b> 'n' "peas"`);
    expect(textOf(allElements(svg).find((e) => e.name === 'title' && e.attrs['id'] === 'tree-title')!)).toBe('Tree </title><script>');
    expect(textOf(allElements(svg).find((e) => e.name === 'desc')!)).toContain('<script>alert("x")</script>');
  }, LAYOUT_TIMEOUT);
});
