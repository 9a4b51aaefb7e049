/**
 * `npm run desk -- <group> <command> …`: the support desk's command line. Each group (agents
 * now; tickets and audit next, against the desk's HTTP API) is one entry of {@link CLI_GROUPS},
 * so adding a group is adding a line. Exit codes: 0 done, 1 refused, 2 bad usage or configuration.
 */
import type { PgPool } from '../../storage/postgres/index.js';
import type { SqliteDatabase } from '../../storage/database.js';
import { agentCommands } from './agent-commands.js';
import { auditCommands } from './audit-commands.js';
import { ticketCommands } from './ticket-commands.js';

/** Where a command writes; the script passes process.stdout/stderr, tests collect strings. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What a command may use: nothing global, so tests run commands in-process. */
export interface CliContext {
  readonly io: CliIo;
  /** The environment (`.env` already loaded by the script) for loadConfig. */
  readonly env: NodeJS.ProcessEnv;
  /** Opens the database file with every migration (the script passes ALL_MIGRATIONS). */
  openDatabase(file: string): SqliteDatabase;
  /**
   * Opens the app's PostgreSQL database (DATABASE_URL) with every migration applied (the script
   * passes ALL_POSTGRES_MIGRATIONS); `close` ends the pool.
   */
  openPostgres(url: string): Promise<{ readonly pool: PgPool; close(): Promise<void> }>;
  readonly now?: () => Date;
}

/** One top-level group of commands. */
export interface CliGroup {
  /** One line for the top-level usage text. */
  readonly summary: string;
  /** Runs `args` (what follows the group's name); returns the exit code. */
  run(args: readonly string[], context: CliContext): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** Every group, by name: a new group is one more line here. */
export const CLI_GROUPS: Readonly<Record<string, CliGroup>> = {
  agent: agentCommands,
  tickets: ticketCommands,
  audit: auditCommands,
};

/** The top-level usage text, listing the groups. */
export function usage(groups: Readonly<Record<string, CliGroup>> = CLI_GROUPS): string {
  const width = Math.max(...Object.keys(groups).map((g) => g.length));
  const lines = Object.entries(groups).map(([name, group]) => `  ${name.padEnd(width)}  ${group.summary}`);
  return `usage: npm run desk -- <group> <command> [options]\n\ngroups:\n${lines.join('\n')}\n\nnpm run desk -- <group> --help shows a group's commands.\n`;
}

/** Dispatches `argv` (without node and the script) to its group; returns the exit code. */
export async function runDeskCli(argv: readonly string[], context: CliContext, groups: Readonly<Record<string, CliGroup>> = CLI_GROUPS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.io.err : context.io.out)(usage(groups));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const group = Object.hasOwn(groups, name) ? groups[name] : undefined;
  if (!group) {
    context.io.err(`desk: unknown group "${name}"\n${usage(groups)}`);
    return EXIT_USAGE;
  }
  return group.run(rest, context);
}
