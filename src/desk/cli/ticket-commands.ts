/**
 * `npm run desk -- tickets …`: the queue, one ticket and every action on it, against a running
 * server's desk API (DESK_URL, DESK_TOKEN). An action is based on the ticket's version: the
 * command reads it first (the ETag of the ticket), or takes `--version N` from an agent who has
 * just looked, and sends it in If-Match, so a change someone else made meanwhile is refused
 * (conflict) rather than overwritten.
 */
import { z } from 'zod';
import { HANDOFF_REASONS } from '../../../flows/outcome.js';
import { CLOSE_REASONS, OPEN_TICKET_STATUSES, TICKET_STATUSES, VERIFICATION_FAILURE_REASONS } from '../../../flows/ticket-lifecycle/index.js';
import { ActionResponse, QueueResponse, TicketResponse } from '../api/schemas.js';
import { shellWord } from './cli-text.js';
import type { DeskClient } from './desk-http-client.js';
import { EXIT_OK, EXIT_USAGE, type CliGroup } from './main.js';
import { optional, oneOf, required, runRemoteCommand, timeOption, UsageError, wholeNumber, type RefusalHint, type RemoteCommand, type RemoteServices, type Values } from './remote-command.js';
import { formatActionResult, formatQueue, formatTicket } from './ticket-output.js';
import { LANGUAGES } from '../../i18n/language.js';

export const TICKETS_USAGE = `usage: npm run desk -- tickets <command> [options]

  list [--status S[,S…]|open] [--reason R] [--language ja|en] [--channel C] [--assignee me|none|<agentId>]
       [--q <number, e-mail or name>] [--since 7d|24h|<ISO>] [--until <ISO>] [--limit N] [--cursor C] [--json]
        the queue, newest first, with the counts per status; "open" is ${OPEN_TICKET_STATUSES.join(',')}
  show <ticket> [--lang ja|en] [--json]
        claims, history, notifications, the customer's path, steps tried, transcript, what you can do

  assign <ticket> [--to me|none|<agentId>]             take it (default me), give it, or put it back
  note <ticket> --note <text>                          internal note, never shown to the customer
  verify <ticket> [--note <text>]                      the customer's identity is confirmed
  fail <ticket> --reason <reason> [--note <text>]      ${VERIFICATION_FAILURE_REASONS.join('|')}
  approve <ticket> [--note <text>]                     approve the change (supervisor, not who verified)
  carry-out <ticket> [--note <text>]                   the approved change is made on the account
  request-info <ticket> --message <text>               a message to the customer, in their conversation
  resolve <ticket> [--note <text>]                     verified, and no account change is needed
  close <ticket> --reason <reason> [--note <text>]     ${CLOSE_REASONS.join('|')}
  retry-notification <ticket> <notificationId>         send a failed customer notification again

Actions read the ticket's version first; --version N acts only if the ticket is still at version N
(the one "tickets show" printed). Add --json to print the API's answer.
The server is DESK_URL (default http://127.0.0.1:3978), you are DESK_TOKEN (from .env or the environment).`;

const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const TICKET_ID = /^TFA-[0-9A-HJKMNP-TV-Z]{8}$/i;

/** `GET /api/desk/me` (not part of the OpenAPI document's schemas): who the token belongs to. */
const MeResponse = z.object({ agent: z.object({ id: z.string(), role: z.string() }) });

function ticketPath(id: string, suffix = ''): string {
  if (!TICKET_ID.test(id)) throw new UsageError(`"${id}" is not a ticket number (TFA- and 8 letters or digits)`);
  return `api/desk/tickets/${encodeURIComponent(id.toUpperCase())}${suffix}`;
}

/** The signed-in agent's id, or null if it cannot be told (only used to write "me"). */
async function whoAmI(client: DeskClient): Promise<string | null> {
  try {
    return (await client.call('api/desk/me', MeResponse)).body.agent.id;
  } catch {
    return null;
  }
}

function printJson(s: RemoteServices, raw: string): void {
  s.out(`${JSON.stringify(JSON.parse(raw), null, 2)}\n`);
}

/** The statuses asked for: a comma-separated list, `open` standing for every open status. */
function statusList(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const statuses = value.split(',').map((s) => s.trim()).filter(Boolean).flatMap((s) => (s === 'open' ? [...OPEN_TICKET_STATUSES] : [s]));
  const unknown = statuses.filter((s) => !(TICKET_STATUSES as readonly string[]).includes(s));
  if (statuses.length === 0 || unknown.length > 0) throw new UsageError(`--status takes open or one or more of: ${TICKET_STATUSES.join(', ')}`);
  return [...new Set(statuses)].join(',');
}

const LIST_OPTIONS = {
  status: str, reason: str, language: str, channel: str, assignee: str, q: str, since: str, until: str, limit: str, cursor: str, json: flag,
} as const;

