/**
 * One signed-in console request: the agent and their session, the page context (language, time
 * zone, CSRF token), the message left by the previous action, and the way to reach the desk API.
 * Every read and action of the console goes through `run`, the API's own executor, so it gets the
 * API's validation, role checks, version checks and audit entry.
 */
import type { ComponentChildren } from 'preact';
import type { LogContext } from '../../logger.js';
import type { DeskExecutor, DeskOutcome } from '../api/executor.js';
import type { AuthenticatedAgent } from '../auth/authenticator.js';
import type { Flash } from './layout.js';
import type { PageContext } from './page-context.js';
import { renderDocument, type RenderedPage } from './render.js';

export interface ApiInput {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly version?: number | null;
}

export interface ConsoleSession {
  readonly auth: AuthenticatedAgent;
  readonly page: PageContext;
  readonly flash: Flash | null;
  /** Runs a desk API operation as this agent. */
  run(operationId: string, input?: ApiInput): Promise<DeskOutcome>;
  /** A console page (with desk.js). */
  render(status: number, content: ComponentChildren): RenderedPage;
}

export function consoleSession(
  deskApi: DeskExecutor,
  auth: AuthenticatedAgent,
  page: PageContext,
  flash: Flash | null,
  sourceAddress: string | null,
  log?: LogContext,
): ConsoleSession {
  return {
    auth,
    page,
    flash,
    run: (operationId, input = {}) =>
      deskApi.run(operationId, {
        auth,
        sourceAddress,
        params: input.params ?? {},
        query: input.query ?? {},
        body: input.body,
        version: input.version ?? null,
        log,
      }),
    render: (status, content) => ({ status, html: renderDocument(page, content), script: true }),
  };
}
