/**
 * Issue 18, the supervisors' reports over HTTP with a fake ReportService: the page shows the
 * report's figures in the agent's language with a chart and a table each, passes the period and
 * filters through, refuses a bad query with a sentence saying what is wrong (never a 500), keeps
 * what customers typed as text, and is for supervisors and admins only; the desk API's route
 * answers the same report as JSON with the same validation and roles; the CSV and the chart library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../src/desk/console/render.js';
import type { RunningApp } from '../../helpers/http-app.js';
import { attributeNames, Connector, getPage, openTicketInChat, RAW_MARKUP, signedInAgent, startConsoleApp, textOf, XSS, type SignedInAgent } from './console-fixtures.js';
import { FakeReportService, REPORT, REPORT_NOW, startReportConsole, type ReportConsole } from './report-fixtures.js';

let running: RunningApp;
let reports: ReportConsole;
let unconfigured: ReportConsole;
const fake = new FakeReportService();
let agent: SignedInAgent;
let supervisor: SignedInAgent;
let admin: SignedInAgent;

beforeAll(async () => {
  running = await startConsoleApp();
  reports = await startReportConsole(running, fake);
  unconfigured = await startReportConsole(running, undefined);
  agent = await signedInAgent(running.app, 'agent', 'Kenji Agent');
  supervisor = await signedInAgent(running.app, 'supervisor', 'Sato Supervisor');
  admin = await signedInAgent(running.app, 'admin', 'Alex Admin');
  // The tree's first layout per language takes seconds: done here, not inside a test's timing.
  for (const lang of ['ja', 'en']) await getPage(reports.baseUrl, `/desk/reports?lang=${lang}`, supervisor);
}, 120_000);
afterAll(async () => {
  await reports?.stop();
  await unconfigured?.stop();
  await running?.stop();
});

const TOKYO = 'desk_tz=Asia%2FTokyo';
const page = (path: string, who: SignedInAgent | null = supervisor, cookies: string[] = [TOKYO]) => getPage(reports.baseUrl, path, who, cookies);
const api = (path: string, who: SignedInAgent | null) =>
  fetch(`${reports.baseUrl}${path}`, { headers: who ? { Authorization: `Bearer ${who.secret}` } : {} }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

/** Asks the page with `query` and returns what the fake was asked, or undefined when it was not. */
async function asked(query: string) {
  const before = fake.queries.length;
  const answer = await page(`/desk/reports?lang=en&${query}`);
  return { answer, query: fake.queries.length > before ? fake.queries[fake.queries.length - 1] : undefined };
}

