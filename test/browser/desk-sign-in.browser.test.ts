/**
 * Issue 10, the desk's sign-in as an agent does it in a real browser (headless Chromium): the token
 * form signs in and lands on /desk showing who is signed in, in the chosen language; the console's
 * session cookie then works for the desk API (with its CSRF token), and signing out ends it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChromium, type SharedChromium } from '../helpers/chromium.js';
import { freePort, startApp, type RunningApp } from '../helpers/http-app.js';

describe('desk sign-in in headless Chromium', () => {
  let running: RunningApp;
  let chromium: SharedChromium;
  let token: string;

  beforeAll(async () => {
    chromium = await startChromium();
    // The sign-in form checks Origin against PUBLIC_BASE_URL, as in production: the test's origin must be it.
    const port = await freePort();
    running = await startApp({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    const agent = await running.app.deskAuth.agents.create({ displayName: '佐藤 花子', email: 'sato.hanako@desk.example', role: 'supervisor' });
    token = (await running.app.deskAuth.tokens.create(agent.id, { label: 'browser' })).secret;
  });
  afterAll(async () => {
    await chromium?.close();
    await running?.stop();
  });

  async function signIn(page: Page, lang: 'ja' | 'en', secret: string): Promise<void> {
    await page.goto(`${running.baseUrl}/desk/login?lang=${lang}`);
    await page.getByLabel(lang === 'ja' ? 'API トークン' : 'API token').fill(secret);
    await page.getByRole('button', { name: lang === 'ja' ? 'サインイン' : 'Sign in' }).click();
  }

  it.each(['ja', 'en'] as const)('signs in with a token, uses the API with the session, signs out (%s)', async (lang) => {
    const browser = await chromium.open(lang === 'ja' ? 'ja-JP' : 'en-US');
    try {
      const { page } = browser;
      // The sign-in page's empty icon (`data:,`, so no /favicon.ico request) must pass its CSP.
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await signIn(page, lang, token);
      await page.waitForURL(`${running.baseUrl}/desk`);
      await expect.poll(() => page.locator('body').innerText()).toContain(lang === 'ja' ? '佐藤 花子' : 'Signed in as 佐藤 花子 (supervisor)');
      expect(consoleErrors).toEqual([]);

      // The browser's session cookie works for the API; a change without the CSRF token is refused.
      const api = browser.context.request;
      const me = await (await api.get(`${running.baseUrl}/api/desk/me`)).json();
      expect(me).toMatchObject({ agent: { displayName: '佐藤 花子', role: 'supervisor' }, via: 'session' });
      const change = (headers: Record<string, string>) =>
        api.post(`${running.baseUrl}/api/desk/tickets/TFA-00000000/verify`, { headers: { 'If-Match': '"1"', Origin: running.baseUrl, ...headers }, data: {} });
      expect((await change({})).status()).toBe(403);
      expect((await change({ 'X-CSRF-Token': me.csrfToken as string })).status()).toBe(404);

      await page.getByRole('button', { name: lang === 'ja' ? 'サインアウト' : 'Sign out' }).click();
      await page.waitForURL(/\/desk\/login/);
      expect((await api.get(`${running.baseUrl}/api/desk/me`)).status()).toBe(401);
    } finally {
      await browser.cleanup();
    }
  });

  it('a wrong token shows the form again with the reason', async () => {
    const browser = await chromium.open('en-US');
    try {
      await signIn(browser.page, 'en', 'tfa_not-a-real-token');
      await expect.poll(() => browser.page.locator('body').innerText()).toContain('This token is not valid.');
      expect(browser.page.url()).toContain('/desk/login');
    } finally {
      await browser.cleanup();
    }
  });
});
