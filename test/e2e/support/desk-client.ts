/**
 * A support agent using the desk API over HTTP, as the command line or a script would: a bearer
 * token, the ticket's ETag sent back in If-Match, problems read as application/problem+json.
 */
import type { App } from '../../../src/app.js';
import type { AgentRole } from '../../../src/desk/agents/agent.js';

export interface DeskAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly etag: string | null;
  readonly json: any;
}

let agents = 0;

export class DeskAgent {
  constructor(
    private readonly baseUrl: string,
    readonly id: string,
    readonly role: AgentRole,
    private readonly headers: Record<string, string>,
  ) {}

  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<DeskAnswer> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...extra },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', etag: res.headers.get('etag'), json };
  }

  get(path: string): Promise<DeskAnswer> {
    return this.call('GET', path);
  }

  /** GET the ticket, then POST the action with its ETag (what the command line does). */
  async act(ticketId: string, action: string, body: unknown = {}): Promise<DeskAnswer> {
    const current = await this.get(`/api/desk/tickets/${ticketId}`);
    if (current.status !== 200 || !current.etag) throw new Error(`GET ticket answered ${current.status}`);
    return this.call('POST', `/api/desk/tickets/${ticketId}/${action}`, body, { 'If-Match': current.etag });
  }
}

/** Adds an agent with a personal API token and returns them as an HTTP client. */
export async function addAgent(app: App, baseUrl: string, role: AgentRole, name = `${role} ${++agents}`): Promise<DeskAgent> {
  const agent = await app.deskAuth.agents.create({ displayName: name, email: `${role}.${agents}.${Date.now()}@desk.example`, role });
  const { secret } = await app.deskAuth.tokens.create(agent.id, { label: 'test' });
  return new DeskAgent(baseUrl, agent.id, role, { Authorization: `Bearer ${secret}` });
}
