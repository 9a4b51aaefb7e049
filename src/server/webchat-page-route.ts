import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { Localizer } from '../i18n/i18n.js';
import { languageFromHeader, type Language } from '../i18n/language.js';
import type { Logger } from '../logger.js';
import { DIRECTLINE_BASE_PATH, streamOrigin } from './directline-routes.js';
import { appFile } from '../app-files.js';

/** The page's own files (index.html template, script, stylesheet). */
export const PUBLIC_DIR = appFile('public');

/** Keys of `locales/<lang>/webchat.json` the page shows; the script switches between both sets. */
const PAGE_TEXT_KEYS = ['title', 'subtitle', 'languageLabel', 'newChat', 'privacyNote', 'chatLabel', 'connecting', 'connectFailed', 'noScript'] as const;

/**
 * Content Security Policy of the page: everything from this origin, nothing from a CDN.
 * Web Chat injects its styles at run time, hence 'unsafe-inline' for styles only. The web chat
 * stream's WebSocket origin is named as well: older browsers (Safari before 15.4) do not count
 * ws:/wss: as 'self'.
 */
const pageCsp = (streamFrom: string) => [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self' ${streamFrom}`,
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebChatPageOptions {
  readonly localizer: Localizer;
  readonly defaultLanguage: Language;
  readonly logger: Logger;
  /** PUBLIC_BASE_URL: decides the stream's origin named in the page's CSP, as for its `streamUrl`. */
  readonly publicBaseUrl?: string;
}

/**
 * Path of Web Chat's full bundle inside node_modules (the full one renders Adaptive Cards;
 * webchat-minimal.js does not). The package exports no subpaths, so it is found from its entry.
 */
export function resolveWebChatBundle(): string {
  const entry = createRequire(import.meta.url).resolve('botframework-webchat');
  let dir = dirname(entry);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'botframework-webchat') return join(dir, 'dist', 'webchat.js');
    } catch {
      // not the package root yet
    }
    dir = dirname(dir);
  }
  throw new Error('botframework-webchat package root not found');
}

/**
 * `GET /` (the support chat page), `GET /webchat.js` (streamed from the npm package, never copied
 * into the repository) and the page's script and stylesheet.
 */
export function registerWebChatPageRoutes(server: Server, options: WebChatPageOptions): void {
  const template = readFileSync(join(PUBLIC_DIR, 'index.html'), 'utf8');
  const assets = new Map<string, { body: Buffer; type: string }>([
    ['chat.js', { body: readFileSync(join(PUBLIC_DIR, 'chat.js')), type: 'application/javascript; charset=utf-8' }],
    ['chat.css', { body: readFileSync(join(PUBLIC_DIR, 'chat.css')), type: 'text/css; charset=utf-8' }],
  ]);
  const texts = {
    ja: pageTexts(options.localizer, 'ja'),
    en: pageTexts(options.localizer, 'en'),
  };
  const configJson = scriptSafeJson({ defaultLanguage: options.defaultLanguage, directLinePath: DIRECTLINE_BASE_PATH, texts });
  const bundle = resolveWebChatBundle();
  const bundleStat = statSync(bundle);
  const bundleETag = `"webchat-${bundleStat.size}-${Math.floor(bundleStat.mtimeMs)}"`;

  server.get('/', async (req: Request, res: Response) => {
    const lang = languageFromHeader(req.header('accept-language'), options.defaultLanguage);
    const t = texts[lang];
    const html = template.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
      if (key === 'lang') return lang;
      if (key === 'config') return configJson;
      if (key === 'jaPressed') return String(lang === 'ja');
      if (key === 'enPressed') return String(lang === 'en');
      const text = (t as Record<string, string>)[key];
      return text === undefined ? '' : escapeHtml(text);
    });
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': pageCsp(streamOrigin(req, options.publicBaseUrl)),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
      'Content-Language': lang,
      Vary: 'Accept-Language',
    });
    res.end(html);
  });

  server.get('/assets/:file', async (req: Request, res: Response) => {
    const asset = assets.get(String(req.params.file));
    if (!asset) {
      res.send(404, { code: 'not_found', message: 'Not found' });
      return;
    }
    res.writeHead(200, { 'Content-Type': asset.type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
    res.end(asset.body);
  });

  server.get('/webchat.js', async (req: Request, res: Response) => {
    const headers = {
      ETag: bundleETag,
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.header('if-none-match') === bundleETag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'application/javascript; charset=utf-8', 'Content-Length': String(bundleStat.size) });
    await new Promise<void>((resolve) => {
      const stream = createReadStream(bundle);
      stream.on('error', (err) => {
        options.logger.error({ err: { message: err.message } }, 'could not stream webchat.js');
        res.destroy();
        resolve();
      });
      stream.on('end', () => resolve());
      stream.pipe(res);
    });
  });
}

function pageTexts(localizer: Localizer, lang: Language): Record<(typeof PAGE_TEXT_KEYS)[number], string> {
  const t = localizer.forLanguage(lang);
  return Object.fromEntries(PAGE_TEXT_KEYS.map((k) => [k, t(`webchat:${k}`)])) as Record<(typeof PAGE_TEXT_KEYS)[number], string>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no `</script>` or comment openers can appear. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
