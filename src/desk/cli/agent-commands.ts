/**
 * `npm run desk -- agent …`: agents and their API tokens, straight on the app's database
 * (PostgreSQL when DATABASE_URL is set, else the SQLite file of DATABASE_FILE). `agent add` is how a fresh installation gets its first administrator: it
 * prints a first token, once, on a line of its own starting with `token: `.
 */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../../config.js';
import { AppError, isAppError } from '../../errors.js';
import { parseEmail, parseNewAgent, parseRole, type Agent } from '../agents/agent.js';
import type { AgentRepository } from '../agents/agent-repository.js';
import { PostgresAgentRepository } from '../agents/postgres-agent-repository.js';
import { SqliteAgentRepository } from '../agents/sqlite-agent-repository.js';
import { createApiTokens, type ApiTokens, type IssuedApiToken } from '../auth/api-tokens.js';
import { formatAgents, formatTokens } from './agent-output.js';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, type CliContext, type CliGroup } from './main.js';

export const AGENT_USAGE = `usage: npm run desk -- agent <command> [options]

  add --name <name> --email <e-mail> --role <agent|supervisor|admin> [--token-label <label>] [--expires-days <n>]
        adds an agent and a first API token (printed once, on the line "token: …")
  list [--json]
  token create --email <e-mail> [--label <label>] [--expires-days <n>]
  token list --email <e-mail>
  token revoke <tokenId>
  disable --email <e-mail>     ends the agent's sessions; their tokens stop working
  enable --email <e-mail>
  role --email <e-mail> --role <agent|supervisor|admin>

The database is the app's (from .env or the environment): PostgreSQL when DATABASE_URL is set, else
the SQLite file of DATABASE_FILE. The ticket and audit groups work remotely (HTTP).`;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Services {
  readonly agents: AgentRepository;
  readonly tokens: ApiTokens;
  readonly now: () => Date;
  out(text: string): void;
}

interface Command {
  readonly options: Options;
  /** How many positional arguments follow the command's words. */
  readonly positionals: number;
  /** Whether the command may create the database file (only `add`: the first agent of an installation). */
  readonly createsDatabase?: boolean;
  run(values: Values, positionals: readonly string[], s: Services): Promise<void>;
}

const str = { type: 'string' } as const;

const COMMANDS: Readonly<Record<string, Command>> = {
  add: {
    options: { name: str, email: str, role: str, 'token-label': str, 'expires-days': str },
    positionals: 0,
    createsDatabase: true,
    async run(v, _p, s) {
      const input = parseNewAgent({ displayName: required(v, 'name'), email: required(v, 'email'), role: required(v, 'role') });
      const expiresAt = expiry(v, s.now);
      const agent = await s.agents.create(input);
      s.out(`agent added: ${agent.id}  ${agent.displayName} <${agent.email}>  ${agent.role}\n`);
      printToken(s, await s.tokens.create(agent.id, { label: optional(v, 'token-label') ?? 'first token', expiresAt }));
    },
  },
  list: {
    options: { json: { type: 'boolean' } },
    positionals: 0,
    async run(v, _p, s) {
      const agents = await s.agents.list();
      s.out(v.json ? `${JSON.stringify(agents, null, 2)}\n` : formatAgents(agents));
    },
  },
  'token create': {
    options: { email: str, label: str, 'expires-days': str },
    positionals: 0,
    async run(v, _p, s) {
      const agent = await byEmail(s, v);
      printToken(s, await s.tokens.create(agent.id, { label: optional(v, 'label') ?? 'API token', expiresAt: expiry(v, s.now) }));
    },
  },
  'token list': {
    options: { email: str },
    positionals: 0,
    async run(v, _p, s) {
      s.out(formatTokens(await s.tokens.list((await byEmail(s, v)).id), s.now()));
    },
  },
  'token revoke': {
    options: {},
    positionals: 1,
    async run(_v, [tokenId], s) {
      const token = await s.tokens.revoke(tokenId!);
      s.out(`token ${token.id} (${token.label}) revoked at ${token.revokedAt}\n`);
    },
  },
  disable: {
    options: { email: str },
    positionals: 0,
    async run(v, _p, s) {
      const agent = await s.agents.setActive((await byEmail(s, v)).id, false);
      s.out(`agent ${agent.email} disabled: signed out everywhere, tokens no longer accepted\n`);
    },
  },
  enable: {
    options: { email: str },
    positionals: 0,
    async run(v, _p, s) {
      const agent = await s.agents.setActive((await byEmail(s, v)).id, true);
      s.out(`agent ${agent.email} enabled\n`);
    },
  },
  role: {
    options: { email: str, role: str },
    positionals: 0,
    async run(v, _p, s) {
      const role = parseRole(required(v, 'role'));
      const agent = await s.agents.setRole((await byEmail(s, v)).id, role);
      s.out(`agent ${agent.email} is now ${agent.role}\n`);
    },
  },
};

