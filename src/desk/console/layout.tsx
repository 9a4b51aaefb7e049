/**
 * The frame of every desk page: the document head (our stylesheet, desk.js on console pages), a
 * skip link, the top bar (sections the agent's role opens, the language switch, who is signed in,
 * sign-out), the flash message of the last action, and the confirmation dialog desk.js opens.
 */
import type { ComponentChildren } from 'preact';
import { roleAtLeast } from '../agents/agent.js';
import { hasCapability } from '../desk-permissions.js';
import { LANGUAGES, type Language } from '../../i18n/i18n.js';
import { usePage } from './page-context.js';

export const ASSET_PATH = '/desk/assets';
const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { ja: '日本語', en: 'English' };

/** A message after an action (Post/Redirect/Get), already in the agent's language. */
export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** The same page in another language (the server remembers the choice in a cookie). */
export function languageUrl(url: string, lang: Language): string {
  const u = new URL(url, 'http://desk.invalid');
  u.searchParams.set('lang', lang);
  return `${u.pathname}${u.search}`;
}

function Document(props: { title: string; bodyClass: string; script: boolean; styles?: readonly string[]; head?: ComponentChildren; children: ComponentChildren }) {
  const { lang, timeZone } = usePage();
  return (
    <html lang={lang} data-tz={props.script ? timeZone : undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{props.title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={`${ASSET_PATH}/desk.css`} />
        {(props.styles ?? []).map((file) => (
          <link rel="stylesheet" href={`${ASSET_PATH}/${file}`} />
        ))}
        {props.head}
        {props.script ? <script src={`${ASSET_PATH}/desk.js`} defer /> : null}
      </head>
      <body class={props.bodyClass}>{props.children}</body>
    </html>
  );
}

function LanguageSwitch() {
  const { lang, t, url } = usePage();
  return (
    <nav class="languages" aria-label={t('desk:signIn.languageLabel')}>
      {LANGUAGES.map((l) => (
        <a href={languageUrl(url, l)} lang={l} hreflang={l} aria-current={l === lang ? 'true' : undefined}>
          {LANGUAGE_NAMES[l]}
        </a>
      ))}
    </nav>
  );
}

export type Section = 'queue' | 'audit' | 'reports' | 'agents';

/** A console page: top bar, flash, main content, confirmation dialog, desk.js. */
export function ConsoleLayout(props: { title: string; section: Section | null; flash?: Flash | null; styles?: readonly string[]; children: ComponentChildren }) {
  const { t, agent, csrfToken, timeZone } = usePage();
  const links: { section: Section; href: string; label: string; shown: boolean }[] = [
    { section: 'queue', href: '/desk', label: t('desk:nav.queue'), shown: true },
    { section: 'audit', href: '/desk/audit', label: t('desk:nav.audit'), shown: agent !== null && roleAtLeast(agent.role, 'supervisor') },
    { section: 'reports', href: '/desk/reports', label: t('desk:nav.reports'), shown: agent !== null && hasCapability(agent, 'reports.view') },
    { section: 'agents', href: '/desk/agents', label: t('desk:nav.agents'), shown: agent !== null && roleAtLeast(agent.role, 'admin') },
  ];
  return (
    <Document title={`${props.title} · ${t('desk:desk.title')}`} bodyClass="console" script styles={props.styles}>
      <a class="skip-link" href="#main">
        {t('desk:nav.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href="/desk">
          {t('desk:desk.title')}
        </a>
        <nav class="sections" aria-label={t('desk:nav.label')}>
          {links
            .filter((l) => l.shown)
            .map((l) => (
              <a href={l.href} aria-current={l.section === props.section ? 'page' : undefined}>
                {l.label}
              </a>
            ))}
        </nav>
        <div class="account">
          <LanguageSwitch />
          {agent ? <span class="who">{t('desk:desk.signedInAs', { name: agent.displayName, role: t(`desk:roles.${agent.role}`) })}</span> : null}
          <form method="post" action="/desk/logout" class="inline">
            <input type="hidden" name="csrf" value={csrfToken} />
            <button type="submit" class="secondary small">
              {t('desk:desk.signOut')}
            </button>
          </form>
        </div>
      </header>
      <main id="main" tabindex={-1}>
        {props.flash ? <FlashMessage flash={props.flash} /> : null}
        {props.children}
      </main>
      <footer class="page-foot">
        <p>{t('desk:desk.timeZone', { zone: timeZone })}</p>
      </footer>
      <div id="live" class="visually-hidden" aria-live="polite" />
      <ConfirmDialog />
    </Document>
  );
}

function FlashMessage({ flash }: { flash: Flash }) {
  return (
    <div class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'} id="flash">
      {flash.text}
    </div>
  );
}

/** Filled and opened by desk.js before an action that cannot be undone (a real dialog, not window.confirm). */
function ConfirmDialog() {
  const { t } = usePage();
  return (
    <dialog id="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
      <form method="dialog">
        <h2 id="confirm-title">{t('desk:confirm.title')}</h2>
        <p id="confirm-text" />
        <div class="buttons">
          <button type="submit" value="cancel" class="secondary">
            {t('desk:confirm.cancel')}
          </button>
          <button type="submit" value="ok" id="confirm-ok">
            {t('desk:confirm.ok')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** Sign-in and refusal pages: a narrow column, no script; the sign-in page has the language switch. */
export function SignInLayout(props: { title: string; languages?: boolean; head?: ComponentChildren; children: ComponentChildren }) {
  return (
    <Document title={props.title} bodyClass="signin" script={false} head={props.head}>
      <main id="main">
        {props.languages ? <LanguageSwitch /> : null}
        {props.children}
      </main>
    </Document>
  );
}
