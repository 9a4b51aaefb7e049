/**
 * Issue 11, the agents' console in a real browser (headless Chromium): an agent signs in with a
 * token and sees a ticket appear in the queue while the page is open (no reload), opens it, reads
 * the path, the tree and the chat, and verifies the identity with the keyboard alone; a supervisor
 * in another browser approves. What the customer typed stays text and never runs; axe-core finds
 * no serious or critical problem on the queue, ticket, audit and agents pages in Japanese and
 * English. With SCREENSHOTS_DIR set, screenshots of each page at 1280×800 go there (desk-console-*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../helpers/axe.js';
import { screenshot, startChromium, type SharedChromium } from '../helpers/chromium.js';
import type { RunningApp } from '../helpers/http-app.js';
import { Connector, insertTicket, openTicketInChat, startConsoleApp, XSS } from '../desk/console/console-fixtures.js';

let running: RunningApp;
let chromium: SharedChromium;
const connector = new Connector();
const tokens: Record<'agent' | 'supervisor' | 'admin', string> = { agent: '', supervisor: '', admin: '' };
let firstTicket = '';

beforeAll(async () => {
  chromium = await startChromium();
  await connector.start();
  running = await startConsoleApp();
  const people = { agent: '鈴木 一郎', supervisor: 'Hanako Sato', admin: 'Alex Admin' } as const;
  for (const role of ['agent', 'supervisor', 'admin'] as const) {
    const agent = await running.app.deskAuth.agents.create({ displayName: people[role], email: `${role}@desk.example`, role });
    tokens[role] = (await running.app.deskAuth.tokens.create(agent.id, { label: 'browser' })).secret;
  }
  // A ticket already waiting, and one whose name is markup (written past the chat's validation).
  firstTicket = await openTicketInChat(running, connector, { lang: 'en', reason: 'customer_requested' });
  await insertTicket(running.app, { fullName: XSS.script, description: `${XSS.img}\n${XSS.link}` }, connector.serviceUrl);
}, 60_000);
afterAll(async () => {
  await chromium?.close();
  await running?.stop();
  await connector.stop();
});

/** Signs in with the token form and waits for the queue. */
async function signIn(page: Page, lang: 'ja' | 'en', token: string): Promise<void> {
  await page.goto(`${running.baseUrl}/desk/login?lang=${lang}`);
  await page.getByLabel(lang === 'ja' ? 'API トークン' : 'API token').fill(token);
  await page.getByRole('button', { name: lang === 'ja' ? 'サインイン' : 'Sign in' }).click();
  await page.waitForURL(`${running.baseUrl}/desk`);
}

/** Presses Tab until the element with `id` has the focus (keyboard only). */
async function tabTo(page: Page, id: string): Promise<number> {
  for (let presses = 1; presses <= 80; presses++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.id ?? '')) === id) return presses;
  }
  throw new Error(`Tab never reached #${id}`);
}

