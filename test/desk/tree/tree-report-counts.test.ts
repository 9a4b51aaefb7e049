/**
 * Issue 18: the tree coloured from a report's step traffic (src/analytics/report.ts `StepTraffic`):
 * the busiest step darkest, a step nobody reached uncoloured, the share who left there as a bar,
 * identity steps (not drawn) ignored, and the legend's outcome line from the report's outcomes.
 */
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLocalizer } from '../../../src/i18n/i18n.js';
import { renderTroubleshootingTree, stepCountsOf } from '../../../src/desk/tree/index.js';
import { heatBin, heatBinLabel } from '../../../src/desk/tree/tree-style.js';
import { REPORT } from '../console/report-fixtures.js';
import { allElements, byClass, parseXml, textOf, type XmlElement } from './xml.js';

const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
const node = (svg: XmlElement, id: string) => allElements(svg).find((e) => e.name === 'g' && e.attrs['id'] === `tree-node-${id}`);
const heat = (e: XmlElement | undefined) => (e?.attrs['class'] ?? '').split(/\s+/).find((c) => c.startsWith('tree-heat-'));

describe('step traffic as the tree counts', () => {
  it('maps reached and left there per step id; repeated ids add up, nothing below zero or above the reach', () => {
    const counts = stepCountsOf([
      { step: 'mainMenu', reached: 10, leftHere: 2 },
      { step: 'mainMenu', reached: 5, leftHere: 1 },
      { step: 'form', reached: 3, leftHere: 9 },
      { step: 'backupRisks', reached: -4, leftHere: -1 },
      { step: 'constructor', reached: 1, leftHere: 0 },
    ]);
    expect(counts['mainMenu']).toEqual({ reached: 15, left: 3 });
    expect(counts['form']).toEqual({ reached: 3, left: 3 });
    expect(counts['backupRisks']).toEqual({ reached: 0, left: 0 });
    expect(counts['constructor']).toEqual({ reached: 1, left: 0 });
    expect(counts['toString']).toBeUndefined();
  });

  it('colours the report week: the main menu darkest, a step nobody reached plain, a left-there bar, the outcomes in the legend', async () => {
    const svg = parseXml(
      await renderTroubleshootingTree({
        lang: 'ja',
        translate: localizer.forLanguage('ja'),
        counts: stepCountsOf(REPORT.stepTraffic),
        endings: { resolved: REPORT.outcomes.resolved, handoff: REPORT.outcomes.handoff },
      }),
    );
    const menu = node(svg, 'mainMenu');
    const signal = node(svg, 'smsNotReceivedSignal');
    const lost = node(svg, 'phoneLostMethod');
    const never = node(svg, 'lockoutNotYet');
    expect(heat(menu)).toBe('tree-heat-4');
    // 131 of 694: up to a quarter of the busiest step.
    expect(heat(signal)).toBe('tree-heat-1');
    expect(heat(never)).toBe('tree-heat-0');
    expect(menu?.attrs).toMatchObject({ 'data-reached': '694', 'data-left': '21' });
    expect(textOf(byClass(signal!, 'tree-counts')[0]!)).toBe('到達 131・離脱 17');
    expect(byClass(signal!, 'tree-left-bar')).toHaveLength(1);
    expect(byClass(lost!, 'tree-left-bar')).toEqual([]);
    // The identity flow's steps have no box; they are simply not drawn.
    expect(node(svg, 'form')).toBeUndefined();
    const legend = textOf(byClass(svg, 'tree-legend')[0]!);
    expect(legend).toContain('そのステップに到達した人数');
    expect(legend).toContain('521–694');
    expect(legend).toContain('終了した会話：解決 412・引き継ぎ 138');
  }, 120_000);
});

describe('the colour scale says the counts each shade stands for', () => {
  it('labels each shade with exactly the counts heatBin gives it, for any busiest step', () => {
    for (let max = 1; max <= 60; max++) {
      for (let reached = 1; reached <= max; reached++) {
        const label = heatBinLabel(heatBin(reached, max), max);
        expect(label, `${reached} of ${max}`).toBeDefined();
        const [lo, hi = lo] = label!.split('–').map(Number);
        expect(reached >= lo! && reached <= hi!, `${reached} of ${max} in ${label}`).toBe(true);
      }
    }
    expect([0, 1, 2, 3, 4].map((bin) => heatBinLabel(bin, 40))).toEqual(['0', '1–10', '11–20', '21–30', '31–40']);
  });

  it('with few customers, shows only the shades a count can have (no "≤1" four times)', async () => {
    const t = localizer.forLanguage('en');
    const svg = parseXml(await renderTroubleshootingTree({ lang: 'en', translate: t, counts: { mainMenu: { reached: 1, left: 0 } } }));
    const legend = textOf(byClass(svg, 'tree-legend')[0]!);
    expect(legend).not.toContain('≤');
    const shades = allElements(byClass(svg, 'tree-legend')[0]!).filter((e) => (e.attrs['class'] ?? '').startsWith('tree-heat-'));
    expect(shades.map((e) => e.attrs['class'])).toEqual(['tree-heat-0', 'tree-heat-4']);
  });
});
