/**
 * Issue 18, the supervisors' reports page in headless Chromium with a fake ReportService: every
 * chart is drawn by Chart.js (served from node_modules) on a canvas of real size with something on
 * it, under the console's Content-Security-Policy with no violation and no console error; the
 * tree is coloured; what customers typed stays text; axe-core finds no serious or critical problem
 * in Japanese or English. With SCREENSHOTS_DIR set, screenshots go there (desk-reports-*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.js';
import { screenshot, startChromium, type SharedChromium } from '../helpers/chromium.js';
import type { RunningApp } from '../helpers/http-app.js';
import { signedInAgent, startConsoleApp, XSS, type SignedInAgent } from '../desk/console/console-fixtures.js';
import { FakeReportService, startReportConsole, type ReportConsole } from '../desk/console/report-fixtures.js';

let running: RunningApp;
let reports: ReportConsole;
let chromium: SharedChromium;
let supervisor: SignedInAgent;

beforeAll(async () => {
  chromium = await startChromium();
  running = await startConsoleApp();
  reports = await startReportConsole(running, new FakeReportService());
  supervisor = await signedInAgent(running.app, 'supervisor', '佐藤 花子');
  // The tree's first layout per language takes seconds: done here, not inside a page's timing.
  for (const lang of ['ja', 'en']) await fetch(`${reports.baseUrl}/desk/reports?lang=${lang}`, { headers: { Cookie: supervisor.cookie } });
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await reports?.stop();
  await running?.stop();
});

/** Console errors, uncaught errors, CSP violations and dialogs the page caused. */
async function watch(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.exposeFunction('reportViolation', (v: string) => problems.push(`csp: ${v}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`)),
  );
  return problems;
}

describe('the reports page in headless Chromium', () => {
  it.each(['ja', 'en'] as const)('draws every chart under the CSP, colours the tree, passes axe (%s)', async (lang) => {
    const browser = await chromium.open(lang === 'ja' ? 'ja-JP' : 'en-US');
    try {
      const { page, context } = browser;
      await context.addCookies([{ name: 'desk_session', value: supervisor.cookie.split('=')[1]!, url: reports.baseUrl }]);
      const problems = await watch(page);
      const res = await page.goto(`${reports.baseUrl}/desk/reports?lang=${lang}`);
      expect(res?.status()).toBe(200);
      await page.waitForLoadState('load');
      const canvases = page.locator('canvas[data-chart]');
      expect(await canvases.count()).toBe(8);
      await expect.poll(() => page.locator('canvas[data-drawn="true"]').count()).toBe(8);
      // Each canvas has a size and something drawn on it (not all transparent).
      const drawn = await canvases.evaluateAll((list) =>
        list.map((c) => {
          const canvas = c as HTMLCanvasElement;
          const { width, height } = canvas.getBoundingClientRect();
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
          return { id: canvas.id, width, height, painted };
        }),
      );
      for (const c of drawn) {
        expect(c.width, c.id).toBeGreaterThan(100);
        expect(c.height, c.id).toBeGreaterThan(100);
        expect(c.painted, c.id).toBeGreaterThan(500);
      }
      const tree = page.locator('#tree-frame svg.tree');
      expect(await tree.count()).toBe(1);
      expect(await tree.locator('#tree-node-mainMenu').getAttribute('class')).toContain('tree-heat-4');
      const box = await tree.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      // What customers typed is text in the not-understood table, never markup.
      expect(await page.locator('table.not-understood').getByText(XSS.script, { exact: false }).count()).toBe(1);
      expect(await page.locator('img').count()).toBe(0);
      await screenshot(page, `desk-reports-${lang}`, { fullPage: true });

      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      // The tree has its own browser test (tree.browser.test.ts); its thousands of nodes would only slow this one.
      expect(await seriousAxeViolations(page, { exclude: '#tree-frame' })).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.cleanup();
    }
  }, 60_000);

  it('switches to custom dates when a date is chosen, and shows the message for a bad period', async () => {
    const browser = await chromium.open('en-US');
    try {
      const { page, context } = browser;
      await context.addCookies([{ name: 'desk_session', value: supervisor.cookie.split('=')[1]!, url: reports.baseUrl }]);
      const problems = await watch(page);
      await page.goto(`${reports.baseUrl}/desk/reports?lang=en`);
      await page.locator('#r-from').fill('2026-11-01');
      await page.locator('#r-from').dispatchEvent('change');
      expect(await page.locator('#r-period').inputValue()).toBe('custom');
      await page.locator('#r-to').fill('2026-11-07');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/period=custom&from=2026-11-01&to=2026-11-07/);
      expect(await page.locator('#report-period').innerText()).toContain('Conversations started 1 Nov, 00:00 – 8 Nov, 00:00');
      await page.goto(`${reports.baseUrl}/desk/reports?lang=en&period=last-week`);
      expect(await page.getByRole('alert').innerText()).toContain('That period is not one of the choices.');
      expect(await page.locator('canvas').count()).toBe(0);
      // The browser reports the page's own 400 as a failed resource; nothing else may go wrong.
      expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    } finally {
      await browser.cleanup();
    }
  }, 60_000);
});
