import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLocalizer, type Language, type Translate } from '../../src/i18n/i18n.js';
import { startApp, tempDatabase, type RunningApp } from '../channel/directline-server.js';
import { launchChromium, requireChromium } from '../helpers/chromium.js';

const LOCALES: Record<Language, string> = { ja: 'ja-JP', en: 'en-US' };
const localizer = createLocalizer(LOCALES_DIR, loadConfig({}).brand);

/** Web Chat's markdown turns straight quotes into typographic ones; compare without that difference. */
function plainQuotes(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
}

/** A piece of a bot text that survives Web Chat's markdown rendering: the start of its first line. */
function visiblePart(text: string): string {
  return plainQuotes(text.split('\n')[0]!.replace(/[*_`#>[\]]/g, '')).slice(0, 40);
}

/** A phone-sized screen: the page must work there. */
const launch = (locale: string) => launchChromium(locale, { width: 390, height: 844 });

describe('the web chat page in headless Chromium', () => {
  let running: RunningApp;
  let db: ReturnType<typeof tempDatabase>;

  beforeAll(async () => {
    requireChromium();
    db = tempDatabase();
    running = await startApp(db.file);
  });
  afterAll(async () => {
    await running?.stop();
    db?.remove();
  });

  /** The bot's bubbles (Web Chat renders every message in one of these). */
  const bubbles = (page: Page) => page.locator('.webchat__bubble__content');

  /** Presses a suggested action (a messageBack button) by its exact label. */
  async function pressButton(page: Page, label: string): Promise<void> {
    const button = page.locator('.webchat__suggested-actions').getByRole('button', { name: label, exact: true });
    await button.last().click();
  }

  async function expectBubble(page: Page, text: string | RegExp): Promise<void> {
    const matches = (b: string) => (typeof text === 'string' ? plainQuotes(b).includes(plainQuotes(text)) : text.test(b));
    await expect
      .poll(async () => (await bubbles(page).allInnerTexts()).some(matches), { timeout: 10_000, interval: 100, message: `a bubble with ${String(text)}` })
      .toBe(true);
  }

  /**
   * The whole customer journey in one language: page in the browser's language, welcome,
   * a troubleshooting path (phone lost → authenticator app → no backup) that ends in a handoff,
   * the identity card, and a ticket number that exists in the ticket store.
   */
  async function conversation(lang: Language, t: Translate, page: Page): Promise<string> {
    const errors: string[] = [];
    const cardFailures: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
      if (m.text().includes('Failed to render Adaptive Cards')) cardFailures.push(m.text().split('\n')[0]!);
    });

    await page.goto(`${running.baseUrl}/`);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.locator('h1').innerText()).toBe(t('webchat:title'));
    const pressed = page.locator('.language-switch button[aria-pressed="true"]');
    expect(await pressed.getAttribute('data-lang')).toBe(lang);

    await expectBubble(page, visiblePart(t('common:welcome')));
    await pressButton(page, t('options:phoneLostOrBroken.label'));
    await expectBubble(page, t('troubleshooting:phoneLost.method.prompt'));
    await pressButton(page, t('options:app.label'));
    await expectBubble(page, t('troubleshooting:phoneLost.hasBackup.prompt'));
    await pressButton(page, t('options:no.label'));
    await expectBubble(page, visiblePart(t('troubleshooting:handoff.phoneLostNoBackup')));

    // The identity card (Adaptive Card 1.5) rendered by Web Chat: fill it in and submit.
    const card = page.locator('.ac-adaptiveCard').last();
    // Web Chat refuses a card its Adaptive Cards SDK finds invalid, and only says so on the console.
    await expect
      .poll(async () => (cardFailures.length > 0 ? `not rendered: ${cardFailures.join(' | ')}` : (await card.isVisible()) ? 'rendered' : 'waiting'), {
        timeout: 10_000,
        interval: 100,
        message: 'Web Chat renders the identity card',
      })
      .not.toBe('waiting');
    if (cardFailures.length > 0) throw new Error(`Web Chat could not render the identity card: ${cardFailures.join(' | ')}`);
    await card.getByLabel(t('identity:form.email.label')).fill(lang === 'ja' ? 'taro.yamada@example.com' : 'jane.doe@example.com');
    await card.getByLabel(t('identity:form.fullName.label')).fill(lang === 'ja' ? '山田太郎' : 'Jane Doe');
    await card.getByLabel(t('identity:form.dateOfBirth.label')).fill('1990-01-31');
    await card.getByLabel(t('identity:form.phoneLast4.label')).fill('5678');
    await card.getByLabel(t('identity:form.description.label')).fill(lang === 'ja' ? '機種変更の時にスマホを紛失しました' : 'I lost my phone while moving to a new one');
    await card.getByRole('button', { name: t('identity:form.submit'), exact: true }).click();

    await expectBubble(page, /TFA-[0-9A-Z]{8}/);
    const texts = await bubbles(page).allInnerTexts();
    const ticketId = /TFA-[0-9A-Z]{8}/.exec(texts.join('\n'))![0];

    // Every message the customer sent came back from the channel (none left "sending"/failed).
    await expect.poll(() => page.locator('.webchat__activity-status--sending').count()).toBe(0);
    expect(await page.locator('.webchat__bubble--from-user').count()).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual([]);
    return ticketId;
  }

  it.each(['ja', 'en'] as const)('runs a whole conversation in %s from the welcome through the identity card to a ticket that exists', async (lang) => {
    const t = localizer.forLanguage(lang);
    const { page, cleanup } = await launch(LOCALES[lang]);
    try {
      const ticketId = await conversation(lang, t, page);
      const ticket = await running.app.tickets.get(ticketId);
      expect(ticket).toMatchObject({ id: ticketId, channelId: 'directline', language: lang, reason: 'phone_lost_no_backup', status: 'awaiting_verification' });
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
});
