/**
 * The support desk's server-rendered pages (sign-in, refusals, the placeholder desk). No script
 * at all; every dynamic value goes through {@link html}, which escapes it, so a display name or
 * a translated text can never become markup.
 */
import type { Response } from 'restify';
import type { Agent } from '../desk/agents/agent.js';
import type { Language, Translate } from '../i18n/i18n.js';

/** Strict policy: only our stylesheet, forms only to this origin, never framed. */
export const DESK_PAGE_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Where the pages' stylesheet is served from (public/desk-auth.css). */
export const DESK_STYLESHEET_PATH = '/desk/assets/desk-auth.css';

/** Markup that is already safe; only {@link html} makes one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template: interpolated strings are escaped, SafeHtml (and arrays of it) inserted as is. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { ja: '日本語', en: 'English' };

function layout(lang: Language, title: string, body: SafeHtml, head: SafeHtml = html``): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<link rel="stylesheet" href="${DESK_STYLESHEET_PATH}">
${head}</head>
<body><main>
${body}
</main></body>
</html>
`.value;
}

export interface LoginPageOptions {
  readonly oidc: boolean;
  readonly tokenForm: boolean;
  /** A message above the forms (the last token was refused). */
  readonly error?: string;
}

/** `/desk/login`: the provider's button and/or the token form, with a language switch. */
export function loginPage(t: Translate, lang: Language, options: LoginPageOptions): string {
  const languages = (['ja', 'en'] as const).map(
    (l) => html` <a href="/desk/login?lang=${l}" lang="${l}" hreflang="${l}" aria-current="${l === lang ? 'true' : 'false'}">${LANGUAGE_NAMES[l]}</a>`,
  );
  const body = html`<nav class="languages" aria-label="${t('desk:signIn.languageLabel')}">${languages}</nav>
<h1>${t('desk:signIn.heading')}</h1>
<p>${t('desk:signIn.intro')}</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
${options.oidc ? html`<p><a class="button" href="/desk/login/oidc?lang=${lang}">${t('desk:signIn.oidcButton')}</a></p>` : ''}
${
  options.tokenForm
    ? html`<h2>${t('desk:signIn.tokenHeading')}</h2>
<form method="post" action="/desk/login/token">
<input type="hidden" name="lang" value="${lang}">
<label for="token">${t('desk:signIn.tokenLabel')}</label>
<input type="password" id="token" name="token" required autocomplete="off" spellcheck="false" aria-describedby="token-hint">
<p class="hint" id="token-hint">${t('desk:signIn.tokenHint')}</p>
<button type="submit">${t('desk:signIn.tokenSubmit')}</button>
</form>`
    : ''
}
${!options.oidc && !options.tokenForm ? html`<p class="error">${t('desk:signIn.noMethod')}</p>` : ''}`;
  return layout(lang, t('desk:signIn.title'), body);
}

/** A refusal or failure, with the way back to sign-in. */
export function messagePage(t: Translate, lang: Language, message: string): string {
  const body = html`<h1>${t('desk:errors.title')}</h1>
<p class="error" role="alert">${message}</p>
<p><a href="/desk/login?lang=${lang}">${t('desk:errors.backToSignIn')}</a></p>`;
  return layout(lang, t('desk:errors.title'), body);
}

/**
 * After the provider's return: the session cookie is SameSite=Strict and this response answers a
 * cross-site navigation, so the browser would not send it on a redirect; a page that moves on by
 * itself makes the next request same-site, with the cookie.
 */
export function forwardPage(t: Translate, lang: Language): string {
  const body = html`<p>${t('desk:desk.forwarding')}</p>
<p><a class="button" href="/desk">${t('desk:desk.continue')}</a></p>`;
  return layout(lang, t('desk:desk.title'), body, html`<meta http-equiv="refresh" content="0;url=/desk">\n`);
}

/** `/desk` until the console exists (issue 11): who is signed in, and sign-out. */
export function deskPlaceholderPage(t: Translate, lang: Language, agent: Agent, csrfToken: string): string {
  const body = html`<h1>${t('desk:desk.title')}</h1>
<p>${t('desk:desk.signedInAs', { name: agent.displayName, role: t(`desk:roles.${agent.role}`) })}</p>
<p>${t('desk:desk.placeholder')}</p>
<form method="post" action="/desk/logout">
<input type="hidden" name="csrf" value="${csrfToken}">
<button type="submit">${t('desk:desk.signOut')}</button>
</form>`;
  return layout(lang, t('desk:desk.title'), body);
}

/** Sends a page with the desk's security headers; never cached (pages name the signed-in agent). */
export function sendPage(res: Response, status: number, lang: Language, page: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': DESK_PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The callback's URL holds the authorization code: it must not leak as a Referer to another
    // site. Not `no-referrer`: with it, Chromium sends `Origin: null` on the pages' own form posts,
    // and the sign-in and sign-out forms' origin check refuses them.
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    'Content-Language': lang,
    ...headers,
  });
  res.end(page);
}
