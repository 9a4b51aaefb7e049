/**
 * The production build is one bundled file that reads its locales, pages, corpus, model and the
 * tree's layout worker from beside it: built into a folder of its own and started as production
 * starts it, it must serve a customer in both languages, the web chat page, the desk's sign-in and
 * reports (tree and chart), and start on the classifier model it ships instead of training.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../../scripts/build/bundle.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { expectRepliesActivity, postJson, replyTexts, spawnServer, type ChildServer } from '../../helpers/child-server.js';
import { signedInAgent, type SignedInAgent } from '../../desk/console/console-fixtures.js';

// Inside the repository (test-results/ is ignored by git): the bundle finds better-sqlite3 and the
// other packages it leaves out in node_modules above it, as dist/ does.
const outDir = join('test-results', `bundle-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'bundle-data-'));
const agent = new Agent({ keepAlive: true });
let server: ChildServer;
let supervisor: SignedInAgent;

beforeAll(async () => {
  const { entry, model } = await buildDist({ outDir });
  expect(model).toBe(true);
  const env = { DATABASE_FILE: join(dataDir, 'bot.sqlite'), MicrosoftAppId: '' };
  // A supervisor with a console session, written to the database the built bot will open.
  const app: App = createApp(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), silentLogger);
  supervisor = await signedInAgent(app, 'supervisor');
  app.close();
  // The in-process app may have cached its own model there: the built bot must find none.
  for (const name of readdirSync(dataDir)) if (name.startsWith('nlu-model-')) rmSync(join(dataDir, name));
  server = await spawnServer(env, [entry]);
}, 120_000);

afterAll(async () => {
  agent.destroy();
  if (server && server.process.exitCode === null) {
    server.process.kill('SIGTERM');
    await server.exited;
  }
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the bundled build (npm run build, npm run start:prod)', () => {
  it('starts on the classifier model it ships, without training', () => {
    expect(server.logs.find((l) => l['msg'] === 'NLU classifier ready')).toMatchObject({ source: 'bundled' });
  });

  it('answers a customer from the guide in Japanese and in English', async () => {
    const ja = await postJson(agent, `${server.baseUrl}/api/messages`, expectRepliesActivity('bundle-ja', { text: 'SMSが届きません', locale: 'ja-JP' }));
    expect(ja.status).toBe(200);
    expect(replyTexts(ja.body).join('\n')).toMatch(/SMS/);
    expect(replyTexts(ja.body).join('\n')).toMatch(/[ぁ-ん]/);
    const en = await postJson(agent, `${server.baseUrl}/api/messages`, expectRepliesActivity('bundle-en', { text: 'I deleted my authenticator app', locale: 'en-US' }));
    expect(en.status).toBe(200);
    expect(replyTexts(en.body).join('\n')).toMatch(/backup|back up|QR code|setup key/i);
  });

  it('serves the web chat page, its script and Web Chat itself (read from the npm package)', async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const src of ['/assets/chat.js', '/webchat.js']) {
      expect(html).toContain(`src="${src}`);
      const script = await fetch(`${server.baseUrl}${src}`);
      expect(script.status, src).toBe(200);
      expect((await script.text()).length, src).toBeGreaterThan(1000);
    }
  });

  it("serves the desk's sign-in page, and the reports with the guide's tree and the chart library", async () => {
    expect((await fetch(`${server.baseUrl}/desk/login`)).status).toBe(200);
    const reports = await fetch(`${server.baseUrl}/desk/reports?lang=ja`, { headers: { Cookie: supervisor.cookie } });
    expect(reports.status).toBe(200);
    const html = await reports.text();
    expect(html).toContain('id="tree-node-mainMenu"');
    const chart = /src="(\/desk\/assets\/vendor\/chart-[^"]+)"/.exec(html)?.[1];
    expect(chart).toBeDefined();
    expect((await fetch(`${server.baseUrl}${chart}`)).status).toBe(200);
  });
});
