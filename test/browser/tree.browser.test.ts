/**
 * Issue 11, the troubleshooting tree in a real browser (headless Chromium at a laptop's 1280×800):
 * served under the console's CSP (no inline style) with public/desk-tree.css, Chromium's own XML
 * parser accepts the SVG, every box is drawn, and every label fits inside its box in the fonts
 * this machine has (the layout sizes text by estimate). With SCREENSHOTS_DIR set, screenshots go
 * there for a human look: tree-<lang>.png (whole tree with a customer's path), tree-<lang>-laptop.png
 * (the first screen), tree-ja-counts.png (issue 18's colouring).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { PUBLIC_DIR } from '../../src/server/webchat-page-route.js';
import { loadConfig } from '../../src/config.js';
import { createLocalizer } from '../../src/i18n/i18n.js';
import { describePath } from '../../flows/troubleshooting/path-answers.js';
import { HANDOFF_STATE_IDS, troubleshootingMachine } from '../../flows/troubleshooting/index.js';
import { renderTroubleshootingTree } from '../../src/desk/tree/index.js';
import { HANDOFF_ROUTES } from '../e2e/support/scenarios.js';
import { screenshot, startChromium, type SharedChromium } from '../helpers/chromium.js';

const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);
const ORIGIN = 'http://desk.test';
const CSS = readFileSync(join(PUBLIC_DIR, 'desk-tree.css'), 'utf8');
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:";

/** Serves `svg` at ORIGIN/ inside the console's frame, with the console's CSP and the tree's stylesheet. */
async function open(page: Page, lang: string, svg: string, frame: string): Promise<string[]> {
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/desk-tree.css') return route.fulfill({ body: CSS, contentType: 'text/css' });
    return route.fulfill({
      contentType: 'text/html; charset=utf-8',
      headers: { 'Content-Security-Policy': CSP },
      body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><link rel="stylesheet" href="/desk-tree.css"></head><body><div class="${frame}">${svg}</div></body></html>`,
    });
  });
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.sample}`));
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForLoadState('load');
  return violations;
}

interface Measured {
  boxes: number;
  empty: string[];
  overflowing: string[];
  parseError: string | null;
  stylesheetApplied: boolean;
}

/** Sizes as Chromium draws them: boxes with no area, and text wider than its box. */
function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const svg = document.querySelector('svg.tree') as SVGSVGElement;
    const parsed = new DOMParser().parseFromString(svg.outerHTML, 'image/svg+xml');
    const error = parsed.querySelector('parsererror');
    const empty: string[] = [];
    const overflowing: string[] = [];
    const check = (group: Element, slack: number) => {
      const rect = group.querySelector(':scope > rect') as SVGRectElement | null;
      const text = group.querySelector(':scope > text') as SVGTextElement | null;
      if (!rect || !text) return;
      const r = rect.getBBox();
      const t = text.getBBox();
      if (r.width <= 0 || r.height <= 0 || t.width <= 0) empty.push(group.id || group.getAttribute('data-edge') || '?');
      if (t.x < r.x - slack || t.x + t.width > r.x + r.width + slack || t.y < r.y - slack || t.y + t.height > r.y + r.height + slack)
        overflowing.push(`${group.id || group.getAttribute('data-edge')}: text ${Math.round(t.width)}×${Math.round(t.height)} in box ${Math.round(r.width)}×${Math.round(r.height)}`);
    };
    const nodes = Array.from(svg.querySelectorAll('.tree-node'));
    nodes.forEach((g) => check(g, -2));
    svg.querySelectorAll('.tree-edge-label').forEach((g) => check(g, 1));
    const frame = svg.parentElement!;
    return {
      boxes: nodes.length,
      empty,
      overflowing,
      parseError: error ? error.textContent : null,
      stylesheetApplied: getComputedStyle(frame).overflow === 'auto' || getComputedStyle(frame).overflow.includes('auto'),
    };
  });
}

describe('the troubleshooting tree in headless Chromium', () => {
  let chromium: SharedChromium;
  beforeAll(async () => {
    chromium = await startChromium();
  });
  afterAll(async () => chromium?.close());

  it.each(['ja', 'en'] as const)(
    'draws every box with its label inside, under the console CSP (%s)',
    async (lang) => {
      const route = HANDOFF_ROUTES.login_lockout;
      const endedAt = HANDOFF_STATE_IDS.login_lockout;
      const path = describePath(troubleshootingMachine, route.path, endedAt);
      const svg = await renderTroubleshootingTree({ lang, translate: localizer.forLanguage(lang), path, endedAt });
      const expectedBoxes = (svg.match(/<g class="tree-node /g) ?? []).length;

      const browser = await chromium.open(lang === 'ja' ? 'ja-JP' : 'en-US');
      try {
        const { page } = browser;
        const violations = await open(page, lang, svg, 'tree-frame');
        const m = await measure(page);
        expect(m.parseError).toBeNull();
        expect(violations).toEqual([]);
        expect(m.stylesheetApplied).toBe(true);
        expect(m.boxes).toBe(expectedBoxes);
        expect(m.boxes).toBeGreaterThan(60);
        expect(m.empty).toEqual([]);
        expect(m.overflowing).toEqual([]);
        // The first screen of a laptop shows the title, the legend and the tree's root.
        await expect.poll(() => page.locator('#tree-node-mainMenu').isVisible()).toBe(true);
        const menu = await page.locator('#tree-node-mainMenu').boundingBox();
        expect(menu!.y + menu!.height).toBeLessThan(800);
        await screenshot(page, `tree-${lang}-laptop`);
        await page.locator('svg.tree').evaluate((el) => el.parentElement!.classList.remove('tree-frame'));
        await screenshot(page, `tree-${lang}`, { fullPage: true });
      } finally {
        await browser.cleanup();
      }
    },
    120_000,
  );

  it('colours the steps by how many customers reached them (issue 18)', async () => {
    const counts = Object.fromEntries(
      ['mainMenu', 'codeRejectedOtherService', 'codeRejectedExpired', 'codeRejectedBrowser', 'codeRejectedUnresolved', 'smsNotReceivedMethodSetting', 'changeMethodCurrent', 'lockoutMessageShown'].map((id, i) => [
        id,
        { reached: 120 - i * 14, left: i * 4 },
      ]),
    );
    const svg = await renderTroubleshootingTree({ lang: 'ja', translate: localizer.forLanguage('ja'), counts });
    const browser = await chromium.open('ja-JP');
    try {
      const { page } = browser;
      expect(await open(page, 'ja', svg, '')).toEqual([]);
      const m = await measure(page);
      expect(m.overflowing).toEqual([]);
      const fill = await page.locator('#tree-node-codeRejectedOtherService > rect').getAttribute('fill');
      const never = await page.locator('#tree-node-lockoutNotYet > rect').getAttribute('fill');
      expect(fill).not.toBe(never);
      await screenshot(page, 'tree-ja-counts', { fullPage: true });
    } finally {
      await browser.cleanup();
    }
  }, 120_000);
});
