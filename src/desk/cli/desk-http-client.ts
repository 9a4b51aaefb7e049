/**
 * The desk API as the command line calls it: where (DESK_URL) and as whom (DESK_TOKEN), read from
 * the environment the script was given (`.env` loaded) and validated here rather than in
 * src/config.ts, because only this client uses them; the server never does. Answers are checked
 * against the API's own response schemas, so a server that drifts from its document is noticed
 * instead of printed half-wrong. The token is sent, never printed.
 */
import type { z } from 'zod';

export const DEFAULT_DESK_URL = 'http://127.0.0.1:3978';
const TIMEOUT_MS = 30_000;

export interface DeskClientSettings {
  /** The server's base URL, ending in `/` (a path prefix behind a proxy is kept). */
  readonly baseUrl: URL;
  readonly token: string;
}

/** DESK_URL or DESK_TOKEN missing or malformed: bad configuration (exit 2). */
export class DeskSettingsError extends Error {}

/** The server could not be reached, did not answer in time, or answered something that is not the desk API (exit 1). */
export class DeskUnreachableError extends Error {}

/** The desk API refused the request: its application/problem+json answer. */
export class DeskProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    /** The problem's other members (`errors`, `version`, `requiredRole`, …). */
    readonly extra: Readonly<Record<string, unknown>>,
  ) {
    super(`${detail} (${code})`);
  }
}

/** Reads and checks DESK_URL (default {@link DEFAULT_DESK_URL}) and DESK_TOKEN. */
export function readDeskSettings(env: NodeJS.ProcessEnv): DeskClientSettings {
  const rawUrl = env['DESK_URL']?.trim() || DEFAULT_DESK_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(rawUrl.endsWith('/') ? rawUrl : `${rawUrl}/`);
  } catch {
    throw new DeskSettingsError(`DESK_URL is not a URL: ${rawUrl}`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new DeskSettingsError(`DESK_URL must be an http(s) URL: ${rawUrl}`);
  if (baseUrl.username || baseUrl.password || baseUrl.search || baseUrl.hash) {
    throw new DeskSettingsError('DESK_URL must be the server address only (no user, query or fragment)');
  }
  const token = env['DESK_TOKEN']?.trim();
  if (!token) {
    throw new DeskSettingsError(
      'DESK_TOKEN is not set: put your API token (tfa_…) in the environment or .env; an admin creates one with "npm run desk -- agent token create --email <your e-mail>"',
    );
  }
  if (!/^tfa_[A-Za-z0-9_-]{16,200}$/.test(token)) throw new DeskSettingsError('DESK_TOKEN is not an API token (they start with "tfa_")');
  return { baseUrl, token };
}

/** Whether the token would cross a network unencrypted (http to a host other than this machine). */
export function sendsTokenInClear(settings: DeskClientSettings): boolean {
  const host = settings.baseUrl.hostname;
  return settings.baseUrl.protocol === 'http:' && !(host === 'localhost' || host === '[::1]' || /^127\./.test(host));
}

export interface DeskAnswer<T> {
  readonly body: T;
  /** The body exactly as received (for `--json`). */
  readonly raw: string;
  /** The ticket version from `ETag`, when the answer carried one. */
  readonly version: number | null;
}

export interface DeskRequest {
  readonly method?: 'GET' | 'POST';
  /** Query parameters; undefined ones are left out. */
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Sent as `If-Match: "<version>"`. */
  readonly version?: number;
}

export interface DeskClient {
  /** The server's address, for messages. */
  readonly url: string;
  /** Calls `path` (relative to the API, e.g. `api/desk/tickets`) and checks the answer against `schema`. */
  call<S extends z.ZodType>(path: string, schema: S, request?: DeskRequest): Promise<DeskAnswer<z.output<S>>>;
}

/** A client for one server and token; `fetchImpl` is for tests of the failure paths. */
export function createDeskClient(settings: DeskClientSettings, fetchImpl: typeof fetch = fetch): DeskClient {
  const url = settings.baseUrl.href.replace(/\/$/, '');
  return {
    url,
    async call(path, schema, request = {}) {
      const target = new URL(path.replace(/^\/+/, ''), settings.baseUrl);
      for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value));
      const headers: Record<string, string> = { Authorization: `Bearer ${settings.token}`, Accept: 'application/json' };
      if (request.body !== undefined) headers['Content-Type'] = 'application/json';
      if (request.version !== undefined) headers['If-Match'] = `"${request.version}"`;
      let res: Response;
      let raw: string;
      try {
        res = await fetchImpl(target, {
          method: request.method ?? 'GET',
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'error',
        });
        raw = await res.text();
      } catch (err) {
        throw new DeskUnreachableError(`could not reach the server at ${url} (DESK_URL): ${networkReason(err)}`);
      }
      const json = parseJson(raw);
      if (!res.ok) throw problemOf(res, json, url);
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const where = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(body)').join(', ');
        throw new DeskUnreachableError(`unexpected answer from ${url} (HTTP ${res.status}, ${where}): is DESK_URL the support desk's server, of the same version?`);
      }
      return { body: parsed.data, raw, version: versionOf(res.headers.get('etag')) };
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function problemOf(res: Response, json: unknown, url: string): Error {
  if (typeof json === 'object' && json !== null && 'code' in json && 'detail' in json) {
    const { code, detail, type: _type, title: _title, status: _status, ...extra } = json as Record<string, unknown>;
    if (typeof code === 'string' && typeof detail === 'string') return new DeskProblem(res.status, code, detail, extra);
  }
  return new DeskUnreachableError(`unexpected answer from ${url}: HTTP ${res.status} ${res.statusText}; is DESK_URL the support desk's server?`);
}

function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function versionOf(etag: string | null): number | null {
  const m = etag === null ? null : /^(?:W\/)?"(\d{1,9})"$/.exec(etag.trim());
  return m ? Number(m[1]) : null;
}
