import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageFromHeader } from '../../src/i18n/language.js';
import { resolveWebChatBundle } from '../../src/server/webchat-page-route.js';
import { startApp, tempDatabase, type RunningApp } from '../channel/directline-server.js';

describe('web chat page routes', () => {
  let running: RunningApp;
  let db: ReturnType<typeof tempDatabase>;
  beforeAll(async () => {
    db = tempDatabase();
    running = await startApp(db.file, { EXCHANGE_NAME_EN: 'Example <Exchange>', EXCHANGE_NAME_JA: 'サンプル取引所' });
  });
  afterAll(async () => {
    await running.stop();
    db.remove();
  });

  it('serves the page in the browser language with the exchange name, escaped, and a strict CSP without any CDN', async () => {
    const en = await fetch(`${running.baseUrl}/`, { headers: { 'Accept-Language': 'fr-FR,en-US;q=0.8,ja;q=0.5' } });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-type')).toContain('text/html');
    const csp = en.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await en.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Example &#60;Exchange&#62; 2FA support</title>');
    expect(html).not.toContain('Example <Exchange>');
    expect(html).toMatch(/<script src="\/webchat\.js" defer><\/script>/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain('aria-pressed="true">English');
    expect(html).toContain('name="viewport"');

    const ja = await (await fetch(`${running.baseUrl}/`, { headers: { 'Accept-Language': 'ja-JP' } })).text();
    expect(ja).toContain('<html lang="ja">');
    expect(ja).toContain('サンプル取引所 2段階認証サポート');
    expect(ja).toContain('lang="ja" aria-pressed="true">日本語');
  });

  it('embeds the page texts of both languages as script-safe JSON', async () => {
    const html = await (await fetch(`${running.baseUrl}/`)).text();
    const json = /<script id="chat-config" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1];
    expect(json).toBeDefined();
    const config = JSON.parse(json!) as { defaultLanguage: string; directLinePath: string; texts: Record<'ja' | 'en', Record<string, string>> };
    expect(config.directLinePath).toBe('/v3/directline');
    expect(Object.keys(config.texts.ja).sort()).toEqual(Object.keys(config.texts.en).sort());
    expect(config.texts.en.title).toBe('Example <Exchange> 2FA support');
  });

  it('streams webchat.js from the npm package (the full bundle) with an ETag, and answers 304 to a revalidation', async () => {
    const bundle = resolveWebChatBundle();
    expect(bundle).toMatch(/node_modules\/botframework-webchat\/dist\/webchat\.js$/);
    const res = await fetch(`${running.baseUrl}/webchat.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(statSync(bundle).size);
    expect(body.includes(Buffer.from('renderWebChat'))).toBe(true);
    expect(body.includes(Buffer.from('AdaptiveCard'))).toBe(true);
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${running.baseUrl}/webchat.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves only the page’s own assets', async () => {
    expect((await fetch(`${running.baseUrl}/assets/chat.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${running.baseUrl}/assets/chat.css`)).headers.get('content-type')).toContain('text/css');
    for (const path of ['/assets/index.html', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e%2fsrc%2fconfig.ts']) {
      const res = await fetch(`${running.baseUrl}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});

describe('languageFromHeader', () => {
  it.each([
    ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'],
    ['en-GB,en;q=0.9', 'en'],
    ['de-DE,en;q=0.3,ja;q=0.7', 'ja'],
    ['zh-CN', 'ja'],
    ['', 'ja'],
    ['en;q=0, ja;q=0.1', 'ja'],
  ] as const)('%s → %s', (header, expected) => {
    expect(languageFromHeader(header, 'ja')).toBe(expected);
  });
});
