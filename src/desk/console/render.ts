/**
 * Turns a page component into the HTML document sent to the browser. preact-render-to-string
 * escapes every text and attribute value, so what a customer typed can only ever become text;
 * the one exception (`dangerouslySetInnerHTML`) is used for the tree diagram alone, whose module
 * escapes its own SVG.
 */
import { h, type ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContextValue, type PageContext } from './page-context.js';

/** Console pages: our own script and stylesheet, forms only to this origin, never framed. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Sign-in and refusal pages carry no script at all. */
export const SIGN_IN_CSP = "default-src 'none'; style-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** A rendered page, ready to send. */
export interface RenderedPage {
  readonly status: number;
  readonly html: string;
  /** Whether the page loads desk.js (and so needs {@link CONSOLE_CSP}). */
  readonly script: boolean;
}

/** Renders `<!doctype html>` and the page with its context. */
export function renderDocument(page: PageContext, content: ComponentChildren): string {
  return `<!doctype html>\n${renderToString(h(PageContextValue.Provider, { value: page }, content))}\n`;
}

/** Renders a piece of a page (a queue row for the live queue) with the page's context. */
export function renderFragment(page: PageContext, content: ComponentChildren): string {
  return renderToString(h(PageContextValue.Provider, { value: page }, content));
}
