/**
 * The shape of one desk API route: its schemas (validation and documentation at once) and a
 * handler that receives validated input and the signed-in caller. No HTTP library here: the
 * server adapter (src/server/desk-api-routes.ts) and the OpenAPI generator both read these.
 */
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import type { DeskCaller } from '../desk-service.js';
import type { AgentRole } from '../agents/agent.js';

export interface RouteInput {
  readonly caller: DeskCaller;
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  /** The ticket version from `If-Match`, for routes that require it. */
  readonly version: number | null;
}

export interface RouteResult {
  readonly status?: number;
  readonly body: unknown;
  /** Sent as `ETag` (the ticket version) so the next action can send it back in `If-Match`. */
  readonly version?: number;
}

export interface DeskRoute {
  readonly method: 'get' | 'post' | 'patch';
  /** OpenAPI form: `/api/desk/tickets/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: 'tickets' | 'audit' | 'agents' | 'reports';
  /** The least role, for the document; the service checks it (and more) on every call. */
  readonly role: AgentRole;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The action is based on a ticket version: `If-Match` is required and a stale one gives 409. */
  readonly ifMatch?: boolean;
  readonly response: z.ZodType;
  /**
   * Whether a request is written to the audit trail (default: always). Every request that reads
   * personal data or changes anything is; a plain queue listing (no search) is not.
   */
  readonly audit?: (query: Record<string, unknown>) => boolean;
  readonly handle: (input: RouteInput) => Promise<RouteResult>;
}

interface TypedInput<P, Q, B> {
  readonly caller: DeskCaller;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly version: number | null;
}

interface RouteSpec<P, Q, B> extends Omit<DeskRoute, 'handle' | 'params' | 'query' | 'body'> {
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly handle: (input: TypedInput<P, Q, B>) => Promise<RouteResult>;
}

/**
 * Declares a route whose handler gets input already validated by its schemas; anything that does
 * not fit is refused with `invalid_input` naming the fields (never echoing the values).
 */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): DeskRoute {
  return {
    ...spec,
    handle: async (input) =>
      spec.handle({
        caller: input.caller,
        version: input.version,
        params: parse(spec.params, input.params, 'path'),
        query: parse(spec.query, input.query, 'query'),
        body: parse(spec.body, input.body, 'body'),
      }),
  };
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ field: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw new AppError('invalid_input', `Invalid ${errors.map((e) => e.field).join(', ')}`, { errors });
}
