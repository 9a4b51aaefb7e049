/**
 * Running desk routes by operation id: the desk API over HTTP (src/server/desk-api-routes.ts)
 * implements it, and the console's forms (src/desk/console) use it, so an action is checked and
 * recorded the same way whatever the client. Declared here, in the desk, so the console needs
 * nothing of src/server.
 */
import type { LogContext } from '../../logger.js';
import type { AuthenticatedAgent } from '../auth/authenticator.js';
import type { RouteResult } from './route.js';

/** One desk request: who asks, from where, and the route's raw input. */
export interface DeskRequestInput {
  readonly auth: AuthenticatedAgent;
  readonly sourceAddress: string | null;
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly version: number | null;
  /** The request's log context: what the executor logs (a failed audit write) carries its id. */
  readonly log?: LogContext;
}

export type DeskOutcome = { readonly ok: true; readonly result: RouteResult } | { readonly ok: false; readonly code: string; readonly err: unknown };

/** Runs desk routes by operation id and writes the audit entry. */
export interface DeskExecutor {
  run(operationId: string, input: DeskRequestInput): Promise<DeskOutcome>;
  /** Records a request refused before it could run (no or bad credential, CSRF). */
  refuse(operationId: string, agentId: string | null, ticketId: string | null, sourceAddress: string | null, code: string, log?: LogContext): Promise<void>;
}
