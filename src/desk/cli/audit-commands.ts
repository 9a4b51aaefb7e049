/**
 * `npm run desk -- audit …`: the desk's audit trail (who read or changed what, and what was
 * refused), newest first, from a running server's desk API. Supervisors and admins only: the
 * server says so when the token's agent may not read it.
 */
import { AUDIT_OUTCOMES } from '../audit/audit-log.js';
import { AuditResponse } from '../api/schemas.js';
import { shellWord, shortTime, table } from './cli-text.js';
import { EXIT_OK, EXIT_USAGE, type CliGroup } from './main.js';
import { optional, oneOf, runRemoteCommand, timeOption, UsageError, wholeNumber, type RemoteCommand, type Values } from './remote-command.js';

export const AUDIT_USAGE = `usage: npm run desk -- audit [options]

  [--since 7d|24h|<ISO>] [--until <ISO>] [--agent <agentId>] [--action <operation, e.g. verifyIdentity>]
  [--ticket <ticket>] [--outcome ${AUDIT_OUTCOMES.join('|')}] [--limit N (1-500, default 100)] [--cursor C] [--json]
        the audit trail, newest first (supervisor)

The server is DESK_URL (default http://127.0.0.1:3978), you are DESK_TOKEN (from .env or the environment).`;

const str = { type: 'string' } as const;
const OPTIONS = { since: str, until: str, agent: str, action: str, ticket: str, outcome: str, limit: str, cursor: str, json: { type: 'boolean' } } as const;

const audit: RemoteCommand = {
  options: OPTIONS,
  positionals: [],
  async run(v, _p, s) {
    const ticket = optional(v, 'ticket');
    if (ticket !== undefined && !/^TFA-[0-9A-HJKMNP-TV-Z]{8}$/i.test(ticket)) throw new UsageError(`"${ticket}" is not a ticket number`);
    const cursor = optional(v, 'cursor');
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new UsageError('--cursor takes the number printed after "next page"');
    const query = {
      since: timeOption(v, 'since', s.now()),
      until: timeOption(v, 'until', s.now()),
      agent: optional(v, 'agent'),
      action: optional(v, 'action'),
      ticket: ticket?.toUpperCase(),
      outcome: oneOf(v, 'outcome', AUDIT_OUTCOMES),
      limit: wholeNumber(v, 'limit', 1, 500),
      cursor,
    };
    const answer = await s.client.call('api/desk/audit', AuditResponse, { query });
    if (v.json) return s.out(`${JSON.stringify(JSON.parse(answer.raw), null, 2)}\n`);
    const { entries, next } = answer.body;
    s.out(
      entries.length === 0
        ? 'no audit entries match\n'
        : table([
            ['AT', 'AGENT', 'ACTION', 'TICKET', 'OUTCOME', 'CODE', 'FROM'],
            ...entries.map((e) => [shortTime(e.at, true), e.agentId ?? '-', e.action, e.ticketId ?? '-', e.outcome, e.code ?? '', e.sourceAddress ?? '-']),
          ]),
    );
    if (next !== null) s.out(`next page: ${nextPageCommand(v, next)}\n`);
  },
};

function nextPageCommand(values: Values, cursor: number): string {
  const words = ['npm', 'run', 'desk', '--', 'audit'];
  for (const key of Object.keys(OPTIONS)) {
    const value = values[key];
    if (key !== 'cursor' && typeof value === 'string') words.push(`--${key}`, shellWord(value));
  }
  return [...words, '--cursor', String(cursor)].join(' ');
}

/** The `audit` group: one command, so `audit [options]` (or `audit list [options]`). */
export const auditCommands: CliGroup = {
  summary: 'the audit trail of the desk, newest first (desk API at DESK_URL; supervisors)',
  async run(args, context) {
    if (args.includes('--help') || args.includes('-h')) {
      context.io.out(`${AUDIT_USAGE}\n`);
      return EXIT_OK;
    }
    const rest = args[0] === 'list' ? args.slice(1) : args;
    if (rest[0] !== undefined && !rest[0].startsWith('-')) {
      context.io.err(`desk: unknown command "audit ${rest[0]}"\n\n${AUDIT_USAGE}\n`);
      return EXIT_USAGE;
    }
    return runRemoteCommand(audit, 'audit', AUDIT_USAGE, rest, context);
  },
};
