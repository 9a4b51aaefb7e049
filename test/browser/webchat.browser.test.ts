import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLocalizer, type Language } from '../../src/i18n/i18n.js';
import { startApp, tempDatabase, type RunningApp } from '../channel/directline-server.js';
import { startChromium, type SharedChromium } from '../helpers/chromium.js';
import { expectBubble, reachTicketInWebChat, visiblePart } from './support/webchat-customer.js';

const LOCALES: Record<Language, string> = { ja: 'ja-JP', en: 'en-US' };
const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);

let chromium: SharedChromium;
/** A phone-sized screen: the page must work there. */
const launch = (locale: string) => chromium.open(locale, { width: 390, height: 844 });

describe('the web chat page in headless Chromium', () => {
  let running: RunningApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeAll(async () => {
    chromium = await startChromium();
    db = tempDatabase();
    running = await startApp(db.file);
  });
  afterAll(async () => {
    await chromium?.close();
    await running?.stop();
    db?.remove();
  });

  // English here; the Japanese one is the customer's part of desk-journey.browser.test.ts (the same
  // walk, reachTicketInWebChat, and the same checks of the ticket), so the suite walks it once.
  it.each(['en'] as const)('runs a whole conversation in %s from the welcome through the identity card to a ticket that exists', async (lang) => {
    const t = localizer.forLanguage(lang);
    const { page, cleanup } = await launch(LOCALES[lang]);
    try {
      const ticketId = await reachTicketInWebChat(running.baseUrl, lang, t, page);
      const ticket = await running.app.tickets.get(ticketId);
      expect(ticket).toMatchObject({ id: ticketId, channelId: 'local-webchat', language: lang, reason: 'phone_lost_no_backup', status: 'awaiting_verification' });
    } finally {
      await cleanup();
    }
  }, 60_000);

  it('switches page and bot language with the visible 日本語 / English switch', async () => {
    const ja = localizer.forLanguage('ja');
    const en = localizer.forLanguage('en');
    const { page, cleanup } = await launch('en-US');
    try {
      await page.goto(`${running.baseUrl}/`);
      await expectBubble(page, visiblePart(en('common:welcome')));
      await page.locator('.language-switch').getByRole('button', { name: '日本語' }).click();
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('ja');
      expect(await page.locator('h1').innerText()).toBe(ja('webchat:title'));
      expect(await page.locator('.language-switch button[data-lang="ja"]').getAttribute('aria-pressed')).toBe('true');
      await expectBubble(page, ja('common:languageChanged'));
      // The switch is a postBack: it does not appear as a message from the customer.
      expect(await page.locator('.webchat__bubble--from-user').count()).toBe(0);

      // The choice is remembered, and a reload resumes the same conversation with its history.
      await page.reload();
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('ja');
      await expectBubble(page, ja('common:languageChanged'));
      await expectBubble(page, visiblePart(en('common:welcome')));
    } finally {
      await cleanup();
    }
  }, 60_000);

  it('“New chat” ends the conversation on the server: its token stops working and a new conversation starts', async () => {
    const en = localizer.forLanguage('en');
    const { page, cleanup } = await launch('en-US');
    const saved = async () => JSON.parse((await page.evaluate(() => sessionStorage.getItem('tfa-support-chat/session'))) ?? 'null') as { conversationId: string; token: string } | null;
    try {
      await page.goto(`${running.baseUrl}/`);
      await expectBubble(page, visiblePart(en('common:welcome')));
      const before = (await saved())!;
      const activities = (s: { conversationId: string; token: string }) =>
        fetch(`${running.domain}/conversations/${s.conversationId}/activities`, { headers: { Authorization: `Bearer ${s.token}` } });
      expect((await activities(before)).status).toBe(200);

      await page.locator('#new-chat').click();
      // The click removes the saved session at once; only the reloaded page saves the new one, after
      // the old conversation was ended. Waiting for "not the old id" alone passed on that gap, and
      // checked the old token while the page's end request was still on its way.
      await expect.poll(async () => (await saved())?.conversationId ?? before.conversationId, { timeout: 15_000 }).not.toBe(before.conversationId);
      await expectBubble(page, visiblePart(en('common:welcome')));
      expect((await activities(before)).status).toBe(404);
      expect((await activities((await saved())!)).status).toBe(200);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