const list: RemoteCommand = {
  options: LIST_OPTIONS,
  positionals: [],
  async run(v, _p, s) {
    const q = optional(v, 'q')?.trim();
    if (q !== undefined && q.length < 2) throw new UsageError('--q needs at least 2 characters');
    const query = {
      status: statusList(optional(v, 'status')),
      reason: oneOf(v, 'reason', HANDOFF_REASONS),
      language: oneOf(v, 'language', LANGUAGES),
      channel: optional(v, 'channel'),
      assignee: optional(v, 'assignee'),
      q,
      createdFrom: timeOption(v, 'since', s.now()),
      createdTo: timeOption(v, 'until', s.now()),
      limit: wholeNumber(v, 'limit', 1, 100),
      cursor: optional(v, 'cursor'),
    };
    const [page, me] = await Promise.all([s.client.call('api/desk/tickets', QueueResponse, { query }), v.json ? null : whoAmI(s.client)]);
    if (v.json) return printJson(s, page.raw);
    s.out(formatQueue(page.body, me, page.body.next === null ? null : nextPageCommand(v, page.body.next)));
  },
};

/** The same `tickets list` with the next page's cursor, ready to paste. */
function nextPageCommand(values: Values, cursor: string): string {
  const words = ['npm', 'run', 'desk', '--', 'tickets', 'list'];
  for (const key of Object.keys(LIST_OPTIONS)) {
    const value = values[key];
    if (key !== 'cursor' && typeof value === 'string') words.push(`--${key}`, shellWord(value));
  }
  return [...words, '--cursor', cursor].join(' ');
}

const show: RemoteCommand = {
  options: { lang: str, json: flag },
  positionals: ['ticket'],
  async run(v, [id], s) {
    const answer = await s.client.call(ticketPath(id!), TicketResponse, { query: { lang: oneOf(v, 'lang', LANGUAGES) } });
    if (v.json) return printJson(s, answer.raw);
    s.out(formatTicket(answer.body));
  },
};

/** One ticket action: its path under the ticket, the extra options and the JSON body they make. */
function action(path: string, options: RemoteCommand['options'], body: (v: Values) => unknown): RemoteCommand {
  return {
    options: { ...options, version: str, json: flag },
    positionals: ['ticket'],
    async run(v, [id], s) {
      const target = ticketPath(id!, `/${path}`);
      const payload = body(v);
      const given = wholeNumber(v, 'version', 1, 999_999_999);
      const [current, me] = await Promise.all([
        given === undefined ? s.client.call(ticketPath(id!), TicketResponse) : null,
        v.json ? null : whoAmI(s.client),
      ]);
      const version = given ?? current?.version;
      if (version === undefined || version === null) throw new UsageError('the server sent no ticket version (ETag); pass --version N');
      const result = await s.client.call(target, ActionResponse, { method: 'POST', body: payload, version });
      if (v.json) return printJson(s, result.raw);
      s.out(formatActionResult(result.body, current?.body.ticket.status ?? null, me));
    },
  };
}

const note = (v: Values) => (optional(v, 'note') === undefined ? {} : { note: optional(v, 'note') });

const COMMANDS: Readonly<Record<string, RemoteCommand>> = {
  list,
  show,
  assign: action('assign', { to: str }, (v) => {
    const to = optional(v, 'to') ?? 'me';
    return { assigneeId: to === 'none' ? null : to };
  }),
  note: action('notes', { note: str }, (v) => ({ note: required(v, 'note') })),
  verify: action('verify', { note: str }, note),
  fail: action('fail', { reason: str, note: str }, (v) => ({ reason: oneOf(v, 'reason', VERIFICATION_FAILURE_REASONS) ?? required(v, 'reason'), ...note(v) })),
  approve: action('approve', { note: str }, note),
  'carry-out': action('carry-out', { note: str }, note),
  'request-info': action('request-info', { message: str }, (v) => ({ message: required(v, 'message') })),
  resolve: action('resolve', { note: str }, note),
  close: action('close', { reason: str, note: str }, (v) => ({ reason: oneOf(v, 'reason', CLOSE_REASONS) ?? required(v, 'reason'), ...note(v) })),
  'retry-notification': {
    options: {},
    positionals: ['ticket', 'notificationId'],
    async run(_v, [id, notificationId], s) {
      if (!/^\d{1,12}$/.test(notificationId!) || Number(notificationId) < 1) throw new UsageError('<notificationId> is the number after # in "tickets show"');
      await s.client.call(ticketPath(id!, `/notifications/${notificationId}/retry`), z.object({ queued: z.literal(true) }), { method: 'POST', body: {} });
      s.out(`notification #${notificationId} of ${id!.toUpperCase()} queued to be sent again\n`);
    },
  },
};

/** After a conflict: how to see what changed. */
const conflictHint: RefusalHint = (problem, [id]) =>
  problem.code === 'conflict' && id !== undefined
    ? `someone changed the ticket since that version: look again with "npm run desk -- tickets show ${id.toUpperCase()}", then retry`
    : null;

/** The `tickets` group of the desk command line. */
export const ticketCommands: CliGroup = {
  summary: 'the ticket queue, one ticket, and actions on it (desk API at DESK_URL)',
  async run(args, context) {
    const { io } = context;
    if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
      (args.length === 0 ? io.err : io.out)(`${TICKETS_USAGE}\n`);
      return args.length === 0 ? EXIT_USAGE : EXIT_OK;
    }
    const name = args[0]!;
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      io.err(`desk: unknown command "tickets ${name}"\n\n${TICKETS_USAGE}\n`);
      return EXIT_USAGE;
    }
    return runRemoteCommand(command, `tickets ${name}`, TICKETS_USAGE, args.slice(1), context, conflictHint);
  },
};
