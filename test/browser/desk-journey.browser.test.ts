/**
 * Issue 11, the whole journey in three browsers (headless Chromium): a customer in the real web
 * chat page (Japanese, phone-sized) reaches a ticket; agent A (English console) finds it in the
 * queue, opens it, sees the path and the transcript, verifies the identity; supervisor B (Japanese
 * console) approves; A marks the change carried out. The customer's web chat shows each update,
 * in Japanese, as it happens.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startChromium, type SharedChromium } from '../helpers/chromium.js';
import type { RunningApp } from '../helpers/http-app.js';
import { startConsoleApp } from '../desk/console/console-fixtures.js';
import { expectBubble, reachTicketInWebChat } from './support/webchat-customer.js';

let running: RunningApp;
let chromium: SharedChromium;
const tokens = { agent: '', supervisor: '' };

beforeAll(async () => {
  [chromium, running] = await Promise.all([startChromium(), startConsoleApp()]);
  const a = await running.app.deskAuth.agents.create({ displayName: 'Alex Agent', email: 'alex@desk.example', role: 'agent' });
  const b = await running.app.deskAuth.agents.create({ displayName: '佐藤 花子', email: 'sato@desk.example', role: 'supervisor' });
  tokens.agent = (await running.app.deskAuth.tokens.create(a.id, { label: 'browser' })).secret;
  tokens.supervisor = (await running.app.deskAuth.tokens.create(b.id, { label: 'browser' })).secret;
});
afterAll(async () => {
  await chromium?.close();
  await running?.stop();
});

async function signIn(page: Page, lang: 'ja' | 'en', token: string): Promise<void> {
  await page.goto(`${running.baseUrl}/desk/login?lang=${lang}`);
  await page.getByLabel(lang === 'ja' ? 'API トークン' : 'API token').fill(token);
  await page.getByRole('button', { name: lang === 'ja' ? 'サインイン' : 'Sign in' }).click();
  await page.waitForURL(`${running.baseUrl}/desk`);
}

/** Presses an action's button and confirms in the page's dialog; waits for the page to come back. */
async function act(page: Page, id: string, ticketId: string): Promise<void> {
  await page.locator(`#do-${id}`).click();
  await page.locator('#confirm-ok').click();
  await page.waitForURL(`${running.baseUrl}/desk/tickets/${ticketId}`);
}

describe('customer, agent and supervisor in three browsers', () => {
  it('a ticket from web chat is verified, approved and carried out; the customer sees each step in Japanese', async () => {
    const ja = running.app.localizer.forLanguage('ja');
    const en = running.app.localizer.forLanguage('en');
    const customer = await chromium.open('ja-JP', { width: 390, height: 844 });
    const agent = await chromium.open('en-US');
    const supervisor = await chromium.open('ja-JP');
    try {
      // The Japanese half of webchat.browser.test.ts's whole conversation (it runs the English one):
      // the page in the browser's language, the path to a handoff, the card, a ticket that exists.
      const id = await reachTicketInWebChat(running.baseUrl, 'ja', ja, customer.page);
      expect(await running.app.tickets.get(id)).toMatchObject({ id, channelId: 'local-webchat', language: 'ja', reason: 'phone_lost_no_backup', status: 'awaiting_verification' });

      // Agent A finds it in the queue and opens it.
      const page = agent.page;
      await signIn(page, 'en', tokens.agent);
      const row = page.locator(`#row-${id}`);
      await row.waitFor();
      expect(await row.innerText()).toContain(en('desk:reason.phone_lost_no_backup'));
      await row.getByRole('link', { name: id }).click();
      await page.waitForURL(`${running.baseUrl}/desk/tickets/${id}`);
      // The path (questions and answers) and the transcript as a chat, in the agent's language for the path.
      const path = await page.locator('ol.path').innerText();
      expect(path).toContain(en('options:app.label'));
      expect(path).toContain(en('options:no.label'));
      expect(await page.locator('#tree-frame svg.tree .tree-node--path').count()).toBeGreaterThanOrEqual(2);
      const chat = page.locator('ol.chat');
      expect(await chat.locator('.msg-customer').count()).toBeGreaterThanOrEqual(3);
      expect(await chat.innerText()).toContain(ja('troubleshooting:phoneLost.method.prompt'));

      await act(page, 'verify', id);
      await expect.poll(() => page.locator('.ticket-head .status').innerText()).toBe(en('desk:status.verified'));
      await expectBubble(customer.page, ja('tickets:notify.verified', { ticketId: id }), 20_000);

      // Supervisor B, in Japanese, approves.
      await signIn(supervisor.page, 'ja', tokens.supervisor);
      await supervisor.page.goto(`${running.baseUrl}/desk/tickets/${id}`);
      await act(supervisor.page, 'approve', id);
      await expect.poll(() => supervisor.page.locator('#flash').innerText()).toContain('変更を承認しました。');
      await expectBubble(customer.page, ja('tickets:notify.changeApproved.switch_2fa_to_sms_or_voice', { ticketId: id }), 20_000);

      // A marks it carried out: only now is the customer told it is done.
      await page.reload();
      await act(page, 'carry-out', id);
      await expect.poll(() => page.locator('.ticket-head .status').innerText()).toBe(en('desk:status.resolved'));
      await expectBubble(customer.page, ja('tickets:notify.changeCarriedOut.switch_2fa_to_sms_or_voice', { ticketId: id, holdHours: 24 }), 20_000);
      await screenshot(customer.page, 'desk-journey-customer-ja');

      const ticket = await running.app.tickets.get(id);
      expect(ticket?.history.map((h) => h.event)).toEqual(['ticket.opened', 'identity.verified', 'approval.granted', 'change.carried_out']);
    } finally {
      await customer.cleanup();
      await agent.cleanup();
      await supervisor.cleanup();
    }
  }, 120_000);
});