/** What a browser that ran customer text would have done. */
function watchForScript(page: Page): string[] {
  const fired: string[] = [];
  page.on('dialog', (dialog) => {
    fired.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => fired.push(`page error: ${err.message}`));
  return fired;
}

describe('the desk console in headless Chromium', () => {
  it('live queue, ticket page, keyboard verification, approval by a second supervisor; customer text stays text', async () => {
    const agentBrowser = await chromium.open('en-US');
    const supervisorBrowser = await chromium.open('ja-JP');
    try {
      const page = agentBrowser.page;
      const fired = watchForScript(page);
      await signIn(page, 'en', tokens.agent);
      await expect.poll(() => page.locator('table.queue tbody tr').count()).toBeGreaterThanOrEqual(2);
      await screenshot(page, 'desk-console-queue-en');

      // A customer opens a ticket while the queue is open: it appears without a reload.
      await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
      await expect.poll(() => running.app.deskConsole.events.size).toBeGreaterThanOrEqual(1);
      const id = await openTicketInChat(running, connector, {
        lang: 'en',
        reason: 'app_lost_no_backup',
        description: `Lost my phone ${XSS.img} ${XSS.link}`,
        afterwards: [XSS.script, XSS.link],
      });
      await running.app.deskConsole.feed.poll();
      const row = page.locator(`#row-${id}`);
      await row.waitFor();
      expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
      expect(await row.innerText()).toContain('Authenticator app unavailable (no usable backup)');
      await expect.poll(() => page.locator('#live').innerText()).toContain(`New ticket ${id}`);
      expect(await page.locator('[data-count="awaiting_verification"]').innerText()).toBe('3');

      // The ticket page: path, tree, chat (the customer's markup as text), claims.
      await row.getByRole('link', { name: id }).click();
      await page.waitForURL(`${running.baseUrl}/desk/tickets/${id}`);
      expect(await page.locator('ol.path li').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('ol.path').innerText()).toContain("→ Can't restore it");
      // The tree drawn from the machine, the customer's steps numbered and highlighted.
      const tree = page.locator('#tree-frame svg.tree');
      expect(await tree.count()).toBe(1);
      expect(await tree.locator('.tree-node--path').count()).toBeGreaterThanOrEqual(2);
      expect(await tree.locator('#tree-node-appDeletedHasBackup').getAttribute('data-path')).toBe('1');
      const chat = page.locator('ol.chat');
      expect(await chat.locator('.msg-customer').getByText(XSS.script, { exact: true }).count()).toBe(1);
      expect(await chat.locator('.msg-customer').getByText(XSS.link, { exact: true }).count()).toBe(1);
      expect(await page.locator('#claim-description').innerText()).toBe(`Lost my phone ${XSS.img} ${XSS.link}`);
      expect(await page.locator('img').count()).toBe(0);
      await screenshot(page, 'desk-console-ticket-en');
      await screenshot(page, 'desk-console-ticket-en-full', { fullPage: true });

      // Verify with the keyboard alone: Tab to the button, Enter, the dialog (Cancel first), Tab, Enter.
      await tabTo(page, 'do-verify');
      await page.keyboard.press('Enter');
      const dialog = page.locator('#confirm-dialog');
      await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      expect(await page.locator('#confirm-text').innerText()).toContain("Record that you verified this customer's identity?");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-ok');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.locator('#flash').innerText()).toContain('Identity verified.');
      expect(await page.locator('.ticket-head .status').innerText()).toBe('Verified – awaiting approval');
      // The same agent may not approve: disabled, with the reason beside it.
      expect(await page.locator('#do-approve').isDisabled()).toBe(true);
      expect(await page.locator('#why-approve').innerText()).toBe('Needs the supervisor role.');
      await screenshot(page, 'desk-console-verified-en');

      // A supervisor, in another browser, in Japanese, approves.
      const other = supervisorBrowser.page;
      const firedToo = watchForScript(other);
      await signIn(other, 'ja', tokens.supervisor);
      await other.goto(`${running.baseUrl}/desk/tickets/${id}`);
      await other.getByRole('button', { name: '承認：2段階認証をSMS・電話に切り替え' }).click();
      await other.locator('#confirm-ok').click();
      await other.waitForURL(`${running.baseUrl}/desk/tickets/${id}`);
      await expect.poll(() => other.locator('#flash').innerText()).toContain('変更を承認しました。');
      expect(await other.locator('.ticket-head .status').innerText()).toBe('承認済み・対応待ち');
      await screenshot(other, 'desk-console-approved-ja');

      expect(fired).toEqual([]);
      expect(firedToo).toEqual([]);
    } finally {
      await agentBrowser.cleanup();
      await supervisorBrowser.cleanup();
    }
  }, 90_000);

  it.each(['ja', 'en'] as const)('axe-core finds no serious or critical problem on the queue, ticket, audit and agents pages (%s)', async (lang) => {
    const browser = await chromium.open(lang === 'ja' ? 'ja-JP' : 'en-US');
    try {
      const { page } = browser;
      const fired = watchForScript(page);
      await signIn(page, lang, tokens.admin);
      const agents = await running.app.deskAuth.agents.list();
      const pages = {
        queue: '/desk',
        ticket: `/desk/tickets/${firstTicket}`,
        audit: '/desk/audit',
        agents: '/desk/agents',
        agent: `/desk/agents/${agents[0]!.id}`,
      };
      const problems: string[] = [];
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${running.baseUrl}${path}?lang=${lang}`);
        // The folded actions open too, so their fields are checked.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        for (const found of await seriousAxeViolations(page)) problems.push(`${name}: ${found}`);
        await screenshot(page, `desk-console-${name}-${lang}`, { fullPage: name === 'ticket' });
      }
      expect(problems).toEqual([]);
      expect(fired).toEqual([]);
    } finally {
      await browser.cleanup();
    }
  }, 90_000);

  it('the axe check itself finds serious problems, and refuses a page with an iframe it would not look into', async () => {
    const browser = await chromium.open('en-US');
    try {
      const { page } = browser;
      await page.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>h</h1><img src="x.png"><button></button></main></html>');
      const found = await seriousAxeViolations(page);
      expect(found.map((f) => f.split(' ')[0]).sort()).toEqual(['button-name', 'image-alt']);
      await page.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>h</h1><iframe title="f" srcdoc="<p>x</p>"></iframe></main></html>');
      await expect(seriousAxeViolations(page)).rejects.toThrow(/iframe/);
    } finally {
      await browser.cleanup();
    }
  });

  it('is usable at 1024 pixels wide: nothing scrolls sideways', async () => {
    const browser = await chromium.open('ja-JP', { width: 1024, height: 768 });
    try {
      const { page } = browser;
      await signIn(page, 'ja', tokens.admin);
      for (const path of ['/desk', `/desk/tickets/${firstTicket}`, '/desk/audit', '/desk/agents']) {
        await page.goto(`${running.baseUrl}${path}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await page.goto(`${running.baseUrl}/desk/tickets/${firstTicket}`);
      await screenshot(page, 'desk-console-ticket-ja-1024');
    } finally {
      await browser.cleanup();
    }
  }, 60_000);
});
