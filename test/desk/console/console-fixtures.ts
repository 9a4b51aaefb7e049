/**
 * Data for the console's tests: the whole app on a port the browser can use as its origin, agents
 * with sessions, and tickets opened the way customers open them (a chat on a Bot Framework channel
 * through the guide and the identity card, so the ticket has a path and a transcript), or written
 * straight into the store with claims the chat would never accept (markup in a name).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HandoffReason } from '../../../flows/outcome.js';
import type { App } from '../../../src/app.js';
import type { AgentRole } from '../../../src/desk/agents/agent.js';
import { SqliteTicketRepository } from '../../../src/tickets/index.js';
import { freePort, startApp, type RunningApp } from '../../helpers/http-app.js';
import { answerBeforeProcedure } from '../../e2e/support/scenarios.js';

export const XSS = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  link: '[click](javascript:alert(1))',
} as const;

/** Markup that must never reach a page as markup (escaped, `<` becomes `&lt;`). */
export const RAW_MARKUP = [XSS.script, XSS.img, '<img', '<script>', 'href="javascript:', "href='javascript:", 'src="javascript:'];

/** Attribute names of every tag in a page (quoted values skipped: they may hold any text). */
export function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-z][a-z0-9-]*((?:\s+[^\s=>/]+(?:=(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/gi)) {
    for (const attr of tag[1]!.matchAll(/\s+([^\s=>/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g)) names.push(attr[1]!.toLowerCase());
  }
  return names;
}

const TICKET_ID = /TFA-[0-9A-HJKMNP-TV-Z]{8}/;

/** The app on a fixed port whose PUBLIC_BASE_URL is its own origin (the forms' origin check passes). */
export async function startConsoleApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  return startApp({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env });
}

/** Answers every POST of the bot (its replies) with 200 and keeps their texts; 403 for refused conversations. */
export class Connector {
  readonly texts: string[] = [];
  /** Conversation ids whose messages are refused (the customer removed the bot). */
  readonly refused = new Set<string>();
  serviceUrl = '';
  #server: Server | undefined;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if ([...this.refused].some((id) => (req.url ?? '').startsWith(`/v3/conversations/${encodeURIComponent(id)}/`))) {
          res.writeHead(403, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify({ error: { code: 'BotDisabledByAdmin', message: 'refused' } }));
        }
        try {
          const activity = JSON.parse(body) as { text?: unknown };
          if (typeof activity.text === 'string') this.texts.push(activity.text);
        } catch {
          // not JSON: nothing to keep
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${this.texts.length}` }));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

/** How each reason is reached from the main menu (option ids, as test/e2e/support/scenarios.ts). */
const ROUTES: Readonly<Partial<Record<HandoffReason, readonly string[]>>> = {
  app_lost_no_backup: ['appDeleted', 'yes', 'restoreFailed'],
  phone_lost_no_backup: ['phoneLostOrBroken', 'app', 'no'],
  login_lockout: ['codeRejected', 'notWorked', 'notWorked', 'notWorked', 'lockout', 'yes'],
  customer_requested: ['smsNotReceived', 'notArrived', 'notArrived', 'notArrived', 'notArrived', 'talkToAgent'],
};

export interface ChatTicketOptions {
  readonly lang: 'ja' | 'en';
  readonly reason: HandoffReason;
  readonly description?: string;
  /** Said in the chat after the ticket is open (it lands in the transcript). */
  readonly afterwards?: readonly string[];
}

let conversations = 0;

/** A customer walks the guide to a handoff in chat and submits the identity card; returns the ticket number. */
export async function openTicketInChat(running: RunningApp, connector: Connector, o: ChatTicketOptions): Promise<string> {
  const n = ++conversations;
  const t = running.app.localizer.forLanguage(o.lang);
  const ids = { channelId: 'webchat', userId: `console-customer-${n}`, conversationId: `console-conv-${n}-${Date.now()}` };
  let counter = 0;
  const post = async (activity: Record<string, unknown>) => {
    const res = await fetch(`${running.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: `${ids.conversationId}-a${++counter}`,
        channelId: ids.channelId,
        serviceUrl: connector.serviceUrl,
        conversation: { id: ids.conversationId },
        from: { id: ids.userId, name: 'Customer', role: 'user' },
        recipient: { id: 'bot', name: 'Bot', role: 'bot' },
        locale: o.lang === 'ja' ? 'ja-JP' : 'en-US',
        timestamp: new Date().toISOString(),
        ...activity,
      }),
    });
    if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}`);
  };
  await post({ type: 'conversationUpdate', membersAdded: [{ id: ids.userId }] });
  for (const option of ROUTES[o.reason] ?? []) await post({ type: 'message', text: t(`options:${option}.label`) });
  // Before the identity form the bot asks whether to start the procedure now (issue 15).
  const start = answerBeforeProcedure(o.reason);
  if (start) await post({ type: 'message', text: t(`identity:options.${start}.label`) });
  const before = connector.texts.length;
  const identity =
    o.lang === 'ja'
      ? { email: 'yamada.taro@example.jp', fullName: '山田 太郎', dateOfBirth: '1985-04-01', phoneLast4: '5678' }
      : { email: 'jane.doe@example.com', fullName: 'Jane Doe', dateOfBirth: '1990-01-31' };
  await post({
    type: 'message',
    value: { t: 'identity', ...identity, description: o.description ?? (o.lang === 'ja' ? '機種変更で認証アプリが消えました。' : 'I changed phones and lost the app.') },
  });
  const id = connector.texts.slice(before).join('\n').match(TICKET_ID)?.[0];
  if (!id) throw new Error(`no ticket number in: ${connector.texts.slice(before).join(' | ')}`);
  for (const text of o.afterwards ?? []) await post({ type: 'message', text });
  running.app.transcripts.flush();
  return id;
}

/** A ticket written straight into the store, with claims the chat would refuse (markup in the name). */
export async function insertTicket(app: App, claims: { fullName: string; description: string }, serviceUrl = 'http://127.0.0.1:9'): Promise<string> {
  const repo = new SqliteTicketRepository(app.db);
  const n = ++conversations;
  const id = `TFA-${String(n).padStart(8, '0')}`;
  const { ticket } = await repo.findOrCreateOpen(
    {
      id: id as never,
      reason: 'phone_lost_no_backup',
      language: 'en',
      channelId: 'webchat',
      userId: `raw-${n}`,
      tenantId: null,
      conversationId: `raw-conv-${n}`,
      conversationReference: { channelId: 'webchat', serviceUrl, conversation: { id: `raw-conv-${n}` } },
      claims: { email: 'raw@example.com', dateOfBirth: '1980-02-03', ...claims },
      path: ['phoneLostMethod', 'phoneLostHasBackup'],
      stepsTried: [],
      createdAt: new Date().toISOString(),
      openedBy: { kind: 'customer', id: `raw-${n}` },
      note: null,
    },
    null,
  );
  return ticket.id;
}

/** An agent with a console session: the cookie header and CSRF token a browser would hold. */
export interface SignedInAgent {
  readonly id: string;
  readonly role: AgentRole;
  readonly cookie: string;
  readonly csrf: string;
  readonly secret: string;
}

let agents = 0;

export async function signedInAgent(app: App, role: AgentRole, displayName = `${role} ${++agents}`): Promise<SignedInAgent> {
  const agent = await app.deskAuth.agents.create({ displayName, email: `console.${role}.${++agents}.${Date.now()}@desk.example`, role });
  const { secret } = await app.deskAuth.tokens.create(agent.id, { label: 'console test' });
  const session = await app.deskAuth.sessions.start(agent.id);
  return { id: agent.id, role, cookie: `desk_session=${session.sessionId}`, csrf: session.csrfToken, secret };
}

/** A page as a browser gets it. */
export interface PageAnswer {
  readonly status: number;
  readonly html: string;
  readonly location: string | null;
  readonly headers: Headers;
  /** `name=value` pairs of the Set-Cookie headers. */
  readonly cookies: string[];
}

async function answer(res: Response): Promise<PageAnswer> {
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers, cookies: res.headers.getSetCookie().map((c) => c.split(';')[0]!) };
}

/** GETs a console page as `who` (extra cookies: a flash from the last form, a language). */
export async function getPage(base: string, path: string, who: SignedInAgent | null, extraCookies: readonly string[] = [], headers: Record<string, string> = {}): Promise<PageAnswer> {
  const cookie = [...(who ? [who.cookie] : []), ...extraCookies].join('; ');
  return answer(await fetch(`${base}${path}`, { redirect: 'manual', headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } }));
}

/** POSTs a console form as `who`, with the session's CSRF token unless `csrf` says otherwise. */
export async function postForm(base: string, path: string, who: SignedInAgent, fields: Record<string, string>, csrf: string | null = who.csrf): Promise<PageAnswer> {
  const body = new URLSearchParams({ ...(csrf === null ? {} : { csrf }), ...fields });
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: who.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    body: body.toString(),
  });
  return answer(res);
}

/** Posts a form and follows its redirect with the flash cookie, as the browser does. */
export async function submit(base: string, path: string, who: SignedInAgent, fields: Record<string, string>): Promise<PageAnswer> {
  const posted = await postForm(base, path, who, fields);
  if (posted.status !== 303 || !posted.location) return posted;
  return getPage(base, posted.location, who, posted.cookies);
}

/** The ticket's version as its page's forms carry it. */
export function formVersion(html: string): string {
  const m = /name="version" value="(\d+)"/.exec(html);
  if (!m) throw new Error('no version field on the page');
  return m[1]!;
}

/** The visible text of a page (tags dropped, entities decoded), for "the agent reads …" checks. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
