/**
 * Issue 11, the console's pieces without a server: dates in the agent's zone, which pages a sign-in
 * may return to, which changed tickets belong on a queue page, every text key in both languages,
 * and a ticket page rendered from a view whose every customer-typed field is markup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../../src/app.js';
import { safeNext } from '../../../src/desk/console/console-http.js';
import { formatDuration, startOfDay } from '../../../src/desk/console/format.js';
import { matchesQueue, parseQueueForm } from '../../../src/desk/console/queue-filter.js';
import { renderDocument } from '../../../src/desk/console/render.js';
import { TicketPage } from '../../../src/desk/console/ticket-page.js';
import type { TicketAnswer } from '../../../src/desk/console/ticket-view.js';
import { createLocalizer } from '../../../src/i18n/i18n.js';
import type { TicketSummary } from '../../../src/tickets/ticket-queue.js';
import { attributeNames, RAW_MARKUP, textOf, XSS } from './console-fixtures.js';

const brand = { ja: { exchangeName: 'テスト取引所', supportContact: 'サポート' }, en: { exchangeName: 'Test Exchange', supportContact: 'support' } } as never;
const localizer = createLocalizer(LOCALES_DIR, brand);

describe('dates in the agent’s zone', () => {
  it('a date filter starts at midnight where the agent is; an inclusive “until” is the next midnight', () => {
    expect(startOfDay('2026-03-01', 'Asia/Tokyo')).toBe('2026-02-28T15:00:00.000Z');
    expect(startOfDay('2026-03-01', 'Asia/Tokyo', 1)).toBe('2026-03-01T15:00:00.000Z');
    expect(startOfDay('2026-03-29', 'Europe/London')).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/London')).toBe('2026-03-29T23:00:00.000Z');
    expect(startOfDay('2026-02-30', 'UTC')).toBeNull();
    expect(startOfDay('yesterday', 'UTC')).toBeNull();
  });

  it('waiting times read naturally in both languages', () => {
    expect(formatDuration(5, 'en')).toBe('5 min');
    expect(formatDuration(200, 'en')).toBe('3 h 20 min');
    expect(formatDuration(3000, 'ja')).toBe('2日 2時間');
    expect(formatDuration(60, 'ja')).toBe('1時間');
  });
});

describe('where a sign-in may return to', () => {
  it('only this site’s console pages', () => {
    expect(safeNext('/desk')).toBe('/desk');
    expect(safeNext('/desk/tickets/TFA-7K3M9Q2P')).toBe('/desk/tickets/TFA-7K3M9Q2P');
    expect(safeNext('/desk?status=verified&assignee=me')).toBe('/desk?status=verified&assignee=me');
    for (const bad of ['//evil.example', 'https://evil.example/desk', '/desk//evil', '/desk/login', '/desk/logout', '/desk/events', '/deskx', '/desk/"onmouseover', '/api/desk/me', 42, null]) {
      expect(safeNext(bad), String(bad)).toBeNull();
    }
  });
});

describe('which changed tickets belong on a queue page', () => {
  const ticket: TicketSummary = {
    id: 'TFA-7K3M9Q2P' as never,
    reason: 'login_lockout',
    language: 'en',
    channelId: 'webchat',
    status: 'awaiting_verification',
    assigneeId: null,
    createdAt: '2026-03-01T01:00:00.000Z',
    updatedAt: '2026-03-01T01:00:00.000Z',
    version: 1,
    failedNotifications: 0,
  };
  const fits = (query: Record<string, string>, t: Partial<TicketSummary> = {}) => matchesQueue({ ...ticket, ...t }, parseQueueForm(query), 'agt_me', 'Asia/Tokyo');

  it('follows the tab, the filters and the dates; a search cannot be told from a summary', () => {
    expect(fits({})).toBe(true);
    expect(fits({ status: 'resolved' })).toBe(false);
    expect(fits({}, { status: 'closed' })).toBe(false);
    expect(fits({ status: 'all' }, { status: 'closed' })).toBe(true);
    expect(fits({ reason: 'login_lockout', language: 'en', channel: 'webchat' })).toBe(true);
    expect(fits({ reason: 'app_lost_no_backup' })).toBe(false);
    expect(fits({ assignee: 'none' })).toBe(true);
    expect(fits({ assignee: 'me' })).toBe(false);
    expect(fits({ assignee: 'me' }, { assigneeId: 'agt_me' })).toBe(true);
    expect(fits({ from: '2026-03-01', to: '2026-03-01' })).toBe(true);
    expect(fits({ from: '2026-03-02' })).toBe(false);
    expect(fits({ q: 'yamada' })).toBeNull();
  });
});

describe('texts', () => {
  const read = (lang: string) => JSON.parse(readFileSync(join(LOCALES_DIR, lang, 'desk.json'), 'utf8')) as Record<string, unknown>;
  const keys = (o: unknown, prefix = ''): string[] =>
    Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

  it('desk.json has the same keys in Japanese and English, and Japanese texts are Japanese', () => {
    expect(keys(read('ja')).sort()).toEqual(keys(read('en')).sort());
    const ja = read('ja');
    expect((ja['refusal'] as Record<string, string>)['own_verification']).toBe('ご自身で本人確認を行ったため、承認は別の監督者が行う必要があります。');
  });

  it('every key the console names literally exists in both languages', () => {
    const dir = join(LOCALES_DIR, '..', 'src', 'desk', 'console');
    const used = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/t\('(desk:[A-Za-z_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(150);
    // A key used with a count has its plural forms (`_one`, `_other`) instead.
    const exists = (lang: 'ja' | 'en', key: string) => localizer.has(lang, key) || localizer.has(lang, `${key}_other`);
    const missing = [...used].filter((key) => !exists('ja', key) || !exists('en', key));
    expect(missing).toEqual([]);
  });
});

describe('a ticket page whose every customer-typed field is markup', () => {
  const markup = `${XSS.script} ${XSS.img} ${XSS.link}`;
  const view: TicketAnswer = {
    ticket: {
      id: 'TFA-7K3M9Q2P',
      reason: 'customer_requested',
      language: 'en',
      channelId: markup,
      status: 'verified',
      assigneeId: 'agt_x',
      tenantId: null,
      createdAt: '2026-03-01T01:00:00.000Z',
      updatedAt: '2026-03-01T02:00:00.000Z',
      version: 3,
      waitingHours: 1,
      slaDueAt: '2026-03-03T01:00:00.000Z',
      overdue: false,
      closeReason: null,
      failureReason: null,
      approvalAction: null,
      verifiedBy: 'agt_x',
      approvedBy: null,
    },
    claims: { email: markup, fullName: markup, dateOfBirth: markup, phoneLast4: markup, description: markup },
    history: [
      { at: '2026-03-01T01:00:00.000Z', actor: { kind: 'customer', id: markup }, event: 'ticket.opened', from: null, to: 'awaiting_verification', note: markup, detail: null },
      { at: '2026-03-01T01:30:00.000Z', actor: { kind: 'agent', id: 'agt_x' }, event: 'info.requested', from: 'awaiting_verification', to: 'awaiting_verification', note: markup, detail: null },
    ],
    notifications: [{ id: 1, kind: 'verified', status: 'failed', attempts: 8, createdAt: '2026-03-01T01:00:00.000Z', nextAttemptAt: '2026-03-01T01:00:00.000Z', deliveredAt: null, lastError: markup }],
    path: [{ stepId: 'x', question: markup, answer: markup }],
    stepsTried: [{ stepId: 'y', title: markup }],
    transcript: [
      { at: '2026-03-01T01:00:00.000Z', from: 'customer', text: markup },
      { at: null, from: 'bot', text: markup },
    ],
    actions: {
      assign: { allowed: true },
      note: { allowed: true },
      verify: { allowed: false, reason: 'status' },
      fail: { allowed: false, reason: 'status' },
      approve: { allowed: false, reason: 'own_verification' },
      carry_out: { allowed: false, reason: 'status' },
      request_info: { allowed: true },
      resolve: { allowed: true },
      close: { allowed: true },
    },
  };

  it.each(['ja', 'en'] as const)('renders all of it as text (%s)', (lang) => {
    const page = { lang, t: localizer.forLanguage(lang), agent: null, csrfToken: 'csrf', url: '/desk/tickets/TFA-7K3M9Q2P', now: new Date('2026-03-01T03:00:00Z'), timeZone: 'UTC' };
    const html = renderDocument(page, h(TicketPage, { view, agents: [{ id: 'agt_x', displayName: markup, email: markup, role: 'supervisor', active: true, createdAt: '', updatedAt: '' }], treeSvg: null, flash: { kind: 'error', text: markup } }));
    for (const raw of RAW_MARKUP) expect(html).not.toContain(raw);
    expect(attributeNames(html).filter((n) => n.startsWith('on') || n === 'style')).toEqual([]);
    // Every place shows it: claims (5), history notes (2) and names, notification error, path, tried, transcript (2), flash.
    expect(textOf(html).split(markup).length - 1).toBeGreaterThanOrEqual(14);
  });

  it('the attribute reader used above does see handlers and styles', () => {
    expect(attributeNames('<a href="x" onclick="y"><b style=color:red title="onload=1">')).toEqual(['href', 'onclick', 'style', 'title']);
  });
});