describe('the reports page', () => {
  it('shows the figures in English: containment, outcomes, reasons, where people give up, feedback, waiting, breakdowns', async () => {
    const { status, html, headers } = await page('/desk/reports?lang=en');
    expect(status).toBe(200);
    expect(headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    const text = textOf(html);
    expect(text).toContain('Containment rate 60.3%');
    expect(text).toContain('Conversations 694');
    expect(text).toContain('Resolved in chat 412');
    expect(text).toContain('Authenticator app unavailable (no usable backup) 41');
    expect(text).toContain('Abandoned 96');
    expect(text).toContain('Yes 412 87.7%');
    expect(text).toContain('Median wait 9.5 h');
    expect(text).toContain('Handled after 24 h 19');
    expect(text).toContain('Japanese 301 97 25 70 8 501 61.1%');
    expect(text).toContain('Microsoft Teams 24 18 7 16 2 67 36.9%');
    expect(text).toContain('Waiting for verification (target 24 h)');
    // One chart per figure set, each with a table; the tree coloured by the report's step traffic.
    const charts = html.match(/<canvas [^>]*data-chart="/g) ?? [];
    expect(charts.length).toBe(8);
    expect(html.match(/<table class="compact figures"/g)?.length ?? 0).toBeGreaterThanOrEqual(charts.length);
    expect(html).toContain('id="tree-node-mainMenu"');
    expect(html).toMatch(/class="tree-node tree-node--menu tree-heat-4"/);
  });

  it('reads like a Japanese desk in Japanese, with step names instead of ids', async () => {
    const { status, html } = await page('/desk/reports?lang=ja');
    expect(status).toBe(200);
    const text = textOf(html);
    expect(text).toContain('自己解決率 60.3%');
    expect(text).toContain('過去7日間');
    expect(text).toContain('離脱が多いステップ');
    expect(text).toContain('本人確認：入力フォーム 12');
    expect(text).not.toMatch(/\bsmsNotReceivedSignal\b/);
    expect(text).toContain('待ち時間（中央値） 9.5時間');
  });

  it('keeps the not-understood messages as text, with our scripts only (no inline script, handler or style)', async () => {
    const { html } = await page('/desk/reports?lang=en');
    for (const raw of RAW_MARKUP) expect(html, raw).not.toContain(raw);
    expect(textOf(html)).toContain(`my carrier is weird ${XSS.script}`);
    expect(textOf(html)).toContain('ログインしようとしたら [CODE] が違うと言われた');
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.every((attrs) => / src="\/desk\/assets\//.test(attrs))).toBe(true);
    expect(scripts.some((attrs) => attrs.includes('/desk/assets/vendor/chart-'))).toBe(true);
    expect(attributeNames(html).filter((name) => name.startsWith('on') || name === 'style')).toEqual([]);
  });

  it('passes the period and filters through: presets count back from now, custom dates are whole days in the agent’s zone', async () => {
    const week = await asked('');
    expect(week.query).toEqual({ since: new Date(REPORT_NOW.getTime() - 7 * 86_400_000), until: REPORT_NOW });
    const day = await asked('period=24h&language=ja&channel=msteams');
    expect(day.query).toEqual({ since: new Date(REPORT_NOW.getTime() - 86_400_000), until: REPORT_NOW, language: 'ja', channel: 'msteams' });
    expect(textOf(day.answer.html)).toContain('· Japanese · Microsoft Teams');
    const custom = await asked('period=custom&from=2026-11-01&to=2026-11-07');
    expect(custom.query).toEqual({ since: new Date('2026-10-31T15:00:00.000Z'), until: new Date('2026-11-07T15:00:00.000Z') });
    // Dates without a period mean custom dates; with a preset, the preset wins.
    expect((await asked('from=2026-11-01')).query).toEqual({ since: new Date('2026-10-31T15:00:00.000Z'), until: REPORT_NOW });
    expect((await asked('period=30d&from=2026-11-01')).query?.since).toEqual(new Date(REPORT_NOW.getTime() - 30 * 86_400_000));
    expect(custom.answer.html).toMatch(/<option value="custom" selected/);
    expect(custom.answer.html).toContain('href="/desk/reports.csv?period=custom&amp;from=2026-11-01&amp;to=2026-11-07"');
  });

  it.each([
    ['period=yesterday', 'That period is not one of the choices.', '期間の指定が正しくありません。'],
    ['period=custom&from=2026-13-45', 'Enter a valid start date', '開始日を正しい日付'],
    ['period=custom', 'Enter a valid start date', '開始日を正しい日付'],
    ['period=custom&from=2026-11-08&to=2026-11-01', 'Enter an end date on or after the start date.', '終了日は開始日と同じ日か'],
    ['period=custom&from=2024-01-01&to=2026-11-01', 'A report covers at most 366 days.', '指定できる期間は最大366日です。'],
    ['language=fr', 'That language is not one of the choices.', '言語の指定が正しくありません。'],
    [`channel=${encodeURIComponent(XSS.script)}`, 'That channel is not valid.', 'チャネルの指定が正しくありません。'],
  ])('refuses %s with 400 and a sentence in the agent’s language, asking nothing', async (query, en, ja) => {
    const before = fake.queries.length;
    const english = await page(`/desk/reports?lang=en&${query}`);
    const japanese = await page(`/desk/reports?lang=ja&${query}`);
    expect([english.status, japanese.status]).toEqual([400, 400]);
    expect(textOf(english.html)).toContain(en);
    expect(textOf(japanese.html)).toContain(ja);
    expect(english.html).toContain('role="alert"');
    for (const raw of RAW_MARKUP) expect(english.html).not.toContain(raw);
    expect(english.html).not.toContain('<canvas');
    expect(fake.queries.length).toBe(before);
  });

  it('is for supervisors and admins: an agent gets 403 and no link; the link is in their navigation', async () => {
    const denied = await page('/desk/reports?lang=en', agent);
    expect(denied.status).toBe(403);
    expect(textOf(denied.html)).toContain('This page needs the supervisor role.');
    expect(denied.html).not.toContain('<canvas');
    expect((await getPage(running.baseUrl, '/desk?lang=en', agent)).html).not.toContain('href="/desk/reports"');
    for (const who of [supervisor, admin]) expect((await getPage(running.baseUrl, '/desk?lang=ja', who)).html).toMatch(/<a href="\/desk\/reports"[^>]*>レポート<\/a>/);
    expect((await page('/desk/reports?lang=en', admin)).status).toBe(200);
    expect((await page('/desk/reports?lang=en', supervisor)).html).toMatch(/<a href="\/desk\/reports" aria-current="page">Reports<\/a>/);
    const anonymous = await page('/desk/reports', null, []);
    expect([anonymous.status, anonymous.location]).toEqual([302, '/desk/login?next=%2Fdesk%2Freports']);
  });

  it('says so when the server has no report service (503), in the agent’s language', async () => {
    const en = await getPage(unconfigured.baseUrl, '/desk/reports?lang=en', supervisor);
    const ja = await getPage(unconfigured.baseUrl, '/desk/reports?lang=ja', supervisor);
    expect([en.status, ja.status]).toEqual([503, 503]);
    expect(textOf(en.html)).toContain('Reports are not configured on this server.');
    expect(textOf(ja.html)).toContain('このサーバーではレポート機能が設定されていません。');
  });

  it('on the whole app, shows what the bot recorded: a chat that ended with a ticket is one handoff', async () => {
    const connector = await new Connector().start();
    try {
      await openTicketInChat(running, connector, { lang: 'ja', reason: 'login_lockout' });
      await running.app.recorder.flush();
      const { status, html } = await getPage(running.baseUrl, '/desk/reports?lang=ja&period=24h&channel=webchat', supervisor);
      expect(status).toBe(200);
      const text = textOf(html);
      expect(text).toContain('会話数 1');
      expect(text).toContain('ログイン制限 1');
      expect(text).toContain('受付チケット数 1');
      expect(html.match(/<canvas [^>]*data-chart="/g)?.length ?? 0).toBeGreaterThanOrEqual(6);
    } finally {
      await connector.stop();
    }
  }, 60_000);

  it('downloads the figures as CSV (ids, formula-safe text); a bad query gets the page with its message', async () => {
    const res = await fetch(`${reports.baseUrl}/desk/reports.csv?period=24h&channel=msteams`, { headers: { Cookie: supervisor.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report-2026-11-29-2026-11-30.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte order mark, so a spreadsheet reads the Japanese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.startsWith('section,key,value\r\n')).toBe(true);
    expect(csv).toContain('query,channel,msteams\r\n');
    expect(csv).toContain('outcomes,resolved,412\r\n');
    expect(csv).toContain('handoffsByReason,login_lockout,19\r\n');
    expect(csv).toContain('byChannel,local-webchat.abandoned,80\r\n');
    expect(csv).toContain('ログインしようとしたら [CODE] が違うと言われた');
    const bad = await getPage(reports.baseUrl, '/desk/reports.csv?lang=en&period=nope', supervisor);
    expect([bad.status, bad.headers.get('content-type')]).toEqual([400, 'text/html; charset=utf-8']);
    expect(textOf(bad.html)).toContain('That period is not one of the choices.');
    expect((await getPage(reports.baseUrl, '/desk/reports.csv', agent)).status).toBe(403);
  });

  it('serves the chart library from node_modules under a versioned URL, cached for a year, revalidated by ETag', async () => {
    const { html } = await page('/desk/reports?lang=en');
    const url = /src="(\/desk\/assets\/vendor\/chart-[0-9.]+\.umd\.min\.js)"/.exec(html)?.[1];
    expect(url).toBeDefined();
    const res = await fetch(`${reports.baseUrl}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const body = await res.text();
    expect(body).toContain('window.Chart');
    expect(body).not.toContain('sourceMappingURL');
    const again = await fetch(`${reports.baseUrl}${url}`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});

describe('GET /api/desk/reports', () => {
  it('answers the report as JSON for a supervisor, with the period and filters passed through', async () => {
    const { status, body } = await api('/api/desk/reports?period=30d&language=en&channel=local-webchat', supervisor);
    expect(status).toBe(200);
    expect(fake.queries[fake.queries.length - 1]).toEqual({ since: new Date(REPORT_NOW.getTime() - 30 * 86_400_000), until: REPORT_NOW, language: 'en', channel: 'local-webchat' });
    expect(body).toEqual({ ...REPORT, query: { ...REPORT.query, since: '2026-10-31T15:00:00.000Z', until: REPORT_NOW.toISOString(), language: 'en', channel: 'local-webchat' } });
    const custom = await api('/api/desk/reports?since=2026-11-01T00:00:00%2B09:00&until=2026-11-02T00:00:00%2B09:00', admin);
    expect(custom.status).toBe(200);
    expect(custom.body.query).toMatchObject({ since: '2026-10-31T15:00:00.000Z', until: '2026-11-01T15:00:00.000Z' });
  });

  it.each([
    ['period=week', 'query.period'],
    ['period=7d&since=2026-11-01T00:00:00Z', 'query.period'],
    ['period=custom', 'query.since'],
    ['since=yesterday', 'query.since'],
    ['since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z', 'query.until'],
    ['since=2024-01-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'query.range'],
    ['language=de', 'query.language'],
    ['channel=a%20b', 'query.channel'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const { status, body } = await api(`/api/desk/reports?${query}`, supervisor);
    expect(status).toBe(400);
    expect(body.code).toBe('invalid_input');
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses an agent (403) and a request without a credential (401); 503 when reports are not configured', async () => {
    expect((await api('/api/desk/reports', agent)).status).toBe(403);
    expect((await api('/api/desk/reports', null)).status).toBe(401);
    const res = await fetch(`${unconfigured.baseUrl}/api/desk/reports`, { headers: { Authorization: `Bearer ${supervisor.secret}` } });
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([503, 'unavailable']);
  });

  it('leaves an audit entry for each report read and each refusal, named in the audit log', async () => {
    const caller = { agent: { id: admin.id, role: 'admin' as const, displayName: 'Alex Admin' }, sourceAddress: null };
    const entries = await running.app.desk.listAudit(caller, { action: 'getReport', limit: 500 });
    expect(entries.some((e) => e.agentId === supervisor.id && e.outcome === 'ok')).toBe(true);
    expect(entries.some((e) => e.agentId === agent.id && e.outcome === 'refused' && e.code === 'forbidden')).toBe(true);
    const log = await getPage(running.baseUrl, '/desk/audit?lang=en&action=getReport', admin);
    expect(textOf(log.html)).toContain('Read the reports getReport');
  });

  it('is in the OpenAPI document: supervisors, its query parameters, the report schema and the 503', async () => {
    const doc = (await (await fetch(`${reports.baseUrl}/api/desk/openapi.json`)).json()) as any;
    const op = doc.paths['/api/desk/reports'].get;
    expect(op).toMatchObject({ operationId: 'getReport', tags: ['reports'], 'x-required-role': 'supervisor' });
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['period', 'since', 'until', 'language', 'channel']);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toContain('stepTraffic');
    expect(op.responses['503']).toBeDefined();
  });
});
