/**
 * Security headers on every answer (pages, API, assets, errors, 404s, the event stream), no
 * `Server` header, HSTS only behind https; and the loud warning at every start when production
 * runs with ALLOW_UNAUTHENTICATED=true (issue 12).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { securityWarnings } from '../../src/security/startup-warnings.js';
import { startApp, type RunningApp } from '../helpers/http-app.js';
import { PRODUCTION_ENV } from '../helpers/production-env.js';

let plain: RunningApp;
let https: RunningApp;

beforeAll(async () => {
  [plain, https] = await Promise.all([startApp(), startApp({ PUBLIC_BASE_URL: 'https://chat.example.com' })]);
});
afterAll(async () => {
  await Promise.all([plain?.stop(), https?.stop()]);
});

/** Requests of every kind the server answers: page, API, asset, error, 404, refusal. */
const REQUESTS: [string, string, RequestInit?][] = [
  ['the web chat page', '/'],
  ['health', '/healthz'],
  ['the desk sign-in page', '/desk/login'],
  ['an unknown path (404)', '/nothing-here'],
  ['a desk asset that does not exist (404)', '/desk/assets/nothing.css'],
  ['the desk event stream without a session (401)', '/desk/events'],
  ['a wrong method (405)', '/api/messages'],
  ['a bad activity (400)', '/api/messages', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }],
  ['a non-JSON body (415)', '/api/messages', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' }],
  ['the web chat token route', '/v3/directline/tokens/generate', { method: 'POST' }],
];

describe('headers on every answer', () => {
  it.each(REQUESTS)('%s', async (_name, path, init) => {
    const res = await fetch(`${plain.baseUrl}${path}`, init);
    await res.arrayBuffer();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('permissions-policy')).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\).*payment=\(\)/);
    expect(res.headers.get('referrer-policy')).toMatch(/^(no-referrer|same-origin)$/);
    expect(res.headers.get('server')).toBeNull();
    // PUBLIC_BASE_URL is plain http here: HSTS would be ignored, and wrong for a local set-up.
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('HSTS behind https (PUBLIC_BASE_URL https), on pages, API and errors alike', async () => {
    for (const [, path, init] of REQUESTS) {
      const res = await fetch(`${https.baseUrl}${path}`, init);
      await res.arrayBuffer();
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('server'), path).toBeNull();
    }
  });

  it('pages keep their own Content-Security-Policy and the desk its same-origin referrer policy', async () => {
    const page = await fetch(`${plain.baseUrl}/`);
    await page.arrayBuffer();
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const desk = await fetch(`${plain.baseUrl}/desk/login`);
    await desk.arrayBuffer();
    expect(desk.headers.get('content-security-policy')).toBeTruthy();
  });
});

describe('ALLOW_UNAUTHENTICATED=true warns at every start', () => {
  it('securityWarnings names the setting only when production runs unauthenticated on purpose', () => {
    expect(securityWarnings(loadConfig(PRODUCTION_ENV)).join('\n')).toMatch(/SECURITY WARNING: ALLOW_UNAUTHENTICATED=true.*WITHOUT checking any Bot Framework token/);
    expect(securityWarnings(loadConfig({}))).toEqual([]);
    const authenticated = { ...PRODUCTION_ENV, ALLOW_UNAUTHENTICATED: 'false', MicrosoftAppId: '0f5e2d1c-7b3a-4c9d-8e6f-1a2b3c4d5e6f', MicrosoftAppPassword: 'p' };
    expect(securityWarnings(loadConfig(authenticated))).toEqual([]);
  });

  it('the started app logs it as a warning; the process also prints it on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unauth-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...PRODUCTION_ENV, HOST: '127.0.0.1', PORT: '0', DATABASE_FILE: join(dir, 'bot.sqlite') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start in 30 s: ${stderr}`)), 30_000);
        const check = () => {
          if (stdout.includes('bot listening')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', check);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      expect(stderr).toContain('SECURITY WARNING: ALLOW_UNAUTHENTICATED=true');
      const warning = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number | string; msg: string; security?: boolean })
        .find((l) => l.msg.startsWith('SECURITY WARNING'));
      expect(warning).toMatchObject({ security: true });
      expect([40, 'warn']).toContain(warning?.level);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
