/**
 * Debian's Chromium driven by playwright-core for the browser tests (`apt-get install -y chromium`;
 * .ci/run installs it). Playwright never downloads a browser here.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A page in a browser context of its own; `cleanup` closes the context. */
export interface OpenPage {
  readonly context: BrowserContext;
  readonly page: Page;
  cleanup(): Promise<void>;
}

/** Fails at once with the one command to run when Chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
}

/** A fresh profile in headless Chromium; `cleanup` closes it and deletes the profile. */
export async function launchChromium(
  locale: string,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<OpenPage> {
  const profile = mkdtempSync(join(tmpdir(), 'browser-test-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    viewport,
    args: ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    cleanup: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One headless Chromium shared by a test file: start it in beforeAll, close it in afterAll. Each
 * `open` is a new browser context (its own cookies, storage and language, like a separate browser
 * for the person using it) in about a tenth of the time of launching Chromium again.
 */
export interface SharedChromium {
  open(locale: string, viewport?: { width: number; height: number }): Promise<OpenPage>;
  close(): Promise<void>;
}

export async function startChromium(): Promise<SharedChromium> {
  requireChromium();
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  return {
    async open(locale, viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ locale, viewport });
      const page = await context.newPage();
      return { context, page, cleanup: () => context.close() };
    },
    close: () => browser.close(),
  };
}

/**
 * Saves a screenshot for a person to look at, only when SCREENSHOTS_DIR names a folder
 * (`SCREENSHOTS_DIR=/tmp/shots npx vitest run test/browser`). No test reads them, and encoding
 * full-page PNGs of the tree and the desk was seconds of every run (issue 13: a faster suite).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dir = process.env['SCREENSHOTS_DIR'];
  if (!dir) return;
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: options.fullPage ?? false });
}
