/**
 * Running one command of a group that works against the desk's HTTP API (tickets, audit): the
 * options are parsed strictly, DESK_URL and DESK_TOKEN read, and every way it can end mapped to
 * the command line's exit codes: 0 done, 1 refused by the server or server unreachable, 2 bad
 * usage or configuration (including input the server rejects as invalid).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseTimeOption, printable } from './cli-text.js';
import {
  createDeskClient,
  DeskProblem,
  DeskSettingsError,
  DeskUnreachableError,
  readDeskSettings,
  sendsTokenInClear,
  type DeskClient,
} from './desk-http-client.js';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, type CliContext } from './main.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

/** What a remote command may use. */
export interface RemoteServices {
  readonly client: DeskClient;
  readonly now: () => Date;
  out(text: string): void;
}

export interface RemoteCommand {
  readonly options: Options;
  /** Names of the positional arguments, in order (for the "takes …" message). */
  readonly positionals: readonly string[];
  run(values: Values, positionals: readonly string[], s: RemoteServices): Promise<void>;
}

/** A mistake in the command line found by a command itself (exit 2 with the usage text). */
export class UsageError extends Error {}

/** A hint printed under a refusal, e.g. how to look at a ticket that changed. */
export type RefusalHint = (problem: DeskProblem, positionals: readonly string[]) => string | null;

/**
 * Runs `command` with `args` (what follows its name); `label` names it in messages
 * (`tickets verify`), `usage` is the group's usage text.
 */
export async function runRemoteCommand(
  command: RemoteCommand,
  label: string,
  usage: string,
  args: readonly string[],
  context: CliContext,
  hint?: RefusalHint,
): Promise<number> {
  const { io } = context;
  const usageError = (message: string) => {
    io.err(`desk: ${message}\n\n${usage}\n`);
    return EXIT_USAGE;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: command.options, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (parsed.positionals.length !== command.positionals.length) {
    const names = command.positionals.map((p) => `<${p}>`).join(' ');
    return usageError(`"${label}" takes ${names || 'no arguments'}`);
  }
  let client: DeskClient;
  try {
    const settings = readDeskSettings(context.env);
    if (sendsTokenInClear(settings)) io.err(`desk: warning: DESK_URL ${settings.baseUrl.origin} is plain http to another machine; your token travels unencrypted\n`);
    client = createDeskClient(settings);
  } catch (err) {
    if (!(err instanceof DeskSettingsError)) throw err;
    io.err(`desk: ${err.message}\n`);
    return EXIT_USAGE;
  }
  try {
    await command.run(parsed.values as Values, parsed.positionals, { client, now: context.now ?? (() => new Date()), out: io.out });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message);
    if (err instanceof DeskUnreachableError) {
      io.err(`desk: ${err.message}\n`);
      return EXIT_REFUSED;
    }
    if (!(err instanceof DeskProblem)) throw err;
    io.err(describeProblem(err, hint?.(err, parsed.positionals) ?? null));
    return err.code === 'invalid_input' ? EXIT_USAGE : EXIT_REFUSED;
  }
}

/** `desk: refused: <detail> (<code>, HTTP <status>)`, the problem's other members, and a hint. */
export function describeProblem(problem: DeskProblem, hint: string | null): string {
  const lines = [`desk: refused: ${printable(problem.detail)} (${printable(problem.code)}, HTTP ${problem.status})`];
  for (const [key, value] of Object.entries(problem.extra)) {
    if (key === 'errors' && Array.isArray(value)) {
      for (const e of value as { field?: unknown; message?: unknown }[]) lines.push(`  ${printable(String(e.field ?? '?'))}: ${printable(String(e.message ?? ''))}`);
    } else {
      lines.push(`  ${printable(key)}: ${printable(typeof value === 'string' ? value : JSON.stringify(value))}`);
    }
  }
  if (problem.code === 'unauthorized') lines.push('  check DESK_TOKEN: the token may be mistyped, expired or revoked, or your agent disabled');
  if (hint) lines.push(`  ${hint}`);
  return `${lines.join('\n')}\n`;
}

/** The value of a string option, or undefined. */
export function optional(values: Values, key: string): string | undefined {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
}

/** The value of a string option that must be there and not blank. */
export function required(values: Values, key: string): string {
  const value = optional(values, key);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${key} is required`);
  return value;
}

/** A whole number option within bounds, or undefined when absent. */
export function wholeNumber(values: Values, key: string, min: number, max: number): number | undefined {
  const value = optional(values, key);
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${key} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

/** An option that must be one of `allowed`. */
export function oneOf<T extends string>(values: Values, key: string, allowed: readonly T[]): T | undefined {
  const value = optional(values, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${key} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

/** `--since`/`--until`: `30m`, `24h`, `7d`, `2w` back from now, or an ISO date or time; the ISO instant. */
export function timeOption(values: Values, key: string, now: Date): string | undefined {
  const value = optional(values, key);
  if (value === undefined) return undefined;
  const iso = parseTimeOption(value, now);
  if (iso === null) throw new UsageError(`--${key} takes a time back from now (30m, 24h, 7d, 2w) or an ISO date or time`);
  return iso;
}
