/**
 * What every console component may read while a page renders: the agent's language and its
 * translator, who is signed in, the session's CSRF token for forms, and the clock and time zone
 * times are shown in. Provided once per page (see render.ts), read with {@link usePage}.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Agent } from '../agents/agent.js';
import type { Language, Translate } from '../../i18n/i18n.js';

export interface PageContext {
  readonly lang: Language;
  readonly t: Translate;
  /** The signed-in agent; null on the sign-in pages. */
  readonly agent: Agent | null;
  /** The session's CSRF token, sent back by every form as the hidden field `csrf`. */
  readonly csrfToken: string;
  /** Path and query of this page (the language switch links back to it). */
  readonly url: string;
  readonly now: Date;
  /** IANA zone the page's times are written in (the agent's browser's, once it told us). */
  readonly timeZone: string;
}

export const PageContextValue = createContext<PageContext | null>(null);

/** The page being rendered; only components rendered by {@link renderDocument} may call it. */
export function usePage(): PageContext {
  const page = useContext(PageContextValue);
  if (!page) throw new Error('usePage() outside a console page');
  return page;
}