/** The `agent` group of the desk command line. */
export const agentCommands: CliGroup = {
  summary: 'support agents and their API tokens (local database)',
  async run(args, context) {
    const { io } = context;
    if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
      (args.length === 0 ? io.err : io.out)(`${AGENT_USAGE}\n`);
      return args.length === 0 ? EXIT_USAGE : EXIT_OK;
    }
    const name = args[0] === 'token' ? `token ${args[1] ?? ''}` : args[0]!;
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) return usageError(context, `unknown command "agent ${name.trim()}"`);
    let parsed;
    try {
      parsed = parseArgs({ args: args.slice(name.split(' ').length), options: command.options, allowPositionals: true, strict: true });
    } catch (err) {
      return usageError(context, (err as Error).message);
    }
    if (parsed.positionals.length !== command.positionals) {
      return usageError(context, `"agent ${name}" takes ${command.positionals || 'no'} argument${command.positionals === 1 ? '' : 's'}`);
    }
    let config;
    try {
      config = loadConfig(context.env);
    } catch (err) {
      io.err(`desk: ${isAppError(err) ? err.message : String(err)}\n`);
      return EXIT_USAGE;
    }
    const now = context.now ?? (() => new Date());
    const opened = await openAgents(context, config, command, now);
    if (typeof opened === 'number') return opened;
    try {
      await command.run(parsed.values as Values, parsed.positionals, { agents: opened.agents, tokens: createApiTokens({ agents: opened.agents, now }), now, out: io.out });
      return EXIT_OK;
    } catch (err) {
      if (err instanceof UsageError) return usageError(context, err.message);
      if (!isAppError(err)) throw err;
      io.err(`desk: ${err.message}\n`);
      return err.code === 'invalid_input' ? EXIT_USAGE : EXIT_REFUSED;
    } finally {
      await opened.close();
    }
  },
};

class UsageError extends Error {}

/** The agents of the configured database, or the exit code when it cannot be opened. */
async function openAgents(
  context: CliContext,
  config: ReturnType<typeof loadConfig>,
  command: Command,
  now: () => Date,
): Promise<{ readonly agents: AgentRepository; close(): Promise<void> } | number> {
  if (config.databaseUrl !== undefined) {
    let db;
    try {
      db = await context.openPostgres(config.databaseUrl);
    } catch (err) {
      // The driver's message may name the host or the role, never the password; the URL is not echoed.
      context.io.err(`desk: cannot open the PostgreSQL database of DATABASE_URL: ${(err as Error).message}\n`);
      return EXIT_REFUSED;
    }
    return { agents: new PostgresAgentRepository(db.pool, { now }), close: () => db.close() };
  }
  // Opening creates a missing file: a mistyped DATABASE_FILE must not look like an installation without agents.
  if (!command.createsDatabase && config.databaseFile !== ':memory:' && !existsSync(config.databaseFile)) {
    context.io.err(`desk: no database at ${config.databaseFile} (DATABASE_FILE); add the first agent with "agent add"\n`);
    return EXIT_REFUSED;
  }
  const db = context.openDatabase(config.databaseFile);
  return {
    agents: new SqliteAgentRepository(db, { now }),
    close: async () => {
      db.close();
    },
  };
}

function usageError(context: CliContext, message: string): number {
  context.io.err(`desk: ${message}\n\n${AGENT_USAGE}\n`);
  return EXIT_USAGE;
}

function optional(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
}

function required(values: Values, key: string): string {
  const value = optional(values, key);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${key} is required`);
  return value;
}

async function byEmail(s: Services, values: Values): Promise<Agent> {
  const email = parseEmail(required(values, 'email'));
  const agent = await s.agents.findByEmail(email);
  if (!agent) throw new AppError('not_found', `no agent with the e-mail ${email}`);
  return agent;
}

function expiry(values: Values, now: () => Date): Date | null {
  const days = optional(values, 'expires-days');
  if (days === undefined) return null;
  if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 3650) throw new UsageError('--expires-days must be a whole number of days from 1 to 3650');
  return new Date(now().getTime() + Number(days) * 86_400_000);
}

/** The secret goes to stdout once, on a line of its own, so a script can pick it up with `grep '^token: '`. */
function printToken(s: Services, { token, secret }: IssuedApiToken): void {
  s.out(`API token ${token.id} "${token.label}", expires ${token.expiresAt ?? 'never'}. Shown only now; store it safely:\n`);
  s.out(`token: ${secret}\n`);
}
