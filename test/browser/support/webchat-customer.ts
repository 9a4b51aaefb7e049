/**
 * A customer in the real web chat page (Microsoft's Web Chat in headless Chromium), shared by the
 * browser tests: press the bot's buttons, wait for its bubbles, fill in the identity card, and
 * reach a ticket the way a person does.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Language, Translate } from '../../../src/i18n/i18n.js';

/** Web Chat's markdown turns straight quotes into typographic ones; compare without that difference. */
export function plainQuotes(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"');
}

/** A piece of a bot text that survives Web Chat's markdown rendering: the start of its first line. */
export function visiblePart(text: string): string {
  return plainQuotes(text.split('\n')[0]!.replace(/[*_`#>[\]]/g, '')).slice(0, 40);
}

/** The bot's bubbles (Web Chat renders every message in one of these). */
export const bubbles = (page: Page) => page.locator('.webchat__bubble__content');

/** Presses a suggested action (a messageBack button) by its exact label. */
export async function pressButton(page: Page, label: string): Promise<void> {
  const button = page.locator('.webchat__suggested-actions').getByRole('button', { name: label, exact: true });
  await button.last().click();
}

export async function expectBubble(page: Page, text: string | RegExp, timeout = 10_000): Promise<void> {
  const matches = (b: string) => (typeof text === 'string' ? plainQuotes(b).includes(plainQuotes(text)) : text.test(b));
  await expect
    .poll(async () => (await bubbles(page).allInnerTexts()).some(matches), { timeout, interval: 100, message: `a bubble with ${String(text)}` })
    .toBe(true);
}

/**
 * The whole customer journey in one language: page in the browser's language, welcome, a
 * troubleshooting path (phone lost → authenticator app → no backup) that ends in a handoff, the
 * identity card, and the ticket number the bot gives.
 */
export async function reachTicketInWebChat(baseUrl: string, lang: Language, t: Translate, page: Page): Promise<string> {
  const errors: string[] = [];
  const cardFailures: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    if (m.text().includes('Failed to render Adaptive Cards')) cardFailures.push(m.text().split('\n')[0]!);
  });

  await page.goto(`${baseUrl}/`);
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
  // No backup: "start the procedure now?" first (issue 15).
  await expectBubble(page, t('identity:offer.startNow'));
  await pressButton(page, t('identity:options.startNow.label'));

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
